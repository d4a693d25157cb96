/**
 * `import { fromOpenFn } from 'dhis2-upsert-harness/openfn'`: check an OpenFn job with the harness
 * in a few lines (docs/openfn.md).
 */
export { fromOpenFn, OpenFnSetupError, type FromOpenFnOptions, type OpenFnResult } from './from-openfn.js';
export { OpenFnHttpError, OpenFnJobError, OpenFnTransportError, toHarnessError, dhis2Reason } from './errors.js';
export { configurationFor, apiVersionOf } from './configuration.js';
export { uidFromResponse, uidFromState } from './uid.js';
export { captureConsole } from './console-capture.js';
export { keyUid, keyValue, searchQueryOf, teiOf, trackedEntityOf } from './record.js';
export type { OpenFnExecute, OpenFnOperation, OpenFnState } from './types.js';
