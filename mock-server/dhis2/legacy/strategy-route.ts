/**
 * Which path an object of a legacy import takes under the request's strategy, the same for TEIs,
 * enrollments and events (mergeOrDeleteTrackedEntityInstances / setTrackedEntityListByStrategy,
 * AbstractEnrollmentService, the event ImportStrategyAccumulator): CREATE_AND_UPDATE sorts by
 * existence *including* soft-deleted objects; SYNC deletes those sent with `deleted: true` and
 * otherwise sorts by existence *excluding* soft-deleted ones.
 */
import type { LegacyStrategy } from './options.js';

export type LegacyPath = 'create' | 'update' | 'delete';

export function routeByStrategy(strategy: LegacyStrategy, sent: { deleted?: boolean }, stored: { deleted?: boolean } | undefined): LegacyPath {
  switch (strategy) {
    case 'CREATE': return 'create';
    case 'UPDATE': return 'update';
    case 'DELETE': return 'delete';
    case 'SYNC':
      if (sent.deleted) return 'delete';
      return stored && !stored.deleted ? 'update' : 'create';
    default:
      return stored ? 'update' : 'create';
  }
}
