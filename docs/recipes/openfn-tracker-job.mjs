// The same upsert made idempotent (docs/openfn.md): the UID is derived from the key, and the tracker
// API's CREATE_AND_UPDATE creates the entity the first time and updates it on every repeat. Two
// runs at once can still both try to create it; DHIS2 then answers the later one 409 (the UID
// exists now), and sending it once more updates. DHIS2 2.36+ (the tracker API).
import { execute, fn, post } from '@openfn/language-http';
import { fromOpenFn, keyUid, trackedEntityOf } from 'dhis2-upsert-harness/openfn';

const createOrUpdate = (record) =>
  post('/api/tracker', { trackedEntities: [trackedEntityOf(record, keyUid(record))] }, { query: { async: false, importStrategy: 'CREATE_AND_UPDATE' } });

export default fromOpenFn(execute, (record) =>
  fn(async (state) => {
    try {
      return await createOrUpdate(record)(state);
    } catch (error) {
      if (error.statusCode !== 409) throw error;
      return createOrUpdate(record)(state);
    }
  }),
);
