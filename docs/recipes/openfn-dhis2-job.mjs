// An OpenFn job written with the DHIS2 adaptor 8.x (docs/openfn.md): its upsert searches by the
// key (ou, trackedEntityType, filter), then POSTs or PUTs. Needs @openfn/language-dhis2 8.x
// installed next to this file (it is not on every npm registry).
import { execute, upsert } from '@openfn/language-dhis2';
import { fromOpenFn, searchQueryOf, teiOf } from 'dhis2-upsert-harness/openfn';

export default fromOpenFn(execute, (record) => upsert('trackedEntityInstances', searchQueryOf(record), teiOf(record)));
