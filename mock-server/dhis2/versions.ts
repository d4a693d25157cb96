/**
 * DHIS2 versions the emulator speaks. A minor version means its latest patch release
 * (the tags the spec was read at); a full patch version is honoured where rules differ by patch.
 */
export const SUPPORTED_MINORS = [35, 36, 37, 38, 39, 40, 41, 42] as const;
export const LATEST_PATCH: Record<number, number> = {
  35: 14, 36: 13, 37: 10, 38: 7, 39: 10, 40: 12, 41: 9, 42: 5,
};

export class UnsupportedVersionError extends Error {
  readonly code = 'UNSUPPORTED_VERSION';
  constructor(input: string) {
    super(`Unsupported DHIS2 version '${input}': use 2.35 … 2.42, optionally with a patch (e.g. 2.39.5).`);
  }
}

export class Dhis2Version {
  private constructor(readonly minor: number, readonly patch: number) {}

  static parse(input: string | number): Dhis2Version {
    const text = String(input).trim();
    const m = /^2\.(\d{2})(?:\.(\d{1,2}))?$/.exec(text);
    if (!m) throw new UnsupportedVersionError(text);
    const minor = Number(m[1]);
    if (!(SUPPORTED_MINORS as readonly number[]).includes(minor)) throw new UnsupportedVersionError(text);
    const patch = m[2] === undefined ? LATEST_PATCH[minor] : Number(m[2]);
    return new Dhis2Version(minor, patch);
  }

  /** `atLeast('2.37')` compares minors; `atLeast('2.39.6')` compares patch too. */
  atLeast(other: string): boolean {
    const o = /^2\.(\d{2})(?:\.(\d{1,2}))?$/.exec(other);
    if (!o) throw new UnsupportedVersionError(other);
    const minor = Number(o[1]);
    if (this.minor !== minor) return this.minor > minor;
    return o[2] === undefined ? true : this.patch >= Number(o[2]);
  }

  below(other: string): boolean {
    return !this.atLeast(other);
  }

  /** `2.40` style label. */
  get label(): string {
    return `2.${this.minor}`;
  }

  /** `2.40.12` as `/api/system/info` reports it. */
  get full(): string {
    return `2.${this.minor}.${this.patch}`;
  }

  toString(): string {
    return this.full;
  }
}
