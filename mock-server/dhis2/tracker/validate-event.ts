import { canCapture, hasAuthority, isSuperuser } from '../access.js';
import { dataValueStatus } from '../events/data-values.js';
import { stageOccupant } from '../events/stage.js';
import type { DataElement, Program, ProgramStage, StoredEvent } from '../types.js';
import { ownershipErrors } from './ownership.js';
import type { TrackerEventInput } from './payload.js';
import { err, type ImportRun, type ObjectStrategy, type TrackerError } from './types.js';

const EV = 'EVENT' as const;

/** What the event validators need to know about the payload's enrollments. */
export interface EventScope {
  /** enrollments of the payload that passed validation (2.36–2.39 drop the others before events are validated) */
  validEnrollment: (uid: string) => boolean;
}

export function eventStrategy(run: ImportRun, uid: string): ObjectStrategy {
  const s = run.params.importStrategy;
  if (s === 'CREATE_AND_UPDATE') return run.ctx.events.has(uid) ? 'UPDATE' : 'CREATE';
  return s;
}

/** The event's program: as sent, else its stage's (EventProgramPreProcessor). */
export function eventProgram(run: ImportRun, ev: TrackerEventInput): string | undefined {
  return ev.program ?? (ev.programStage ? run.ctx.meta.programStages.get(ev.programStage)?.program : undefined);
}

/** Where the event's enrollment is (store or payload): its program and tracked entity. */
export function eventEnrollment(run: ImportRun, scope: EventScope, uid: string | undefined): { program?: string; trackedEntity?: string; stored: boolean } | undefined {
  if (!uid) return undefined;
  const stored = run.ctx.store.enrollment(uid);
  if (stored && !stored.enrollment.deleted) return { program: stored.enrollment.program, trackedEntity: stored.entity.uid, stored: true };
  const payload = run.bundle.enrollments.find((e) => e.uid === uid);
  if (payload && (run.ctx.version.atLeast('2.40') || scope.validEnrollment(uid))) return { program: payload.program, trackedEntity: payload.trackedEntity, stored: false };
  return undefined;
}

/**
 * Event validation (event/EventValidator 2.40, the PreCheck and Event hooks before): a sequence of
 * existence, mandatory fields, metadata, updatable fields, data relations and security (each
 * stopping the rest when it reports), then the date and data value rules together. DELETE runs
 * existence and security only. The non-repeatable stage rule runs afterwards over all events
 * (see repeatedEventErrors).
 */
export function validateEvent(run: ImportRun, scope: EventScope, ev: TrackerEventInput, strategy: ObjectStrategy): TrackerError[] {
  const { meta } = run.ctx;
  const stored = run.ctx.events.get(ev.uid);
  if (stored?.deleted) return [err(EV, ev.uid, 'E1082', ev.uid)];
  if (stored && strategy === 'CREATE') return [err(EV, ev.uid, 'E1030', ev.uid)];
  if (!stored && strategy !== 'CREATE') return [err(EV, ev.uid, 'E1032', ev.uid)];
  if (strategy === 'DELETE' && run.ctx.version.atLeast('2.37')) return security(run, ev, strategy, stored!, meta.programs.get(stored!.program)!, stored!.trackedEntity);

  const stageKnown = ev.programStage !== undefined && meta.programStages.has(ev.programStage);
  const mandatory = [
    ...(ev.orgUnit ? [] : [err(EV, ev.uid, 'E1123', 'orgUnit')]),
    ...(ev.programStage ? [] : [err(EV, ev.uid, 'E1123', 'programStage')]),
    ...(!stageKnown && !ev.program ? [err(EV, ev.uid, 'E1123', 'program')] : []),
  ];
  if (mandatory.length > 0) return mandatory;
  const programUid = eventProgram(run, ev);
  const program = programUid ? meta.programs.get(programUid) : undefined;
  const stage = meta.programStages.get(ev.programStage!);
  const metaErrors = [
    ...(meta.orgUnits.has(ev.orgUnit!) ? [] : [err(EV, ev.uid, 'E1011', ev.orgUnit)]),
    ...(program ? [] : [err(EV, ev.uid, 'E1010', programUid)]),
    ...(stage ? [] : [err(EV, ev.uid, 'E1013', ev.programStage)]),
  ];
  if (metaErrors.length > 0 || !program || !stage) return metaErrors;
  if (stored && strategy === 'UPDATE') {
    const changed = [
      ...(stage.id !== stored.programStage ? [err(EV, ev.uid, 'E1128', 'programStage')] : []),
      ...(ev.enrollment !== undefined && ev.enrollment !== stored.enrollment ? [err(EV, ev.uid, 'E1128', 'enrollment')] : []),
    ];
    if (changed.length > 0) return changed;
  }
  // an update may leave the enrollment out: the stored event's is kept (inferred, as E1128 forbids changing it)
  if (stored && ev.enrollment === undefined) ev.enrollment = stored.enrollment;
  const enrollment = eventEnrollment(run, scope, ev.enrollment);
  const relations: TrackerError[] = [];
  if (stage.program !== program.id) relations.push(err(EV, ev.uid, 'E1089', ev.uid, stage.id, program.id));
  if (program.programType === 'WITH_REGISTRATION') {
    if (!ev.enrollment) relations.push(err(EV, ev.uid, 'E1033', ev.uid));
    else if (enrollment?.program !== program.id) relations.push(err(EV, ev.uid, 'E1079', ev.uid, program.id, ev.enrollment));
  }
  if (!program.organisationUnits.includes(ev.orgUnit!)) relations.push(err(EV, ev.uid, 'E1029', ev.orgUnit, program.id));
  if (relations.length > 0) return relations;
  const securityErrors = security(run, ev, strategy, stored, program, enrollment?.trackedEntity);
  if (securityErrors.length > 0) return securityErrors;
  return [...dateErrors(ev), ...dataValueErrors(run, ev, stage)];
}

/**
 * event/SecurityOwnershipValidator (2.40; the 2.39 hook alike): the capture scope of the event's
 * org unit is checked twice on create and delete — once for the event, once more inside the write
 * access check — so an event outside the user's capture scope carries E1000 twice. Then the
 * entity's ownership in the program (only where an owner is recorded), and un-completing a
 * COMPLETED event needs F_UNCOMPLETE_EVENT.
 */
function security(run: ImportRun, ev: TrackerEventInput, strategy: ObjectStrategy, stored: StoredEvent | undefined, program: Program, teUid: string | undefined): TrackerError[] {
  const { meta } = run.ctx;
  const errors: TrackerError[] = [];
  const orgUnit = strategy === 'CREATE' ? ev.orgUnit! : stored!.orgUnit;
  const outside = !canCapture(meta, run.user, orgUnit);
  if (outside && strategy !== 'UPDATE') errors.push(err(EV, ev.uid, 'E1000', run.user.id, orgUnit), err(EV, ev.uid, 'E1000', run.user.id, orgUnit));
  if (teUid) errors.push(...ownershipErrors(run, EV, ev.uid, teUid, program, false));
  if (strategy === 'UPDATE' && stored?.status === 'COMPLETED' && (ev.status ?? 'ACTIVE') !== 'COMPLETED' && !isSuperuser(run.user) && !hasAuthority(run.user, 'F_UNCOMPLETE_EVENT')) {
    errors.push(err(EV, ev.uid, 'E1083', run.user.id));
  }
  return errors;
}

/** event/DateValidator: an ACTIVE or COMPLETED event needs occurredAt, a SCHEDULE one scheduledAt. */
function dateErrors(ev: TrackerEventInput): TrackerError[] {
  const status = ev.status ?? 'ACTIVE';
  if (!ev.occurredAt && (status === 'ACTIVE' || status === 'COMPLETED')) return [err(EV, ev.uid, 'E1031')];
  if (!ev.scheduledAt && status === 'SCHEDULE') return [err(EV, ev.uid, 'E1050')];
  return [];
}

/**
 * event/DataValuesValidator: unknown data element E1304; a value its type refuses E1302 (with
 * ValidationUtils' key), an option that is not in the set E1125; a blank compulsory value E1076;
 * compulsory data elements missing from the payload E1303; data elements not on the stage E1305.
 * Compulsory values are checked only when the stage's validation strategy asks for it
 * (ON_COMPLETE: COMPLETED events only; never for SCHEDULE, SKIPPED, OVERDUE).
 */
function dataValueErrors(run: ImportRun, ev: TrackerEventInput, stage: ProgramStage): TrackerError[] {
  const { meta } = run.ctx;
  const errors: TrackerError[] = [];
  const status = ev.status ?? 'ACTIVE';
  const validate = !['SCHEDULE', 'SKIPPED', 'OVERDUE'].includes(status) && ((stage.validationStrategy ?? 'ON_COMPLETE') === 'ON_UPDATE_AND_INSERT' || status === 'COMPLETED');
  const onStage = new Map(stage.programStageDataElements.map((p) => [p.dataElement, p]));
  for (const dv of ev.dataValues) {
    const de = meta.dataElements.get(dv.dataElement);
    if (!de) {
      errors.push(err(EV, ev.uid, 'E1304', dv.dataElement));
      continue;
    }
    if (dv.value === null) {
      if (validate && onStage.get(de.id)?.compulsory) errors.push(err(EV, ev.uid, 'E1076', 'DataElement', de.id));
      continue;
    }
    errors.push(...valueErrors(run, ev.uid, de, dv.value));
  }
  if (validate) {
    const sent = new Set(ev.dataValues.map((d) => d.dataElement));
    for (const p of stage.programStageDataElements) if (p.compulsory && !sent.has(p.dataElement)) errors.push(err(EV, ev.uid, 'E1303', p.dataElement));
  }
  for (const id of new Set(ev.dataValues.map((d) => d.dataElement))) if (!onStage.has(id)) errors.push(err(EV, ev.uid, 'E1305', id, stage.id));
  return errors;
}

/** One data value's type or option error: E1125 (≤2.40 codes compared ignoring case) or E1302. */
function valueErrors(run: ImportRun, uid: string, de: DataElement, value: string): TrackerError[] {
  const { meta, version } = run.ctx;
  const status = dataValueStatus(meta, de, value);
  if (!status) return [];
  if (status !== 'value_not_valid_option') return [err(EV, uid, 'E1302', de.id, status)];
  const set = meta.optionSets.get(de.optionSet!);
  if (version.below('2.41')) {
    if (set?.options.some((o) => o.code.toLowerCase() === value.toLowerCase())) return [];
    return [err(EV, uid, 'E1125', value, de.id, 'DataElement', (set?.options ?? []).map((o) => o.code).join(','))];
  }
  return [err(EV, uid, 'E1125', value, de.optionSet!)];
}

/**
 * RepeatedEventsValidator, over the events that are still valid and not deleted: two or more of
 * them for one non-repeatable stage of one enrollment each get E1039; a new one for a stage the
 * enrollment already has a live event of gets E1039 too (both, when both are true).
 */
export function repeatedEventErrors(run: ImportRun, valid: { input: TrackerEventInput; strategy: ObjectStrategy }[]): TrackerError[] {
  const { meta } = run.ctx;
  const errors: TrackerError[] = [];
  const groups = new Map<string, TrackerEventInput[]>();
  for (const { input, strategy } of valid) {
    const stage = meta.programStages.get(input.programStage ?? '');
    if (strategy === 'DELETE' || !stage || stage.repeatable || meta.programs.get(stage.program)?.programType !== 'WITH_REGISTRATION') continue;
    const key = `${stage.id}\u0000${input.enrollment}`;
    groups.set(key, [...(groups.get(key) ?? []), input]);
  }
  for (const list of groups.values()) if (list.length > 1) for (const e of list) errors.push(err(EV, e.uid, 'E1039', e.programStage));
  for (const { input, strategy } of valid) {
    const stage = meta.programStages.get(input.programStage ?? '');
    if (strategy !== 'CREATE' || !stage || stage.repeatable || !input.enrollment || !run.ctx.store.hasEnrollment(input.enrollment)) continue;
    if (stageOccupant(run.ctx.events, input.enrollment, stage.id, input.uid, false)) errors.push(err(EV, input.uid, 'E1039', stage.id));
  }
  return errors;
}
