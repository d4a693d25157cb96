/** The known-buggy reference upserts the harness must catch (upsert.md "How integrators do it today"). */
import { callerQueryVerbatimPut } from './caller-query-verbatim-put.js';
import { naiveSearchThenCreate } from './naive-search-then-create.js';
import { searchAccessibleTakeFirstConcat } from './search-accessible-take-first-concat.js';
import { searchSelectedConcat } from './search-selected-concat.js';
import { trackerNoUid } from './tracker-no-uid.js';
import { eventUidFromDate, legacyEventPut, reenrollEveryRun, resendReadDataValues, searchThenCreateWithEvents, trackerEventsNoUid } from './jobs/index.js';

export { callerQueryVerbatimPut, naiveSearchThenCreate, searchAccessibleTakeFirstConcat, searchSelectedConcat, trackerNoUid };
export { eventUidFromDate, legacyEventPut, reenrollEveryRun, resendReadDataValues, searchThenCreateWithEvents, trackerEventsNoUid };
export type { ReferenceResult } from './common.js';

export const references = {
  searchAccessibleTakeFirstConcat,
  searchSelectedConcat,
  callerQueryVerbatimPut,
  trackerNoUid,
  naiveSearchThenCreate,
  // issue 17: records with enrollments and events, one part of the job wrong each
  eventUidFromDate,
  reenrollEveryRun,
  resendReadDataValues,
  trackerEventsNoUid,
  searchThenCreateWithEvents,
  legacyEventPut,
} as const;

export type ReferenceName = keyof typeof references;
