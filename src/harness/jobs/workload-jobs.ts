/**
 * The `events` dimension of workloads (issue 17): each implementation record also enrolls its
 * patient (Child Programme or TB program) and records one or two visits, keyed by a small pool of
 * source keys (`visit-1`, `visit-2`), on a small pool of days, with data values that sometimes
 * differ between records of one visit and sometimes leave an optional value out (so two job runs
 * set different parts of one visit). Pure data, as the rest of a workload: a replay file means
 * the same run.
 */
import fc from 'fast-check';
import type { EnrollmentSpec, EventSpec, ProgramSlot, StageSlot, Workload } from '../types.js';
import { identityOf } from '../keys.js';
import { PROGRAMS, STAGES } from './catalog.js';

/** Narrows the `events` dimension (a proof or a user focusing on one kind of story). */
export interface JobConstraints {
  /** programs to enroll in (default both: child, tb) */
  programs?: ProgramSlot[];
  /** distinct source keys per stage (default 2: visit-1, visit-2) */
  visitKeys?: number;
  /** visits per record, at most (default 2) */
  maxVisits?: number;
}

/** Index into a stage's value pools: the always-present value, then each optional one (undefined: left out). */
interface Picks {
  always: number[];
  optional: (number | undefined)[];
}

function valuesOf(stage: StageSlot, picks: Picks): Record<string, string> {
  const s = STAGES[stage];
  const out: Record<string, string> = {};
  Object.entries(s.always).forEach(([de, pool], i) => (out[de] = pool[(picks.always[i] ?? 0) % pool.length]));
  Object.entries(s.optional).forEach(([de, pool], i) => {
    const p = picks.optional[i];
    if (p !== undefined) out[de] = pool[p % pool.length];
  });
  return out;
}

function picksOf(stage: StageSlot, values: Record<string, string>): Picks {
  const s = STAGES[stage];
  return {
    always: Object.entries(s.always).map(([de, pool]) => Math.max(0, pool.indexOf(values[de]))),
    optional: Object.entries(s.optional).map(([de, pool]) => (values[de] === undefined ? undefined : Math.max(0, pool.indexOf(values[de])))),
  };
}

/** Usually `simple`, sometimes something else; shrinks toward `simple`. */
function mostly<T>(simple: T, other: fc.Arbitrary<T>, weight = 3): fc.Arbitrary<T> {
  return fc.oneof({ weight, arbitrary: fc.constant(simple) }, { weight: 1, arbitrary: other });
}

const pick = fc.integer({ min: 0, max: 1 });

function eventArb(program: ProgramSlot, visitKeys: number): fc.Arbitrary<EventSpec> {
  const stages = PROGRAMS[program].stages;
  return fc
    .record({
      // shrinks toward the first stage: the repeatable Baby Postnatal in the Child Programme
      stage: mostly(0, fc.integer({ min: 0, max: stages.length - 1 })).map((i) => stages[i]),
      // mostly the first visit: records of one patient then often touch the same visit
      key: visitKeys > 1 ? mostly(0, fc.integer({ min: 1, max: visitKeys - 1 }), 2) : fc.constant(0),
      // two visits on one day are what a date-derived event identity confuses
      day: mostly(20, fc.constant(21)),
      always: fc.array(pick, { minLength: 2, maxLength: 2 }),
      // a value left out half the time: two runs then often set different parts of one visit
      optional: fc.array(fc.option(pick, { nil: undefined, freq: 2 }), { minLength: 2, maxLength: 2 }),
    })
    .map(({ stage, key, day, always, optional }) => ({ stage, key, day, values: valuesOf(stage, { always, optional }) }));
}

export function enrollmentArb(c: JobConstraints = {}): fc.Arbitrary<EnrollmentSpec> {
  const programs: ProgramSlot[] = c.programs?.length ? c.programs : ['child', 'tb'];
  const visitKeys = Math.max(1, c.visitKeys ?? 2);
  const maxVisits = Math.max(1, c.maxVisits ?? 2);
  return fc
    .integer({ min: 0, max: programs.length - 1 })
    .map((i) => programs[i])
    .chain((program) => fc.record({ program: fc.constant(program), events: fc.array(eventArb(program, visitKeys), { minLength: 1, maxLength: maxVisits }) }));
}

/** An event moved to a stage of another program keeps its key, its day and the positions of its values. */
function refit(e: EventSpec, program: ProgramSlot): EventSpec {
  if (STAGES[e.stage].program === program) return e;
  const stage = PROGRAMS[program].stages[0];
  return { ...e, stage, values: valuesOf(stage, picksOf(e.stage, e.values)) };
}

/**
 * Makes the job part of a workload one the field has: one program per patient (the first record's),
 * one visit key in the non-repeatable Birth stage, each visit once per record; another system's
 * writes carry no enrollment (it is a clerk editing the patient).
 */
export function normalizeJobs(w: Workload): Workload {
  const programOf = new Map<string, ProgramSlot>();
  const rounds = w.rounds.map((round) =>
    round.map((op) => {
      if (!op.enrollment) return op;
      if (op.other) {
        const { enrollment: _e, ...rest } = op;
        return rest;
      }
      const id = identityOf(w.keyKind, op);
      const program = programOf.get(id) ?? op.enrollment.program;
      programOf.set(id, program);
      const seen = new Set<string>();
      const events = op.enrollment.events
        .map((e) => refit(e, program))
        .map((e) => (STAGES[e.stage].repeatable ? e : { ...e, key: 0 }))
        .filter((e) => !seen.has(`${e.stage}/${e.key}`) && !!seen.add(`${e.stage}/${e.key}`));
      return { ...op, enrollment: { program, events } };
    }),
  );
  return { ...w, rounds };
}

/** Whether any operation of the workload carries an enrollment. */
export function hasJobs(w: Workload): boolean {
  return w.rounds.some((r) => r.some((op) => op.enrollment !== undefined));
}
