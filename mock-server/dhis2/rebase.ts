import type { StoredEntity } from './types.js';

/**
 * DHIS2 stores each attribute value as its own row (trackedentityattributevalue, keyed by
 * (tei, attribute)), so two concurrent updates of one entity that touch different attributes both
 * survive; only the entity's own columns are last-writer-wins. An import plans its write against
 * the entity as it read it (`base`); when another commit landed meanwhile (`current`), the planned
 * row changes are re-applied on top of `current` instead of overwriting it wholesale.
 */
export function rebaseWrite(base: StoredEntity, planned: StoredEntity, current: StoredEntity): StoredEntity {
  const baseValues = new Map(base.attributes.map((a) => [a.attribute, a]));
  const plannedValues = new Map(planned.attributes.map((a) => [a.attribute, a]));
  const merged = new Map(current.attributes.map((a) => [a.attribute, a]));
  for (const [id, row] of plannedValues) if (baseValues.get(id) !== row) merged.set(id, row);
  for (const id of baseValues.keys()) if (!plannedValues.has(id)) merged.delete(id);

  const baseEnrollments = new Map(base.enrollments.map((e) => [e.uid, e]));
  const enrollments = new Map(current.enrollments.map((e) => [e.uid, e]));
  for (const e of planned.enrollments) if (baseEnrollments.get(e.uid) !== e) enrollments.set(e.uid, e);

  const owners = [...current.programOwners];
  for (const o of planned.programOwners) if (!owners.some((x) => x.program === o.program)) owners.push(o);

  return {
    ...planned,
    created: current.created,
    deleted: planned.deleted || current.deleted,
    attributes: [...merged.values()],
    enrollments: [...enrollments.values()],
    programOwners: owners,
  };
}
