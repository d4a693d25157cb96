/** Public API of dhis2-upsert-harness: the upsert core and the harness. */
export * from './uid.js';
export * from './errors.js';
export * from './harness/index.js';
