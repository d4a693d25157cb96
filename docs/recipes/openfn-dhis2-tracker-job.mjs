// The adaptor 8.x job made idempotent (docs/openfn.md): the tracker API with a UID derived from
// the key, so every run, retry and re-run creates or updates the same entity; a 409 from a run
// that lost the race to create it is sent once more, and then updates. DHIS2 2.36+.
import { execute, fn, upsert } from '@openfn/language-dhis2';
import { fromOpenFn, keyUid, trackedEntityOf } from 'dhis2-upsert-harness/openfn';

const createOrUpdate = (record) => upsert('trackedEntities', {}, trackedEntityOf(record, keyUid(record)));

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
