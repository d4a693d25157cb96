// An OpenFn job as a harness implementation (docs/openfn.md): the common search-then-create
// upsert, written with OpenFn's HTTP adaptor the way adaptor 8.x's upsert('trackedEntityInstances')
// does it — search by the key, POST when nothing matches, PUT when one entity does. No stable UID
// and no retry: two job runs at once can both find nothing and both create, and the harness shows it.
import { execute, fn, get, post, put } from '@openfn/language-http';
import { fromOpenFn, searchQueryOf, teiOf } from 'dhis2-upsert-harness/openfn';

export default fromOpenFn(execute, (record) => [
  get('/api/trackedEntityInstances', { query: searchQueryOf(record, { ouMode: 'ACCESSIBLE' }) }),
  fn((state) => {
    const found = state.data.trackedEntityInstances;
    if (found.length > 1) throw new Error(`Upsert failed: ${found.length} records found for a unique key.`);
    if (found.length === 1) return put(`/api/trackedEntityInstances/${found[0].trackedEntityInstance}`, teiOf(record))(state);
    return post('/api/trackedEntityInstances', teiOf(record))(state);
  }),
]);
