export * from './dhis2-client.js';
export * from './responses.js';
export * from './url.js';
export * from './version.js';
export { classifyHttpStatus, classifyThrown, extractConflicts } from './classify.js';
export { raceAbort } from './abort.js';
