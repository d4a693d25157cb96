/**
 * Seeds for the property suites: FC_SEED from the environment (CI sets it), else a fixed default,
 * printed once so any failure can be replayed with the same value.
 */
const raw = process.env.FC_SEED;
export const FC_SEED = raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : 20261126;

let printed = false;
export function announceSeed(suite: string): number {
  if (!printed) {
    printed = true;
    console.log(`[${suite}] FC_SEED=${FC_SEED} (set FC_SEED to replay)`);
  }
  return FC_SEED;
}
