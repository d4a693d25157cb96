// upsert-job.js — an OpenFn job for the DHIS2 adaptor 8.x (run by the OpenFn CLI through
// docs/recipes/openfn-upsert.sh): upserts the record in state.data by its key, the way the
// adaptor does it — search (ou, trackedEntityType, filter), then POST or PUT.
upsert(
  'trackedEntityInstances',
  (state) => ({
    ou: state.data.orgUnit,
    trackedEntityType: state.data.trackedEntityType,
    filter: [`${state.data.matchAttribute}:EQ:${state.data.attributes.find((a) => a.attribute === state.data.matchAttribute).value}`],
  }),
  (state) => ({ trackedEntityType: state.data.trackedEntityType, orgUnit: state.data.orgUnit, attributes: state.data.attributes }),
);
