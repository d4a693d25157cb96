import { canCapture, canSearch, hasAuthority } from '../access.js';
import { isUid } from '../random.js';
import type { StoredEntity } from '../types.js';
import type { UniquenessQuery } from '../uniqueness.js';
import { uniqueness, valueRuleErrors } from './attribute-rules.js';
import type { TrackerTeInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError } from './types.js';

export interface TeValidation {
  errors: TrackerError[];
  uniqueChecks: UniquenessQuery[];
}

type Step = (run: ImportRun, te: TrackerTeInput, strategy: ObjectStrategy, existing: StoredEntity | undefined) => TrackerError[];

const T = 'TRACKED_ENTITY' as const;

/** CREATE_AND_UPDATE → CREATE or UPDATE by existence; the preheat sees soft-deleted TEs too (spec §3.2). */
export function teStrategy(run: ImportRun, uid: string): ObjectStrategy {
  const s = run.params.importStrategy;
  if (s === 'CREATE_AND_UPDATE') return run.ctx.store.has(uid) ? 'UPDATE' : 'CREATE';
  return s;
}

const uidFormat: Step = (_run, te) => (isUid(te.uid) ? [] : [err(T, te.uid, 'E1048', te.uid, te.uid)]);

/** ExistenceValidator / PreCheckExistenceValidationHook. */
const existence: Step = (_run, te, strategy, existing) => {
  if (existing?.deleted) return [err(T, te.uid, 'E1114', te.uid)];
  if (existing && strategy === 'CREATE') return [err(T, te.uid, 'E1002', te.uid)];
  if (!existing && strategy !== 'CREATE') return [err(T, te.uid, 'E1063', te.uid)];
  return [];
};

const mandatoryFields: Step = (_run, te) => [
  ...(te.trackedEntityType ? [] : [err(T, te.uid, 'E1121', 'trackedEntityType')]),
  ...(te.orgUnit ? [] : [err(T, te.uid, 'E1121', 'orgUnit')]),
];

const meta: Step = (run, te) => [
  ...(run.ctx.meta.orgUnits.has(te.orgUnit!) ? [] : [err(T, te.uid, 'E1049', te.orgUnit)]),
  ...(run.ctx.meta.types.has(te.trackedEntityType!) ? [] : [err(T, te.uid, 'E1005', te.trackedEntityType)]),
];

/** UpdatableFieldsValidator (2.37+): the type of a stored TE cannot change. */
const updatable: Step = (run, te, strategy, existing) =>
  strategy === 'UPDATE' && run.ctx.version.atLeast('2.37') && existing && te.trackedEntityType !== existing.trackedEntityType
    ? [err(T, te.uid, 'E1126', 'trackedEntityType')]
    : [];

/**
 * trackedentity/SecurityOwnershipValidator: a create or a delete needs the TE's org unit (the
 * payload's, or the stored one) in the capture scope (E1000); an update needs the stored org unit
 * in the search scope up to 2.40 (E1003 "outside search scope", PreCheckSecurityOwnershipValidationHook
 * 2.36–2.39 and the 2.40 validator) and, from 2.41, write access to the stored entity, i.e. its org
 * unit in the capture scope (E1003 "no write access", TrackerAccessManager.canWrite; the release is
 * inferred). The org unit an update moves the TE to is not checked (as in the source). A delete of
 * a TE with live enrollments needs F_TEI_CASCADE_DELETE (E1100).
 */
const security: Step = (run, te, strategy, existing) => {
  const { meta: m, version } = run.ctx;
  const user = run.user;
  const outside = (ou: string | undefined) => !!ou && !canCapture(m, user, ou);
  if (strategy === 'CREATE') return outside(te.orgUnit) ? [err(T, te.uid, 'E1000', user.id, te.orgUnit)] : [];
  if (!existing) return [];
  if (strategy === 'UPDATE') {
    if (version.atLeast('2.41')) return outside(existing.orgUnit) ? [err(T, te.uid, 'E1003', user.id, te.uid)] : [];
    return canSearch(m, user, existing.orgUnit) ? [] : [err(T, te.uid, 'E1003', existing.orgUnit, user.id)];
  }
  const errors = outside(existing.orgUnit) ? [err(T, te.uid, 'E1000', user.id, existing.orgUnit)] : [];
  if (existing.enrollments.some((e) => !e.deleted) && !hasAuthority(user, 'F_TEI_CASCADE_DELETE')) errors.push(err(T, te.uid, 'E1100', user.id, te.uid));
  return errors;
};

/**
 * E1090 counts stored values only from 2.39.6, 2.40.5 and 2.41.1 (spec §3.2); earlier releases
 * look at the payload alone, so every update must repeat the mandatory attributes.
 */
export function mandatoryCountsStoredValues(run: ImportRun): boolean {
  const v = run.ctx.version;
  if (v.minor === 39) return v.atLeast('2.39.6');
  if (v.minor === 40) return v.atLeast('2.40.5');
  if (v.minor === 41) return v.atLeast('2.41.1');
  return v.minor > 41;
}

/** TrackedEntityAttributeValidationHook / trackedentity/AttributeValidator: every rule is reported. */
function attributes(run: ImportRun, te: TrackerTeInput, existing: StoredEntity | undefined, checks: UniquenessQuery[]): TrackerError[] {
  const { meta: m, version } = run.ctx;
  const type = m.types.get(te.trackedEntityType!);
  const errors: TrackerError[] = [];
  if (!type) return errors;
  const present = new Set(te.attributes.map((a) => a.attribute));
  if (existing && mandatoryCountsStoredValues(run)) for (const a of existing.attributes) present.add(a.attribute);
  for (const ta of type.trackedEntityTypeAttributes) {
    if (ta.mandatory && !present.has(ta.trackedEntityAttribute)) errors.push(err(T, te.uid, 'E1090', ta.trackedEntityAttribute, type.id, te.uid));
  }
  for (const sent of te.attributes) {
    const attr = m.attributes.get(sent.attribute);
    if (!attr) {
      errors.push(err(T, te.uid, 'E1006', sent.attribute));
      continue;
    }
    if (sent.value === null) {
      const mandatory = type.trackedEntityTypeAttributes.some((ta) => ta.trackedEntityAttribute === attr.id && ta.mandatory);
      if (mandatory) errors.push(err(T, te.uid, 'E1076', 'TrackedEntityAttribute', attr.id));
      continue;
    }
    errors.push(...valueRuleErrors(m, version, T, te.uid, attr, sent.value));
    const u = uniqueness(run, T, te.uid, te.uid, te.orgUnit, attr, sent.value);
    if (u.error) errors.push(u.error);
    if (u.check) checks.push(u.check);
  }
  return errors;
}

/**
 * The TE validator sequence (spec §3.2; trackedentity/TrackedEntityValidator 2.41, the PreCheck
 * hooks before): the first validator that reports stops the rest for this TE. DELETE runs only
 * existence and security from 2.37; in 2.36 no hook declares a strategy, so all of them run.
 */
export function validateTrackedEntity(run: ImportRun, te: TrackerTeInput, strategy: ObjectStrategy): TeValidation {
  const existing = run.ctx.store.get(te.uid);
  const v = run.ctx.version;
  const deleteOnly = strategy === 'DELETE' && v.atLeast('2.37');
  const steps: Step[] = deleteOnly ? [existence, security] : [uidFormat, existence, mandatoryFields, meta, updatable, security];
  for (const step of steps) {
    const errors = step(run, te, strategy, existing);
    if (errors.length > 0) return { errors, uniqueChecks: [] };
  }
  if (deleteOnly) return { errors: [], uniqueChecks: [] };
  const uniqueChecks: UniquenessQuery[] = [];
  const errors = attributes(run, te, existing, uniqueChecks);
  return { errors, uniqueChecks: errors.length > 0 ? [] : uniqueChecks };
}
