import { z } from 'zod';

/**
 * Conformance cases are data: a request sequence, the expected answers per DHIS2 release, the
 * source that decides them, and what the case needs from the server (docs/conformance.md).
 */

/** A value check. Strings inside are templates ({{var}}), expanded before comparing. */
export type Matcher =
  | { equals: unknown }
  | { matches: string }
  | { startsWith: string }
  | { endsWith: string }
  | { contains: unknown }
  | { present: true }
  | { absent: true }
  | { type: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' }
  | { length: number }
  | { minLength: number }
  | { keys: string[] }
  | { oneOf: unknown[] }
  | { every: Matcher };

const matcher: z.ZodType<Matcher> = z.lazy(() =>
  z.union([
    z.object({ equals: z.unknown() }).strict(),
    z.object({ matches: z.string() }).strict(),
    z.object({ startsWith: z.string() }).strict(),
    z.object({ endsWith: z.string() }).strict(),
    z.object({ contains: z.unknown() }).strict(),
    z.object({ present: z.literal(true) }).strict(),
    z.object({ absent: z.literal(true) }).strict(),
    z.object({ type: z.enum(['string', 'number', 'boolean', 'object', 'array', 'null']) }).strict(),
    z.object({ length: z.number().int().nonnegative() }).strict(),
    z.object({ minLength: z.number().int().nonnegative() }).strict(),
    z.object({ keys: z.array(z.string()) }).strict(),
    z.object({ oneOf: z.array(z.unknown()) }).strict(),
    z.object({ every: matcher }).strict(),
  ]) as z.ZodType<Matcher>,
);

const RELEASE = /^2\.\d{2}(\.\d{1,2})?$/;
const releaseRange = z.object({ from: z.string().regex(RELEASE).optional(), to: z.string().regex(RELEASE).optional() }).strict();
export type ReleaseRange = z.infer<typeof releaseRange>;

export const NEEDS = ['read-only', 'writes', 'admin'] as const;
export type Needs = (typeof NEEDS)[number];

export const REQUIREMENTS = ['restrictedUser', 'program'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export const AREAS = ['versions', 'discovery', 'system', 'auth', 'legacy-read', 'tracker', 'delete', 'doubtful', 'real-client'] as const;

const request = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
  /** a template; starts with /api (the target's base URL is prepended) */
  path: z.string().startsWith('/'),
  /** name/value pairs, in order, repeats allowed (templates) */
  query: z.array(z.tuple([z.string(), z.string()])).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** a JSON body (a template; see template.ts for $spread and $concat); content type application/json unless headers say otherwise */
  json: z.unknown().optional(),
  /** a raw body: text (a template) or bytes in base64 */
  body: z.object({ text: z.string().optional(), base64: z.string().optional() }).strict().optional(),
  /** default: the target's user; none: no Authorization header; restricted: the restricted user */
  auth: z.union([z.enum(['default', 'none', 'restricted']), z.object({ header: z.string() }).strict()]).optional(),
}).strict();
export type RequestSpec = z.infer<typeof request>;

const expectation = z.object({
  releases: releaseRange.optional(),
  status: z.union([z.number().int(), z.array(z.number().int())]),
  headers: z.record(z.string(), matcher).optional(),
  text: matcher.optional(),
  /** JSON path (json-path.ts) → check */
  json: z.record(z.string(), matcher).optional(),
}).strict();
export type Expectation = z.infer<typeof expectation>;

const step = z.object({
  name: z.string().min(1),
  releases: releaseRange.optional(),
  request,
  /** one expectation, or several: the first whose `releases` holds the target's release applies */
  expect: z.union([expectation, z.array(expectation).min(1)]),
  /** variable → JSON path of the response body, or `header:<name>` */
  capture: z.record(z.string(), z.string()).optional(),
}).strict();
export type Step = z.infer<typeof step>;

export const caseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  title: z.string().min(1),
  area: z.enum(AREAS),
  /** where the behaviour is decided: dhis2-core file (release) or another primary source */
  source: z.array(z.string().min(1)).min(1),
  needs: z.enum(NEEDS),
  releases: releaseRange.optional(),
  requires: z.array(z.enum(REQUIREMENTS)).optional(),
  steps: z.array(step).min(1),
}).strict();
export type ConformanceCase = z.infer<typeof caseSchema>;

/** A case file's entries are checked at load; a malformed case is an authoring error, reported with its id. */
export function defineCases(cases: ConformanceCase[]): ConformanceCase[] {
  return cases.map((c) => {
    const parsed = caseSchema.safeParse(c);
    if (!parsed.success) {
      throw new Error(`Conformance case ${c.id ?? '(no id)'} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  });
}
