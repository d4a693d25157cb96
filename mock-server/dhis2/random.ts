/** Seeded PRNG (mulberry32): fault decisions, race windows and server-minted UIDs replay from a seed. */
export class SeededRandom {
  private position: number;

  /**
   * `state` resumes a generator where another one stopped (its `state`); `isTaken` makes
   * {@link generateUid} skip UIDs that are already in use (the store's, soft-deleted included).
   */
  constructor(
    readonly seed: number,
    state?: number,
    readonly isTaken: (uid: string) => boolean = () => false,
  ) {
    this.position = (state ?? seed) >>> 0;
  }

  /** Where the sequence is: a generator built with this state draws what this one draws next. */
  get state(): number {
    return this.position;
  }

  next(): number {
    let t = (this.position = (this.position + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = `0123456789${LETTERS}`;

/**
 * A UID in DHIS2's CodeGenerator format: a letter, then 10 alphanumerics (spec §4); never one the
 * generator's `isTaken` reports in use, so a replayed seed cannot mint an existing UID.
 */
export function generateUid(rng: SeededRandom): string {
  for (;;) {
    let uid = LETTERS[rng.int(LETTERS.length)];
    for (let i = 0; i < 10; i++) uid += ALPHANUMERIC[rng.int(ALPHANUMERIC.length)];
    if (!rng.isTaken(uid)) return uid;
  }
}

export const UID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{10}$/;
export const isUid = (s: unknown): s is string => typeof s === 'string' && UID_PATTERN.test(s);
