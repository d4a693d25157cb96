/** Public API of dhis2-upsert-harness: the upsert core and the harness. */
export * from './uid.js';
export * from './errors.js';
export * from './harness/index.js';
export * from './client/index.js';
export * from './upsert/index.js';
export { references, type ReferenceName } from './reference/index.js';
export * from './harness/scenario/index.js';
