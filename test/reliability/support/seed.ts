/** FC_SEED (default fixed), printed once per test file so a failure can be replayed. */
export const FC_SEED = process.env.FC_SEED !== undefined && Number.isSafeInteger(Number(process.env.FC_SEED)) ? Number(process.env.FC_SEED) : 20261126;

console.log(`[reliability] FC_SEED=${FC_SEED} (rerun with FC_SEED=${FC_SEED} to replay)`);

/** mulberry32: a small seeded PRNG for choices outside fast-check (worker plans, kill points). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `0123456789${LETTERS}`;

/** A DHIS2 UID (a letter, then 10 alphanumerics) drawn from `rnd`. */
export function uidFrom(rnd: () => number): string {
  let uid = LETTERS[Math.floor(rnd() * LETTERS.length)];
  for (let i = 0; i < 10; i++) uid += ALNUM[Math.floor(rnd() * ALNUM.length)];
  return uid;
}
