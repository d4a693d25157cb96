import { DEMO_IDS } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

export const OU = DEMO_IDS.orgUnits;
export const AT = DEMO_IDS.attributes;
export const TET = DEMO_IDS.trackedEntityType;
export const PROGRAM = DEMO_IDS.program;
export const TEI_PATH = '/api/trackedEntityInstances';

/** Every version that still has the legacy endpoint, and the splits its rules change at. */
export const LEGACY_VERSIONS = ['2.35', '2.36', '2.37', '2.38', '2.39', '2.40', '2.41'] as const;

/** A minimal valid legacy TEI at Ngelehun CHC (inside bo_clerk's capture scope). */
export function person(overrides: Record<string, unknown> = {}, attributes: Record<string, string | null> = {}) {
  const values: Record<string, string | null> = { [AT.firstName]: 'Joe', ...attributes };
  return {
    trackedEntityType: TET,
    orgUnit: OU.ngelehun,
    attributes: Object.entries(values).map(([attribute, value]) => ({ attribute, value })),
    ...overrides,
  };
}

export type Emu = Awaited<ReturnType<typeof emulator>>;

/** Creates a TEI through the API and returns its UID (fails the test if the import did not succeed). */
export async function create(e: Emu, tei: Record<string, unknown>): Promise<string> {
  const res = await e.post(TEI_PATH, tei);
  if (res.status !== 200) throw new Error(`setup create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.response.importSummaries[0].reference;
}

export const summaryOf = (res: { body: { response: { importSummaries: Record<string, unknown>[] } } }, i = 0) => res.body.response.importSummaries[i];

export { emulator };

export const PS = DEMO_IDS.programStages;
export const DE = DEMO_IDS.dataElements;
export const TB = DEMO_IDS.tbProgram;
export const EVENTS_PATH = '/api/events';
export const ENROLLMENTS_PATH = '/api/enrollments';

/** Fixed UIDs for the enrollment and event suites. */
export const L = { tei: 'LegTei00001', tei2: 'LegTei00002', en1: 'LegEnr00001', en2: 'LegEnr00002', ev1: 'LegEvt00001', ev2: 'LegEvt00002', ev3: 'LegEvt00003' };

/** A legacy Child Programme enrollment at Ngelehun CHC. */
export const enrolment = (extra: Record<string, unknown> = {}) => ({ program: PROGRAM, orgUnit: OU.ngelehun, enrollmentDate: '2024-01-01', incidentDate: '2024-01-01', ...extra });

/** A legacy Baby Postnatal event (Infant weight is compulsory on insert). */
export const legacyEvent = (extra: Record<string, unknown> = {}) => ({
  program: PROGRAM, programStage: PS.babyPostnatal, orgUnit: OU.ngelehun, eventDate: '2024-02-01',
  dataValues: [{ dataElement: DE.infantWeight, value: '3200' }], ...extra,
});

/** TEI `L.tei` with enrollment `L.en1` (Child Programme), as admin. */
export async function enrolled(e: Emu, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await e.post(TEI_PATH, person({ trackedEntityInstance: L.tei, enrollments: [enrolment({ enrollment: L.en1 })], ...extra }));
  if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
}
