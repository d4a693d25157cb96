/**
 * Tracker imports before 2.39.6, 2.40.5 and 2.41.1 check a tracked entity type's mandatory
 * attributes against the payload alone (E1090, spec §3.2): a partial update there fails unless it
 * repeats the mandatory values, and repeating a value read earlier overwrites a concurrent change
 * of it (a lost update between two job runs). The legacy API (2.35–2.41) does not check mandatory
 * type attributes and merges attributes, so on those releases updates go through it.
 */
interface VersionLike {
  minor: number;
  patch: number;
}

export function payloadOnlyMandatoryCheck(v: VersionLike): boolean {
  if (v.minor < 36) return false;
  if (v.minor <= 38) return true;
  if (v.minor === 39) return v.patch < 6;
  if (v.minor === 40) return v.patch < 5;
  if (v.minor === 41) return v.patch < 1;
  return false;
}
