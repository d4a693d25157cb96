export { upsertTrackedEntity, type UpsertOptions, type UpsertResult, type UpsertAction } from './upsert.js';
export { upsertMany, type UpsertManyOptions, type UpsertManyResult, type UpsertManyItem, type UpsertManyProgress } from './upsert-many.js';
export { implementations, robust, robustMany, BATCH_IMPLEMENTATIONS, type UpsertImplementation, type BatchUpsertImplementation, type ImplementationName } from './implementations.js';
export { clientFor, closeCachedClients, type HarnessContext } from './context-client.js';
export {
  parseRecord,
  type UpsertRecord,
  type ValidRecord,
  type AttributeValue,
  type DataValue,
  type EventStatus,
  type RecordEnrollment,
  type RecordEvent,
  type ValidEnrollment,
  type ValidEvent,
} from './record.js';
export { EVENT_STATUSES } from './record-enrollments.js';
export type { ChildAction, EnrollmentResult, EventResult } from './children/types.js';
export { mergeAttributes, type MergeResult } from './merge.js';
export { createUidFor, keyOf, selectMatches, type UpsertKey } from './key.js';
export { singleFlight, inFlightKeys } from './single-flight.js';
export {
  RetryBudget,
  DEFAULT_RETRY,
  REAL_ENV,
  backoffDelay,
  isRetryable,
  retryAfterOf,
  realSleep,
  withRetry,
  type RetryEnv,
  type RetryOptions,
} from './retry-policy.js';
export type { ApiChoice } from './api/select.js';
export type { ApiKind } from './api/types.js';
