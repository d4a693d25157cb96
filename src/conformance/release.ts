import type { ReleaseRange } from './types.js';

/** The DHIS2 release a server runs, as `/api/system/info` reports it ("2.40.12", "2.41-SNAPSHOT"). */
export interface Release {
  minor: number;
  /** the patch level; undefined when the version string names none (dev builds) */
  patch?: number;
  /** the version string as reported */
  reported: string;
}

export class UnknownReleaseError extends Error {
  readonly code = 'UNKNOWN_RELEASE';
}

export function parseRelease(version: string): Release {
  const m = /^2\.(\d{2})(?:\.(\d{1,3}))?/.exec(version.trim());
  if (!m) throw new UnknownReleaseError(`Cannot read a DHIS2 release from version "${version.slice(0, 60)}": expected 2.NN[.P] as /api/system/info reports it.`);
  return { minor: Number(m[1]), patch: m[2] === undefined ? undefined : Number(m[2]), reported: version.trim() };
}

function bound(text: string): { minor: number; patch?: number } {
  const [, minor, patch] = /^2\.(\d{2})(?:\.(\d{1,2}))?$/.exec(text)!;
  return { minor: Number(minor), patch: patch === undefined ? undefined : Number(patch) };
}

/**
 * Is the release inside the range? Bounds are inclusive; a bound without a patch covers the whole
 * minor release (`to: '2.40'` includes 2.40.12); a release of unknown patch counts as the latest
 * patch of its minor.
 */
export function inRange(r: Release, range: ReleaseRange | undefined): boolean {
  if (!range) return true;
  const patch = r.patch ?? Number.MAX_SAFE_INTEGER;
  if (range.from) {
    const f = bound(range.from);
    if (r.minor < f.minor || (r.minor === f.minor && f.patch !== undefined && patch < f.patch)) return false;
  }
  if (range.to) {
    const t = bound(range.to);
    if (r.minor > t.minor || (r.minor === t.minor && t.patch !== undefined && patch > t.patch)) return false;
  }
  return true;
}

export function describeRange(range: ReleaseRange | undefined): string {
  if (!range || (!range.from && !range.to)) return 'every release';
  if (range.from && range.to) return range.from === range.to ? range.from : `${range.from}–${range.to}`;
  return range.from ? `${range.from}+` : `≤ ${range.to}`;
}

export const releaseLabel = (r: Release) => `2.${r.minor}${r.patch !== undefined ? `.${r.patch}` : ''}`;
