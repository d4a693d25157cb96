/** DHIS2 version strings as `/api/system/info` reports them: "2.40.12", "2.39.1.1", "2.41-SNAPSHOT". */
import { HarnessError } from '../errors.js';

export interface Dhis2VersionInfo {
  /** 40 for "2.40.12". */
  minor: number;
  /** 12 for "2.40.12"; 0 when the string has no patch ("2.41-SNAPSHOT", "2.40"). */
  patch: number;
  raw: string;
  snapshot: boolean;
}

export function parseDhis2Version(raw: string): Dhis2VersionInfo {
  const m = /^\s*2\.(\d+)(?:\.(\d+))?(?:\.\d+)*(-SNAPSHOT|-[A-Za-z0-9.]+)?\s*$/i.exec(raw);
  if (!m) {
    throw new HarnessError(
      `Cannot understand the DHIS2 version '${raw}'. Pass options.version (e.g. '2.40') to the client to skip detection.`,
    );
  }
  return {
    minor: Number(m[1]),
    patch: m[2] === undefined ? 0 : Number(m[2]),
    raw,
    snapshot: /snapshot/i.test(m[3] ?? ''),
  };
}

/** True when `v` is at least 2.<minor>[.<patch>]. */
export function versionAtLeast(v: Dhis2VersionInfo, minor: number, patch = 0): boolean {
  return v.minor > minor || (v.minor === minor && v.patch >= patch);
}
