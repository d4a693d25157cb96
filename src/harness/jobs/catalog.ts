/**
 * The demo fixture's programs, stages and data elements a job workload uses (docs/enrollments-events.md),
 * and the mapping from a workload's pure-data enrollment spec to the record an upsert receives.
 * Dates lie in January 2024: never in the future, so no date rule of DHIS2 refuses them.
 */
import { DEMO_IDS } from '../../../mock-server/index.js';
import type { EnrollmentSpec, EventSpec, HarnessEnrollment, ProgramSlot, StageSlot } from '../types.js';

const de = DEMO_IDS.dataElements;

export interface StageInfo {
  id: string;
  program: ProgramSlot;
  /** DHIS2 allows more than one (live) event per enrollment */
  repeatable: boolean;
  /** data values every record of the stage carries (compulsory ones first) */
  always: Record<string, readonly string[]>;
  /** data values a record may carry or leave out: two job runs then set different parts of one visit */
  optional: Record<string, readonly string[]>;
}

export const STAGES: Record<StageSlot, StageInfo> = {
  // compulsory Weight (g): checked ON_COMPLETE only, sent always anyway (a birth has a weight)
  birth: { id: DEMO_IDS.programStages.birth, program: 'child', repeatable: false, always: { [de.birthWeight]: ['3400', '3600'] }, optional: { [de.apgarScore]: ['7', '9'], [de.apgarComment]: ['calm', 'watch'] } },
  postnatal: { id: DEMO_IDS.programStages.babyPostnatal, program: 'child', repeatable: true, always: { [de.infantWeight]: ['4100', '4300'] }, optional: { [de.infantFeeding]: ['Exclusive', 'Mixed'] } },
  tbVisit: { id: DEMO_IDS.programStages.tbVisit, program: 'tb', repeatable: true, always: { [de.tbSmearResult]: ['0', '2'] }, optional: {} },
};

export const PROGRAMS: Record<ProgramSlot, { id: string; onlyEnrollOnce: boolean; stages: StageSlot[] }> = {
  child: { id: DEMO_IDS.program, onlyEnrollOnce: true, stages: ['postnatal', 'birth'] },
  tb: { id: DEMO_IDS.tbProgram, onlyEnrollOnce: false, stages: ['tbVisit'] },
};

/** Programs by UID: whether a second enrollment is a duplicate even when the first is completed. */
export function onlyEnrollOnce(program: string): boolean {
  return Object.values(PROGRAMS).some((p) => p.id === program && p.onlyEnrollOnce);
}

export function stageById(id: string): StageInfo | undefined {
  return Object.values(STAGES).find((s) => s.id === id);
}

export const ENROLLED_AT = '2024-01-15';

/** The source key of a visit, as the source system names it. */
export function eventKeyOf(key: number): string {
  return `visit-${key + 1}`;
}

export function occurredAtOf(day: number): string {
  return `2024-01-${String(day).padStart(2, '0')}`;
}

function eventOf(e: EventSpec): HarnessEnrollment['events'][number] {
  return {
    programStage: STAGES[e.stage].id,
    key: eventKeyOf(e.key),
    occurredAt: occurredAtOf(e.day),
    dataValues: Object.entries(e.values).map(([dataElement, value]) => ({ dataElement, value })),
  };
}

/** The `enrollments` of a record (interfaces.md, issue 17) for a workload op's enrollment spec. */
export function enrollmentsOf(spec: EnrollmentSpec, orgUnit: string): HarnessEnrollment[] {
  return [{ program: PROGRAMS[spec.program].id, orgUnit, enrolledAt: ENROLLED_AT, events: spec.events.map(eventOf) }];
}
