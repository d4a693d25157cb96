/** fast-check settings for the query suites: seeded from FC_SEED (default fixed), so failures replay. */
export const FC_SEED = Number.isFinite(Number(process.env.FC_SEED)) && process.env.FC_SEED !== undefined
  ? Number(process.env.FC_SEED)
  : 424242;

export const fcParams = { seed: FC_SEED, numRuns: 300 } as const;
