/** Records with an enrollment and events, store reads and a body-capturing client for the issue-17 tests. */
import { Dhis2Client } from '../../../src/client/dhis2-client.js';
import type { UpsertRecord } from '../../../src/upsert/record.js';
import { DEMO_IDS, type Env, person } from './helpers.js';

export const CHILD = DEMO_IDS.program;
export const TB = DEMO_IDS.tbProgram;
export const BIRTH = DEMO_IDS.programStages.birth;
export const POSTNATAL = DEMO_IDS.programStages.babyPostnatal;
export const DE = DEMO_IDS.dataElements;

/** A person enrolled in the Child Programme with a Birth and a Baby Postnatal event (compulsory values given). */
export function childRecord(nid: string, over: { birthWeight?: string; infantWeight?: string; apgar?: string; status?: 'ACTIVE' | 'COMPLETED' } = {}): UpsertRecord {
  return {
    ...person(nid),
    enrollments: [
      {
        program: CHILD,
        enrolledAt: '2024-01-15',
        events: [
          {
            programStage: BIRTH, key: `birth-${nid}`, occurredAt: '2024-01-16', ...(over.status ? { status: over.status } : {}),
            dataValues: [
              { dataElement: DE.birthWeight, value: over.birthWeight ?? '3400' },
              { dataElement: DE.sourceVisitId, value: `birth-${nid}` },
              ...(over.apgar !== undefined ? [{ dataElement: DE.apgarScore, value: over.apgar }] : []),
            ],
          },
          {
            programStage: POSTNATAL, key: `visit-${nid}`, occurredAt: '2024-01-20',
            dataValues: [
              { dataElement: DE.infantWeight, value: over.infantWeight ?? '3600' },
              { dataElement: DE.sourceVisitId, value: `visit-${nid}` },
            ],
          },
        ],
      },
    ],
  };
}

/** The store as the done-when counts it: live entities with the key, their live enrollments and events. */
export function storeOf(env: Env, nid: string) {
  const entities = env.mock.admin.state().filter((e) => !e.deleted && e.attributes.some((a) => a.value === nid));
  const uids = new Set(entities.map((e) => e.uid));
  const enrollments = env.mock.admin.enrollments().filter((e) => !e.deleted && uids.has(e.trackedEntity));
  const events = env.mock.admin.events().filter((e) => !e.deleted && uids.has(e.trackedEntity));
  const values = (stage: string) => Object.fromEntries((events.find((e) => e.programStage === stage)?.dataValues ?? []).map((d) => [d.dataElement, d.value]));
  return { entities, enrollments, events, values };
}

/** Records every write with its body. */
export class BodyClient extends Dhis2Client {
  writes: { method: string; path: string; query?: unknown; body?: unknown }[] = [];
  override async request<T = unknown>(method: string, path: string, opts: Parameters<Dhis2Client['request']>[2] = {}) {
    if (method !== 'GET') this.writes.push({ method, path, query: opts.query, body: opts.body });
    return super.request<T>(method, path, opts);
  }
}

export function bodyClient(env: Env): BodyClient {
  return new BodyClient({ baseUrl: env.mock.url, auth: { username: 'admin', password: 'district' } });
}

/** Enrolls an entity the way another system would: a server-chosen UID. */
export async function foreignEnroll(env: Env, entity: string, program: string, api: 'legacy' | 'tracker'): Promise<string> {
  if (api === 'legacy') {
    const res = await env.client.post<any>('enrollments', { trackedEntityInstance: entity, program, orgUnit: DEMO_IDS.orgUnits.ngelehun, enrollmentDate: '2023-05-01', incidentDate: '2023-05-01' });
    return res.body.response.importSummaries[0].reference;
  }
  const uid = 'Foreign' + entity.slice(0, 4);
  await env.client.post('tracker', { enrollments: [{ enrollment: uid, trackedEntity: entity, program, orgUnit: DEMO_IDS.orgUnits.ngelehun, enrolledAt: '2023-05-01', occurredAt: '2023-05-01' }] }, { async: false });
  return uid;
}
