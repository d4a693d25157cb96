/**
 * The active-enrollment rule and non-repeatable stages are checked before insert (DHIS2 validates
 * against the preheat / queries, then persists; no database constraint). `racy` holds each import
 * between its checks and its commit in the same race window the uniqueness check uses, driven
 * here by the race hook (no timing): two imports checked before either commits both land.
 * `atomic` re-checks at commit.
 */
import { describe, expect, it } from 'vitest';
import type { RaceWindowInfo, UniquenessMode } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';
import { enr, ev, PROGRAM, PS, te, U, V } from '../tracker/fixtures.js';

/** Runs `requests` at once; each parks in the race window until all have arrived, then all go on. */
type Emu = Awaited<ReturnType<typeof emulator>>;

async function raced(mode: UniquenessMode, requests: (e: Emu) => Promise<{ status: number; body: any }>[], setupBody: unknown = { trackedEntities: [te(U.a)] }, version = '2.41') {
  const e = await emulator({ uniqueness: mode, dhis2Version: version });
  const setup = await e.post('/api/tracker?async=false', setupBody);
  expect(setup.status).toBe(200);
  const arrived: RaceWindowInfo[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  e.mock.admin.setRaceHook(async (info) => {
    arrived.push(info);
    await gate;
  });
  // supertest sends a request when it is awaited: start them all now
  const pending = requests(e).map((r) => Promise.resolve(r));
  if (mode === 'racy') {
    // both imports must be parked between check and commit before either may commit
    while (arrived.length < pending.length) await new Promise((r) => setImmediate(r));
  }
  release();
  const answers = await Promise.all(pending);
  e.mock.admin.setRaceHook(undefined);
  return { e, answers, arrived };
}

const enrol = (enrollment: string) => ({ enrollments: [{ ...enr(enrollment), trackedEntity: U.a }] });
const birth = (event: string) => ({ events: [ev(event, { enrollment: U.en1, programStage: PS.birth, dataValues: [] })] });

describe('racy enrollments (tracker, §3.4 race for enrollments)', () => {
  it('racy: two imports enrolling one entity, both checked before either commits → two ACTIVE enrollments, reported by the invariants', async () => {
    const { e, answers, arrived } = await raced('racy', (x) => [x.post('/api/tracker?async=false', enrol(U.en1)), x.post('/api/tracker?async=false', enrol(U.en2))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(arrived.map((a) => a.enrollmentKeys)).toEqual([
      [{ trackedEntity: U.a, program: PROGRAM, enrollment: U.en1 }],
      [{ trackedEntity: U.a, program: PROGRAM, enrollment: U.en2 }],
    ]);
    const report = e.mock.admin.invariants();
    expect(report.ok).toBe(false);
    expect(report.duplicateEnrollments).toEqual([{ trackedEntity: U.a, program: PROGRAM, reason: 'multipleActive', enrollments: [U.en1, U.en2].sort() }]);
  });

  it('atomic: check and commit are one step, so the second import sees the first enrollment (E1015 with E1016)', async () => {
    const { e, answers } = await raced('atomic', (x) => [x.post('/api/tracker?async=false', enrol(U.en1)), x.post('/api/tracker?async=false', enrol(U.en2))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.validationReport.errorReports.map((r: { errorCode: string }) => r.errorCode)).toEqual(['E1015', 'E1016']);
    expect(e.mock.admin.invariants().ok).toBe(true);
    expect(e.mock.store.get(U.a)!.enrollments).toHaveLength(1);
  });

  it('racy: the same enrollment UID created twice at once → the second hits the programinstance uid constraint', async () => {
    const { e, answers } = await raced('racy', (x) => [x.post('/api/tracker?async=false', enrol(U.en1)), x.post('/api/tracker?async=false&importStrategy=CREATE', enrol(U.en1))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.message).toMatch(/^Exception:.*uk_programinstance_uid.*Key \(uid\)=\(EnAaaaaaaa1\) already exists/);
    expect(e.mock.store.get(U.a)!.enrollments).toHaveLength(1);
  });

  const enrolledTe = { trackedEntities: [te(U.a, [], { enrollments: [enr(U.en1)] })] };

  it('racy: two Birth events for one enrollment at once → two events in a non-repeatable stage', async () => {
    const { e, answers, arrived } = await raced('racy', (x) => [x.post('/api/tracker?async=false', birth(V.ev1)), x.post('/api/tracker?async=false', birth(V.ev2))], enrolledTe);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(arrived.map((a) => a.stageKeys)).toEqual([
      [{ enrollment: U.en1, programStage: PS.birth, event: V.ev1 }],
      [{ enrollment: U.en1, programStage: PS.birth, event: V.ev2 }],
    ]);
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([{ reason: 'nonRepeatableStage', trackedEntity: U.a, programStage: PS.birth, enrollment: U.en1, events: [V.ev1, V.ev2] }]);
  });

  it('atomic: the second Birth event is refused (E1039)', async () => {
    const { e, answers } = await raced('atomic', (x) => [x.post('/api/tracker?async=false', birth(V.ev1)), x.post('/api/tracker?async=false', birth(V.ev2))], enrolledTe);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.validationReport.errorReports[0]).toMatchObject({ errorCode: 'E1039', trackerType: 'EVENT' });
    expect(e.mock.admin.invariants().duplicateEvents).toEqual([]);
  });
});

describe('racy enrollments (legacy /api/enrollments, §2.9)', () => {
  const legacy = (enrollment: string) => ({ enrollment, trackedEntityInstance: U.a, program: PROGRAM, orgUnit: enr('x').orgUnit, enrollmentDate: '2024-01-01', incidentDate: '2024-01-01' });

  it.each([
    ['racy', [200, 200], 1],
    ['atomic', [200, 409], 0],
  ] as const)('%s: two concurrent POSTs enrolling one entity → statuses %j, %i duplicate group(s)', async (mode, statuses, groups) => {
    const { e, answers } = await raced(mode, (x) => [x.post('/api/enrollments', legacy(U.en1)), x.post('/api/enrollments', legacy(U.en2))], undefined, '2.40');
    expect(answers.map((a) => a.status).sort()).toEqual([...statuses]);
    expect(e.mock.admin.invariants().duplicateEnrollments).toHaveLength(groups);
    if (mode === 'atomic') {
      const refused = answers.find((a) => a.status === 409)!;
      expect(refused.body.response.importSummaries[0].description).toBe(`TrackedEntityInstance ${U.a} already has an active enrollment in program ${PROGRAM}`);
    }
  });
});

describe("atomic's commit-time re-check (a plan made before another commit landed)", () => {
  it('an enrollment planned while racy but committed while atomic is refused: E1015 from the commit phase; events of it too', async () => {
    const e = await emulator({ uniqueness: 'racy', dhis2Version: '2.41' });
    await e.post('/api/tracker?async=false', { trackedEntities: [te(U.a)] });
    let parked!: () => void;
    const waiting = new Promise<void>((r) => (parked = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    e.mock.admin.setRaceHook(async () => {
      parked();
      await gate;
    });
    const second = Promise.resolve(e.post('/api/tracker?async=false&atomicMode=OBJECT', {
      enrollments: [{ ...enr(U.en2), trackedEntity: U.a, events: [ev(V.ev1, { programStage: PS.birth, dataValues: [] })] }],
    }));
    await waiting;
    e.mock.admin.setRaceHook(undefined);
    e.mock.admin.configure({ uniqueness: 'atomic' });
    expect((await e.post('/api/tracker?async=false', enrol(U.en1))).status).toBe(200);
    release();
    const r = await second;
    expect(r.body.validationReport.errorReports.map((x: { errorCode: string }) => x.errorCode)).toEqual(['E1015', 'E5000']);
    expect(e.mock.store.get(U.a)!.enrollments.map((x) => x.uid)).toEqual([U.en1]);
    expect(e.mock.events.size).toBe(0);
  });
});
