/**
 * The `--db` file's format, in one place: what the emulator writes and the only thing it reads
 * back. A file that does not match is refused, never replaced (issue 15). To persist a new table
 * or field: add it to the shapes below (the compile-time checks at the end keep them equal to the
 * domain types), to the runtime's snapshot, and to its load. An additive, optional field keeps
 * `version` 1; anything an older emulator would misread takes version 2, which older releases then
 * refuse instead of silently dropping what they do not know.
 */
import { z } from 'zod';
import { UID_PATTERN } from '../dhis2/random.js';
import type { StoredAttributeValue, StoredDataValue, StoredEnrollment, StoredEntity, StoredEvent } from '../dhis2/types.js';

export const DB_FORMAT_VERSION = 1;

const uid = z.string().regex(UID_PATTERN, 'expected a DHIS2 UID (a letter, then 10 letters or digits)');
/** what dhis2Date writes (`yyyy-MM-ddTHH:mm:ss.SSS`); the fraction and a zone are tolerated */
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, 'expected a date-time like 2024-01-31T09:15:00.000');

const attributeValueShape = {
  attribute: uid,
  value: z.string(),
  created: dateTime,
  lastUpdated: dateTime,
  storedBy: z.string().optional(),
};

const enrollmentShape = {
  uid,
  program: uid,
  orgUnit: uid,
  status: z.enum(['ACTIVE', 'COMPLETED', 'CANCELLED']),
  enrollmentDate: z.string(),
  incidentDate: z.string().optional(),
  followup: z.boolean(),
  deleted: z.boolean(),
  created: dateTime,
  lastUpdated: dateTime,
  createdAtClient: z.string().optional(),
  lastUpdatedAtClient: z.string().optional(),
  completedAt: z.string().optional(),
  completedBy: z.string().optional(),
  storedBy: z.string().optional(),
};

const dataValueShape = {
  dataElement: uid,
  value: z.string(),
  created: dateTime,
  lastUpdated: dateTime,
  storedBy: z.string().optional(),
  providedElsewhere: z.boolean(),
};

const eventShape = {
  uid,
  program: uid,
  programStage: uid,
  enrollment: uid,
  trackedEntity: uid,
  orgUnit: uid,
  status: z.enum(['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED']),
  occurredAt: z.string().optional(),
  scheduledAt: z.string().optional(),
  completedAt: z.string().optional(),
  completedBy: z.string().optional(),
  storedBy: z.string().optional(),
  followup: z.boolean().optional(),
  geometry: z.unknown().optional(),
  deleted: z.boolean(),
  created: dateTime,
  lastUpdated: dateTime,
  createdAtClient: z.string().optional(),
  lastUpdatedAtClient: z.string().optional(),
  dataValues: z.array(z.looseObject(dataValueShape)),
};

const entityShape = {
  uid,
  trackedEntityType: uid,
  orgUnit: uid,
  created: dateTime,
  lastUpdated: dateTime,
  createdAtClient: z.string().optional(),
  lastUpdatedAtClient: z.string().optional(),
  inactive: z.boolean(),
  deleted: z.boolean(),
  potentialDuplicate: z.boolean(),
  storedBy: z.string().optional(),
  featureType: z.string().optional(),
  geometry: z.unknown().optional(),
  attributes: z.array(z.looseObject(attributeValueShape)),
  /** absent in files written before enrollments were stored with their entity (the store reads it as []) */
  enrollments: z.array(z.looseObject(enrollmentShape)).optional(),
  programOwners: z.array(z.looseObject({ program: uid, orgUnit: uid })),
};

/**
 * Loose objects: a key this release does not know is kept as it is (and written back), so a file
 * never loses a field on its way through the emulator.
 */
export const storedEntitySchema = z.looseObject(entityShape);

export const dbFileSchema = z.object({
  version: z.literal(DB_FORMAT_VERSION),
  /** the server-side UID generator's position, so a restart with the same seed continues past it */
  uidGenerator: z
    .object({ seed: z.number().int().nonnegative(), state: z.number().int().min(0).max(0xffffffff) })
    .optional(),
  trackedEntities: z.array(storedEntitySchema),
  /** the events table; absent in files written before events were modelled */
  events: z.array(z.looseObject(eventShape)).optional(),
});

export interface PersistedState {
  version: typeof DB_FORMAT_VERSION;
  uidGenerator?: { seed: number; state: number };
  trackedEntities: StoredEntity[];
  events?: StoredEvent[];
}

// Compile-time: the shapes above name exactly the domain types' fields, with compatible types.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Compatible<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Parsed<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
const shapesMatchTypes: [
  SameKeys<typeof entityShape, StoredEntity>,
  SameKeys<typeof attributeValueShape, StoredAttributeValue>,
  SameKeys<typeof enrollmentShape, StoredEnrollment>,
  SameKeys<typeof eventShape, StoredEvent>,
  SameKeys<typeof dataValueShape, StoredDataValue>,
  Compatible<Omit<Parsed<typeof entityShape>, 'attributes' | 'enrollments' | 'programOwners'>, Omit<StoredEntity, 'attributes' | 'enrollments' | 'programOwners'>>,
  Compatible<Parsed<typeof attributeValueShape>, StoredAttributeValue>,
  Compatible<Parsed<typeof enrollmentShape>, StoredEnrollment>,
  Compatible<Omit<Parsed<typeof eventShape>, 'dataValues'>, Omit<StoredEvent, 'dataValues'>>,
  Compatible<Parsed<typeof dataValueShape>, StoredDataValue>,
] = [true, true, true, true, true, true, true, true, true, true];
void shapesMatchTypes;
