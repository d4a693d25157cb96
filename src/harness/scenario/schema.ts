/**
 * The scenario file format (docs/scenarios.md): one JSON file reproduces one integration bug
 * against the embedded emulator. Validated by zod only; `write-schema.ts` turns this schema into
 * `scenarios/scenario.schema.json` so editors autocomplete. Strict objects everywhere: a misspelt
 * key is an error, never a silently ignored expectation.
 */
import { z } from 'zod';
import { faultPlanSchema } from '../../../mock-server/faults/index.js';
import { Dhis2Version } from '../../../mock-server/dhis2/versions.js';

const UID = /^[a-zA-Z][a-zA-Z0-9]{10}$/;
const uid = z.string().regex(UID, { error: 'a DHIS2 UID: 11 letters or digits, a letter first' });
const ref = z.string().min(1);
const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'letters, digits, "_", "-" or "." only' });

/** Where a scenario names an attribute, org unit or type it may use a demo alias, a code or a UID. */
const attributeValues = z
  .record(ref, z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe('attribute → value. An attribute is named by a demo alias (nationalId, facilityRegNo, firstName, lastName, dateOfBirth, phone, gender, weight, consent), by its code (NATIONAL_ID) or by its UID. null means "absent".');

const FINDING_CODES = [
  'DUPLICATE',
  'NOT_IDEMPOTENT',
  'LOST_ATTRIBUTE',
  'AMBIGUITY_WRITE',
  'NOT_CONVERGED',
  'NON_LINEARIZABLE',
  'DUPLICATE_ENROLLMENT',
  'DUPLICATE_EVENT',
  'LOST_DATA_VALUE',
  'UNEXPECTED_OUTCOME',
  'FINAL_STATE',
  'REQUEST_BOUND',
  'JOURNAL_FACT',
] as const;
export const findingCode = z.enum(FINDING_CODES).describe(
  'DUPLICATE, NOT_IDEMPOTENT, LOST_ATTRIBUTE, AMBIGUITY_WRITE, NOT_CONVERGED, NON_LINEARIZABLE, DUPLICATE_ENROLLMENT, DUPLICATE_EVENT, LOST_DATA_VALUE (the history checker) or UNEXPECTED_OUTCOME, FINAL_STATE, REQUEST_BOUND, JOURNAL_FACT (this file\'s expectations)',
);
export type ScenarioFindingCode = z.infer<typeof findingCode>;

export const IMPLEMENTATION_PATTERN = /^(robust|reference:[A-Za-z][A-Za-z0-9]*|module:.+|exec:.+)$/;
const implementationSpec = z
  .string()
  .regex(IMPLEMENTATION_PATTERN, { error: 'use "robust", "reference:<name>", "module:<path>" or "exec:<command>"' })
  .describe('"robust" (the core), "reference:<name>" (a shipped reference upsert), "module:<path>" (default export (record, ctx) => Promise, path relative to this file) or "exec:<command>" (record on stdin, DHIS2_BASE_URL/USERNAME/PASSWORD in the environment, exit 0 = success; run in this file\'s folder)');

const implementationEntry = z.union([
  implementationSpec,
  z.strictObject({
    use: implementationSpec,
    expectFailure: z
      .strictObject({
        finding: z.union([findingCode, z.array(findingCode).min(1)]).describe('the finding(s) this implementation must produce: it reproduces the field bug'),
        because: z.string().optional().describe('one sentence for the report: why it fails'),
      })
      .optional()
      .describe('this implementation is expected to fail with these findings (verdict XFAIL); passing instead is a failure (the bug no longer reproduces)'),
  }),
]);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, { error: 'a date: YYYY-MM-DD (or an ISO date-time)' });

const eventSchema = z.strictObject({
  programStage: ref.describe('stage: demo alias (birth, babyPostnatal, tbVisit) or UID'),
  key: z.string().min(1).describe('the source system\'s id of the visit, unique per patient and stage'),
  occurredAt: date,
  orgUnit: ref.optional().describe('default: the enrollment\'s org unit'),
  status: z.enum(['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED']).optional(),
  dataValues: z
    .record(ref, z.union([z.string(), z.number(), z.boolean()]))
    .default({})
    .describe('data element → value. A data element is named by a demo alias (birthWeight, apgarScore, infantWeight, infantFeeding, tbSmearResult, …), its code or its UID.'),
});

const enrollmentSchema = z.strictObject({
  program: ref.describe('program: demo alias (childProgramme, tbProgram) or UID'),
  orgUnit: ref.optional().describe('default: the record\'s org unit'),
  enrolledAt: date,
  events: z.array(eventSchema).default([]),
});

const recordSchema = z.strictObject({
  trackedEntityType: ref.optional().describe('alias ("person"), name or UID; default Person'),
  orgUnit: ref.describe('org unit: demo alias (ngelehun, njandama, kamaranka, bargbeChc, …), code or UID'),
  match: ref.optional().describe('the key attribute; default: the first attribute listed'),
  attributes: attributeValues,
  enrollments: z.array(enrollmentSchema).optional().describe('issue 17: enrollments of the patient and their events (visits); checked for DUPLICATE_ENROLLMENT, DUPLICATE_EVENT, LOST_DATA_VALUE'),
});

const entitySchema = z.strictObject({
  id: name.optional().describe('a name to refer to this entity in expectations'),
  uid: uid.optional().describe('default: derived from the scenario and the entity\'s position'),
  trackedEntityType: ref.optional(),
  orgUnit: ref,
  attributes: attributeValues,
  deleted: z.boolean().default(false).describe('soft-deleted: its UID can never be created again'),
  copies: z.number().int().min(1).max(20).default(1).describe('how many identical entities (more than one: ambiguous duplicates)'),
});

const opExpect = z.union([
  z.literal('ok'),
  z.strictObject({
    outcome: z.enum(['ok', 'fail', 'unknown']).optional().describe('ok: reported success; fail: a definite failure; unknown: may or may not have happened'),
    error: z.string().min(1).optional().describe('the error\'s code (CONFLICT, AMBIGUOUS_MATCH, …) or class name (Dhis2ConflictError)'),
  }),
]);

const upsertStep = z.strictObject({
  upsert: name.describe('the name of a record in "records"'),
  label: z.string().max(80).optional().describe('shown in reports; default the record name'),
  client: z.string().max(40).optional().describe('the timeline lane ("cron run", "retry job"); default "run N"'),
  times: z.number().int().min(1).max(50).default(1).describe('invocations: one after another, or side by side inside "concurrent"'),
  retries: z.number().int().min(0).max(10).default(0).describe('rerun a failed upsert this many times, as a job scheduler would'),
  expect: opExpect.optional().describe('what a correct upsert does here (checked for every implementation)'),
});

const concurrentStep = z.strictObject({
  concurrent: z.array(upsertStep).min(1).describe('upserts running at the same time, one client each'),
  interleaving: z
    .enum(['lockstep', 'random', 'free'])
    .default('lockstep')
    .describe('lockstep: requests and commit windows released in turn (deterministic, opens every check-then-act window); random: a seeded schedule; free: real concurrency'),
});

const waitStep = z.strictObject({ wait: z.number().int().min(0).max(60_000).describe('pause in ms') });

const step = z.union([upsertStep, concurrentStep, waitStep], {
  error: (iss) => (iss.code === 'invalid_union' ? 'a step is {"upsert": …}, {"concurrent": [ … ]} or {"wait": ms}' : undefined),
});

const count = z.union([
  z.number().int().min(0),
  z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
]);

const finalExpect = z.union([
  z.strictObject({
    record: name.describe('the live entities carrying this record\'s key'),
    count: z.number().int().min(0).default(1),
    attributes: attributeValues.optional(),
    orgUnit: ref.optional(),
  }),
  z.strictObject({
    entity: name.describe('a pre-existing entity by its "id"'),
    deleted: z.boolean().optional(),
    attributes: attributeValues.optional(),
    orgUnit: ref.optional(),
  }),
]);

const journalFact = z.union([
  z.strictObject({
    fact: z.literal('count'),
    type: z.enum(['request', 'response', 'commit', 'fault']),
    method: z.string().optional(),
    path: z.string().optional().describe('substring of the request path'),
    status: z.number().int().optional().describe('response status'),
    kind: z.string().optional().describe('fault kind'),
    operation: z.string().optional().describe('commit operation: create, update, delete'),
    count,
  }),
  z.strictObject({
    fact: z.literal('retryAfter'),
    status: z.number().int().default(429),
    minMs: z.number().int().min(0).describe('every such response is followed by a retry from the same operation no sooner than this'),
  }),
]);

const expectSchema = z.strictObject({
  noDuplicates: z.boolean().default(true).describe('more than one live entity per key fails the run (the DUPLICATE finding)'),
  ignore: z.array(findingCode).default([]).describe('findings that do not fail the run'),
  final: z.array(finalExpect).default([]).describe('the state after the run'),
  requests: z
    .strictObject({ total: count.optional(), writes: count.optional(), perOperation: count.optional() })
    .optional()
    .describe('bounds on HTTP requests (writes: POST, PUT, PATCH, DELETE)'),
  journal: z.array(journalFact).default([]).describe('facts about the emulator\'s journal'),
});

const fixtureAdditions = z.strictObject({
  trackedEntityAttributes: z
    .array(
      z.strictObject({
        id: uid,
        name: z.string().min(1),
        code: z.string().optional(),
        valueType: z.enum(['TEXT', 'LONG_TEXT', 'PHONE_NUMBER', 'EMAIL', 'NUMBER', 'INTEGER', 'BOOLEAN', 'DATE']).default('TEXT'),
        unique: z.boolean().default(false),
        orgunitScope: z.boolean().default(false),
        trackedEntityType: ref.optional().describe('assign it to this type (default Person) as a searchable attribute'),
      }),
    )
    .default([]),
  organisationUnits: z
    .array(z.strictObject({ id: uid, name: z.string().min(1), code: z.string().optional(), parent: ref }))
    .default([]),
});

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('"./scenario.schema.json": editors then autocomplete and check the file'),
    title: z.string().min(1).max(120).describe('one line: the bug'),
    description: z.string().min(1).describe('what happens, step by step'),
    seenIn: z.string().min(1).describe('where such a bug was seen in the field'),
    dhis2Version: z
      .string()
      .regex(/^2\.\d{2}(\.\d{1,2})?$/, { error: 'a DHIS2 version like "2.40" or "2.39.5"' })
      .default('2.40')
      .describe('DHIS2 version to emulate: 2.35 … 2.42, a minor means its latest patch (2.40 = 2.40.12)')
      .refine(
        (v) => {
          try {
            Dhis2Version.parse(v);
            return true;
          } catch {
            return false;
          }
        },
        { error: 'a DHIS2 version from 2.35 to 2.42 (e.g. "2.40" or "2.39.5")' },
      ),
    uniqueness: z.enum(['racy', 'atomic', 'off']).default('racy').describe('racy: DHIS2-faithful check-then-insert'),
    seed: z.number().int().min(0).default(1).describe('emulator seed (generated UIDs, fault draws, random interleavings)'),
    credentials: z.strictObject({ username: z.string(), password: z.string() }).optional().describe('default admin / district'),
    fixture: fixtureAdditions.optional().describe('additions to the built-in demo fixture'),
    entities: z.array(entitySchema).default([]).describe('entities that exist before the run'),
    records: z.record(name, recordSchema).describe('named records the operations upsert'),
    faults: faultPlanSchema.optional().describe('an emulator fault plan, verbatim (docs/fault-plans.md)'),
    implementations: z.array(implementationEntry).min(1).describe('each runs the whole scenario on a fresh emulator'),
    operations: z.array(step).min(1),
    heal: z.boolean().default(true).describe('afterwards, with faults cleared, upsert each key once more (judges convergence)'),
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000).describe('per-operation limit; then its outcome is unknown'),
    expect: expectSchema.default({ noDuplicates: true, ignore: [], final: [], journal: [] }),
  })
  .meta({ title: 'dhis2-upsert-harness scenario', description: 'Reproduces one DHIS2 upsert integration bug. See docs/scenarios.md.' });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type UpsertStep = z.output<typeof upsertStep>;
export type ConcurrentStep = z.output<typeof concurrentStep>;
export type Step = z.output<typeof step>;
export type OpExpect = z.output<typeof opExpect>;
export type FinalExpect = z.output<typeof finalExpect>;
export type JournalFact = z.output<typeof journalFact>;
export type Count = z.output<typeof count>;
export type ImplementationEntry = z.output<typeof implementationEntry>;
export type RecordSpec = z.output<typeof recordSchema>;
export type EnrollmentSpecInput = z.output<typeof enrollmentSchema>;
export type EntitySpec = z.output<typeof entitySchema>;
