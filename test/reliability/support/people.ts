/** Demo-fixture people for the reliability tests: create/update bodies and stored entities. */
import { DEMO_IDS } from '../../../mock-server/fixtures/demo.js';
import type { StoredEntity } from '../../../mock-server/index.js';

export const A = DEMO_IDS.attributes;
export const TET = DEMO_IDS.trackedEntityType;
export const OU = DEMO_IDS.orgUnits.ngelehun;
export const OU2 = DEMO_IDS.orgUnits.kamaranka;
export const TEI_PATH = '/api/trackedEntityInstances';

export interface LegacyBody {
  trackedEntityInstance?: string;
  trackedEntityType: string;
  orgUnit: string;
  attributes: { attribute: string; value: string }[];
}

export function createBody(uid: string | undefined, nid: string, phone: string, orgUnit: string = OU): LegacyBody {
  return {
    ...(uid ? { trackedEntityInstance: uid } : {}),
    trackedEntityType: TET,
    orgUnit,
    attributes: [
      { attribute: A.nationalId, value: nid },
      { attribute: A.firstName, value: 'Fuzz' },
      { attribute: A.phone, value: phone },
    ],
  };
}

export function updateBody(phone: string, orgUnit: string = OU) {
  return { trackedEntityType: TET, orgUnit, attributes: [{ attribute: A.phone, value: phone }] };
}

/** The i-th pre-existing person, as the store (and the --db file) holds it. */
export function storedPerson(i: number): StoredEntity {
  const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 23);
  const attr = (attribute: string, value: string) => ({ attribute, value, created: at, lastUpdated: at, storedBy: 'admin' });
  return {
    uid: `P${i.toString(36).padStart(10, '0')}`,
    trackedEntityType: TET,
    orgUnit: OU,
    created: at,
    lastUpdated: at,
    inactive: false,
    deleted: false,
    potentialDuplicate: false,
    storedBy: 'admin',
    attributes: [attr(A.nationalId, `PRE-${i}`), attr(A.firstName, 'Pre'), attr(A.phone, `+2327${String(i).padStart(7, '0')}`)],
    enrollments: [],
    programOwners: [],
  };
}

export function valueOf(e: { attributes: { attribute: string; value: string }[] }, attribute: string): string | undefined {
  return e.attributes.find((a) => a.attribute === attribute)?.value;
}

/** Did a legacy single-TEI POST or PUT answer succeed? (WebMessage with an ImportSummary/ImportSummaries) */
export function legacyAcknowledged(status: number, body: unknown): boolean {
  if (status !== 200 && status !== 201) return false;
  const r = (body as { response?: { status?: string; importSummaries?: { status?: string }[] } })?.response;
  if (!r) return false;
  if (Array.isArray(r.importSummaries)) return r.importSummaries.length === 1 && r.importSummaries[0].status === 'SUCCESS';
  return r.status === 'SUCCESS';
}
