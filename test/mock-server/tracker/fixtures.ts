import { DEMO_IDS } from '../../../mock-server/fixtures/demo.js';
import { emulator } from '../helpers.js';

export const A = DEMO_IDS.attributes;
export const OU = DEMO_IDS.orgUnits;
export const TET = DEMO_IDS.trackedEntityType;
export const PROGRAM = DEMO_IDS.program;
export const ADMIN_ID = DEMO_IDS.users.admin;

/** Fixed, valid UIDs used across the tracker suites. */
export const U = {
  a: 'TeAaaaaaaa1', b: 'TeBbbbbbbb2', c: 'TeCccccccc3', d: 'TeDddddddd4', e: 'TeEeeeeeee5',
  en1: 'EnAaaaaaaa1', en2: 'EnBbbbbbbb2',
};

export type Attr = { attribute: string; value: unknown };

/** A valid tracked entity for the demo fixture (First name is a mandatory TET attribute). */
export function te(uid: string | undefined, attributes: Attr[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(uid ? { trackedEntity: uid } : {}),
    trackedEntityType: TET,
    orgUnit: OU.ngelehun,
    attributes: [{ attribute: A.firstName, value: 'Joe' }, ...attributes],
    ...extra,
  };
}

export const nid = (value: unknown): Attr => ({ attribute: A.nationalId, value });

export type Emu = Awaited<ReturnType<typeof emulator>>;

/** Sync tracker import. */
export function sync(e: Emu, body: unknown, query = '', auth?: string) {
  return e.post(`/api/tracker?async=false${query ? `&${query}` : ''}`, body, auth);
}

/** The first error report of a tracker ImportReport. */
export function firstError(body: any): { errorCode: string; message: string; uid: string; trackerType: string; args?: string[] } {
  return body.validationReport.errorReports[0];
}

export const codes = (body: any): string[] => body.validationReport.errorReports.map((r: any) => r.errorCode);

export async function withVersion(version: string, opts: Parameters<typeof emulator>[0] = {}) {
  return emulator({ dhis2Version: version, ...opts });
}

/** Polls the job until its report is there; bounded, each attempt yields to the event loop. */
export async function waitForReport(e: Emu, jobId: string, attempts = 200) {
  for (let i = 0; i < attempts; i++) {
    const r = await e.get(`/api/tracker/jobs/${jobId}/report`);
    if (r.status === 200) return r;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`job ${jobId} did not finish within ${attempts} polls`);
}

export const PS = DEMO_IDS.programStages;
export const DE = DEMO_IDS.dataElements;
export const TB = DEMO_IDS.tbProgram;
export const BO_CLERK_ID = DEMO_IDS.users.boClerk;

/** Fixed event and extra enrollment UIDs. */
export const V = { ev1: 'EvAaaaaaaa1', ev2: 'EvBbbbbbbb2', ev3: 'EvCccccccc3', en3: 'EnCccccccc3', en4: 'EnDddddddd4' };

/** A valid Child Programme enrollment (flat when `trackedEntity` is given). */
export function enr(uid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { enrollment: uid, program: PROGRAM, orgUnit: OU.ngelehun, enrolledAt: '2024-01-01', occurredAt: '2024-01-01', ...extra };
}

/** A valid Baby Postnatal event (repeatable stage; Infant weight is compulsory on insert). */
export function ev(uid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: uid, programStage: PS.babyPostnatal, orgUnit: OU.ngelehun, occurredAt: '2024-02-01',
    dataValues: [{ dataElement: DE.infantWeight, value: '3200' }], ...extra,
  };
}

/** TE U.a with enrollment U.en1 in the Child Programme, events nested as given. */
export function enrolledTe(events: Record<string, unknown>[] = [], teExtra: Record<string, unknown> = {}) {
  return { trackedEntities: [te(U.a, [], { enrollments: [{ ...enr(U.en1), events }], ...teExtra })] };
}
