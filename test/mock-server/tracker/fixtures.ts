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
