/** The known-buggy reference upserts the harness must catch (upsert.md "How integrators do it today"). */
import { callerQueryVerbatimPut } from './caller-query-verbatim-put.js';
import { naiveSearchThenCreate } from './naive-search-then-create.js';
import { searchAccessibleTakeFirstConcat } from './search-accessible-take-first-concat.js';
import { searchSelectedConcat } from './search-selected-concat.js';
import { trackerNoUid } from './tracker-no-uid.js';

export { callerQueryVerbatimPut, naiveSearchThenCreate, searchAccessibleTakeFirstConcat, searchSelectedConcat, trackerNoUid };
export type { ReferenceResult } from './common.js';

export const references = {
  searchAccessibleTakeFirstConcat,
  searchSelectedConcat,
  callerQueryVerbatimPut,
  trackerNoUid,
  naiveSearchThenCreate,
} as const;

export type ReferenceName = keyof typeof references;
