/** Seeded PRNG (mulberry32): fault decisions, race windows and server-minted UIDs replay from a seed. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
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

/** A UID in DHIS2's CodeGenerator format: a letter, then 10 alphanumerics (spec §4). */
export function generateUid(rng: SeededRandom): string {
  let uid = LETTERS[rng.int(LETTERS.length)];
  for (let i = 0; i < 10; i++) uid += ALPHANUMERIC[rng.int(ALPHANUMERIC.length)];
  return uid;
}

export const UID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{10}$/;
export const isUid = (s: unknown): s is string => typeof s === 'string' && UID_PATTERN.test(s);
