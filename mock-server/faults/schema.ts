import { z } from 'zod';

/**
 * The fault plan (`--faults FILE`, `PUT /__admin/faults`, `createMockDhis2({ faults })`): an ordered
 * list of rules, each matching requests by method, path, ordinal or probability and injecting one
 * kind of fault. Strict everywhere: a misspelt key or kind is an error, never a silently inert rule.
 */

const positiveInt = z.number().int().positive();
const ms = z.number().nonnegative().max(3_600_000, { error: 'at most 3600000 ms (one hour)' });

/** How a rule picks requests and when it stops; shared by every kind. */
const matchFields = {
  /** a note for humans; echoed in the journal */
  label: z.string().max(200).optional(),
  /** HTTP method(s), case-insensitive; all methods when absent */
  method: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** path glob on the normalised path (no /api/NN/, no .json): `*` = one segment, `**` = any, `:name` = one segment */
  path: z.string().startsWith('/', { error: 'a path pattern starts with "/", e.g. "/api/trackedEntityInstances"' }).optional(),
  /** 1-based ordinal(s) of the request on its route (method + path template), counting only requests this rule's method and path match */
  nth: z.union([positiveInt, z.array(positiveInt).min(1)]).optional(),
  /** chance to fire on a matching request, drawn from (seed, rule, route, ordinal): replays exactly */
  probability: z.number().min(0).max(1).optional(),
  /** stop after injecting this many faults */
  times: positiveInt.optional(),
  /** stop this many ms after the plan was installed */
  durationMs: z.number().positive().optional(),
  /**
   * request headers that must all be present with exactly these values (names case-insensitive):
   * lets a test or a proxy in front of the emulator aim a rule at one request it tags
   */
  header: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'a header name is a token such as "x-test-fault"' }), z.string().max(200)).optional(),
};

const errorStatus = z.literal([500, 502, 503, 504], { error: 'status must be 500, 502, 503 or 504' });
const errorFields = {
  status: errorStatus.default(500),
  /** `webmessage` (DHIS2 JSON) or `html` (an nginx error page); default: JSON for 500/503, HTML for 502/504 */
  body: z.enum(['webmessage', 'html']).optional(),
  /** replaces the default message of a WebMessage body */
  message: z.string().max(2000).optional(),
  /** adds `Retry-After: N` (seconds) */
  retryAfterSeconds: z.number().int().nonnegative().optional(),
};

const delay = z.discriminatedUnion(
  'dist',
  [
    z.strictObject({ dist: z.literal('fixed'), ms }),
    z.strictObject({ dist: z.literal('uniform'), minMs: ms, maxMs: ms }).refine((d) => d.maxMs >= d.minMs, { error: 'maxMs must be ≥ minMs', path: ['maxMs'] }),
    z.strictObject({ dist: z.literal('lognormal'), medianMs: z.number().positive().max(3_600_000), sigma: z.number().nonnegative().max(5), maxMs: ms.optional() }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? `unknown delay distribution; use "fixed" {ms}, "uniform" {minMs, maxMs} or "lognormal" {medianMs, sigma, maxMs?}` : undefined) },
);

export const FAULT_KINDS = [
  'latency',
  'error-before-commit',
  'error-after-commit',
  'drop-after-commit',
  'delay-after-commit',
  'reset-before-commit',
  'rate-limit',
  'stale-search',
  'duplicate-delivery',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const rule = z.discriminatedUnion(
  'kind',
  [
    /** delay before the handler runs */
    z.strictObject({ kind: z.literal('latency'), ...matchFields, delay }),
    /** answer an error without running the handler: nothing is written */
    z.strictObject({ kind: z.literal('error-before-commit'), ...matchFields, ...errorFields }),
    /** run the handler (it commits), then replace its answer with an error */
    z.strictObject({ kind: z.literal('error-after-commit'), ...matchFields, ...errorFields }),
    /** run the handler (it commits), then close (`close`: FIN, "other side closed") or reset (`reset`: RST, ECONNRESET) the connection */
    z.strictObject({ kind: z.literal('drop-after-commit'), ...matchFields, mode: z.enum(['close', 'reset']).default('close') }),
    /** run the handler (it commits), then hold its answer longer than a client waits */
    z.strictObject({ kind: z.literal('delay-after-commit'), ...matchFields, delayMs: z.number().positive().max(3_600_000).default(60_000) }),
    /** reset the connection (RST) without running the handler */
    z.strictObject({ kind: z.literal('reset-before-commit'), ...matchFields }),
    /** 429 (or 503) with Retry-After, without running the handler */
    z.strictObject({
      kind: z.literal('rate-limit'),
      ...matchFields,
      status: z.literal([429, 503], { error: 'rate-limit status must be 429 or 503' }).default(429),
      retryAfterSeconds: z.number().int().nonnegative().default(1),
    }),
    /** GET answers from the state as of N commits or N ms ago (a lagging read replica or cache) */
    z
      .strictObject({ kind: z.literal('stale-search'), ...matchFields, commitsAgo: positiveInt.optional(), msAgo: z.number().positive().optional() })
      .refine((r) => r.commitsAgo !== undefined || r.msAgo !== undefined, { error: 'stale-search needs commitsAgo or msAgo (or both)', path: ['commitsAgo'] })
      .refine((r) => methodsOf(r.method)?.every((m) => m === 'GET') ?? true, { error: 'stale-search applies to GET requests only', path: ['method'] }),
    /** deliver the request to the app twice, as a retrying proxy would; the client gets one answer */
    z.strictObject({
      kind: z.literal('duplicate-delivery'),
      ...matchFields,
      /** which delivery's answer the client gets */
      respond: z.enum(['first', 'second']).default('second'),
      /** ms between the end of the first delivery and the start of the second */
      gapMs: ms.default(0),
      /** send both deliveries at once instead (a proxy that hedges) */
      concurrent: z.boolean().default(false),
    }),
  ],
  {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const kind = (iss.input as { kind?: unknown } | undefined)?.kind;
      const got = kind === undefined ? 'a rule needs "kind"' : `unknown fault kind ${JSON.stringify(kind)}`;
      return `${got}; use one of ${FAULT_KINDS.join(', ')}`;
    },
  },
);

export const faultPlanSchema = z.strictObject({
  /** seed of every random decision; the emulator's --seed when absent */
  seed: z.number().int().nonnegative().optional(),
  rules: z.array(rule).max(1000),
});

export type FaultPlanInput = z.input<typeof faultPlanSchema>;
export type FaultPlan = z.output<typeof faultPlanSchema>;
export type FaultRule = FaultPlan['rules'][number];
export type DelaySpec = z.output<typeof delay>;

export function methodsOf(method: string | string[] | undefined): string[] | undefined {
  if (method === undefined) return undefined;
  return (Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase());
}

export class InvalidFaultPlanError extends Error {
  readonly code = 'INVALID_FAULT_PLAN';
}

/** `rules[2].delay.ms`: the JSON path of an issue, as a user would look it up in their file. */
function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'plan';
}

/** Validates a plan; a bad one throws {@link InvalidFaultPlanError} naming each problem by JSON path. */
export function parseFaultPlan(input: unknown): FaultPlan {
  const result = faultPlanSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`);
  throw new InvalidFaultPlanError(
    `Invalid fault plan: ${issues.join('; ')}. A plan is {"seed"?: n, "rules": [{"kind": …, "method"?, "path"?, "nth"?, "probability"?, "times"?, "durationMs"?, …}]}; see docs/fault-plans.md in the package.`,
  );
}
