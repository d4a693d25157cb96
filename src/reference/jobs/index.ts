/** The job references (issue 17): each gets one part of enrollments and events wrong, as the field does. */
export { eventUidFromDate } from './event-uid-from-date.js';
export { legacyEventPut } from './legacy-event-put.js';
export { reenrollEveryRun } from './reenroll-every-run.js';
export { resendReadDataValues } from './resend-read-data-values.js';
export { searchThenCreateWithEvents } from './search-then-create-with-events.js';
export { trackerEventsNoUid } from './tracker-events-no-uid.js';
