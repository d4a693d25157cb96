/**
 * Property: whatever sequence of enrollment writes a client sends — tracker creates, updates and
 * deletes, legacy creates and deletes, across two programs (one only-enroll-once), ACTIVE,
 * COMPLETED or CANCELLED — the emulator's import rules (E1015/E1016, legacy validateRequest)
 * never let the store reach a state its own invariants call a duplicate enrollment. The two are
 * written independently (dhis2/tracker, dhis2/legacy vs dhis2/enrollments/duplicates.ts), so a
 * rule that let a duplicate through, or an invariant that flagged a legal state, fails here.
 * (Legacy updates are left out: DHIS2 does not check the rule on them.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/index.js';
import { emulator } from '../mock-server/helpers.js';
import { announceSeed, FC_SEED } from './fc-config.js';

announceSeed('enrollment-rules');

const OU = DEMO_IDS.orgUnits.ngelehun;
const TES = ['PropTe00001', 'PropTe00002'];
const ENROLLMENTS = ['PropEn00001', 'PropEn00002', 'PropEn00003', 'PropEn00004'];
const PROGRAMS = [DEMO_IDS.program, DEMO_IDS.tbProgram];
const STATUSES = ['ACTIVE', 'COMPLETED', 'CANCELLED'] as const;

const op = fc.record({
  api: fc.constantFrom('tracker', 'tracker-delete', 'legacy', 'legacy-delete'),
  te: fc.constantFrom(...TES),
  enrollment: fc.constantFrom(...ENROLLMENTS),
  program: fc.constantFrom(...PROGRAMS),
  status: fc.constantFrom(...STATUSES),
});

describe('the enrollment rules keep the enrollment invariants', () => {
  it('no sequence of accepted enrollment writes leaves a duplicate enrollment (atomic)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('2.38', '2.41'), fc.array(op, { minLength: 1, maxLength: 12 }), async (version, ops) => {
        const e = await emulator({ dhis2Version: version });
        const people = TES.map((uid) => ({ trackedEntity: uid, trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: OU, attributes: [{ attribute: DEMO_IDS.attributes.firstName, value: 'P' }] }));
        expect((await e.post('/api/tracker?async=false', { trackedEntities: people })).status).toBe(200);
        for (const o of ops) {
          const body = { enrollment: o.enrollment, program: o.program, orgUnit: OU, status: o.status };
          if (o.api === 'tracker') await e.post('/api/tracker?async=false', { enrollments: [{ ...body, trackedEntity: o.te, enrolledAt: '2024-01-01', occurredAt: '2024-01-01' }] });
          else if (o.api === 'tracker-delete') await e.post('/api/tracker?async=false&importStrategy=DELETE', { enrollments: [{ enrollment: o.enrollment }] });
          else if (o.api === 'legacy') await e.post('/api/enrollments?strategy=CREATE', { ...body, trackedEntityInstance: o.te, enrollmentDate: '2024-01-01', incidentDate: '2024-01-01' });
          else await e.del(`/api/enrollments/${o.enrollment}`);
          expect(e.mock.admin.invariants().duplicateEnrollments).toEqual([]);
        }
      }),
      { seed: FC_SEED, numRuns: 30 },
    );
  });
});

const EVENTS = ['PropEv00001', 'PropEv00002', 'PropEv00003'];
const STAGES = [DEMO_IDS.programStages.birth, DEMO_IDS.programStages.babyPostnatal];
const eventOp = fc.record({
  api: fc.constantFrom('tracker', 'tracker-delete', 'legacy', 'legacy-bulk', 'legacy-delete'),
  event: fc.constantFrom(...EVENTS),
  stage: fc.constantFrom(...STAGES),
});

describe('the stage rules keep the event invariants', () => {
  it('no sequence of accepted event writes leaves two live events in a non-repeatable stage (atomic)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('2.39', '2.41'), fc.array(eventOp, { minLength: 1, maxLength: 10 }), async (version, ops) => {
        const e = await emulator({ dhis2Version: version });
        const te = { trackedEntity: TES[0], trackedEntityType: DEMO_IDS.trackedEntityType, orgUnit: OU, attributes: [{ attribute: DEMO_IDS.attributes.firstName, value: 'P' }], enrollments: [{ enrollment: ENROLLMENTS[0], program: DEMO_IDS.program, orgUnit: OU, enrolledAt: '2024-01-01', occurredAt: '2024-01-01' }] };
        expect((await e.post('/api/tracker?async=false', { trackedEntities: [te] })).status).toBe(200);
        const values = [{ dataElement: DEMO_IDS.dataElements.infantWeight, value: '1' }];
        const tracker = (event: string, stage: string) => ({ event, enrollment: ENROLLMENTS[0], programStage: stage, orgUnit: OU, occurredAt: '2024-02-01', dataValues: stage === STAGES[1] ? values : [] });
        const legacy = (event: string, stage: string) => ({ event, program: DEMO_IDS.program, trackedEntityInstance: TES[0], programStage: stage, orgUnit: OU, eventDate: '2024-02-01', dataValues: stage === STAGES[1] ? values : [] });
        for (const o of ops) {
          if (o.api === 'tracker') await e.post('/api/tracker?async=false', { events: [tracker(o.event, o.stage)] });
          else if (o.api === 'tracker-delete') await e.post('/api/tracker?async=false&importStrategy=DELETE', { events: [{ event: o.event }] });
          else if (o.api === 'legacy') await e.post('/api/events', legacy(o.event, o.stage));
          else if (o.api === 'legacy-bulk') await e.post('/api/events', { events: EVENTS.filter((x) => x !== o.event).map((x) => legacy(x, o.stage)) });
          else await e.del(`/api/events/${o.event}`);
          expect(e.mock.admin.invariants().duplicateEvents).toEqual([]);
        }
      }),
      { seed: FC_SEED, numRuns: 30 },
    );
  });
});
