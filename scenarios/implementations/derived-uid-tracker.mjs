// An integration that makes creates idempotent by deriving the tracked entity's UID from the
// source system's ID (a hash), then imports with /api/tracker CREATE_AND_UPDATE. Correct until a
// data manager soft-deletes the entity: DHIS2 never reuses a deleted UID (spec §2.6, §3.5 E1114),
// so every later import of that person fails, forever. Loaded through `module:`.
import { createHash } from 'node:crypto';
import { api, keyOf } from './dhis2-http.mjs';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALNUM = `0123456789${LETTERS}`;

/** A DHIS2 UID from a source ID: first character a letter, then ten alphanumerics. */
export function uidFromSourceId(sourceId) {
  const bytes = createHash('sha256').update(`source-id:${sourceId}`).digest();
  let uid = LETTERS[bytes[0] % LETTERS.length];
  for (let i = 1; i <= 10; i++) uid += ALNUM[bytes[i] % ALNUM.length];
  return uid;
}

export default async function derivedUidTracker(record, ctx) {
  const http = api(ctx);
  const uid = uidFromSourceId(keyOf(record));
  const te = { trackedEntity: uid, trackedEntityType: record.trackedEntityType, orgUnit: record.orgUnit, attributes: record.attributes };
  const report = await http.post('tracker?async=false&importStrategy=CREATE_AND_UPDATE', { trackedEntities: [te] });
  if (report.status !== 'OK') throw Object.assign(new Error(`tracker import ${report.status}`), { outcomeUnknown: false });
  return { uid };
}
