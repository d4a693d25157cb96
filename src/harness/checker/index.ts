/** The checker: every property over every key of a history. */
import type { Finding } from '../findings.js';
import type { History } from '../history.js';
import { checkActions } from './actions.js';
import { checkAmbiguity } from './ambiguity.js';
import { checkConvergence } from './convergence.js';
import { checkLostDataValues } from './data-values.js';
import { checkDuplicates } from './duplicates.js';
import { checkDuplicateEnrollments } from './enrollments.js';
import { checkDuplicateEvents } from './events.js';
import { checkIdempotency } from './idempotency.js';
import { keyViews, type KeyView } from './key-view.js';
import { checkLinearizability } from './linearizability.js';
import { checkLostAttributes } from './lost-attributes.js';
import { checkMerged } from './merged.js';

export { keyViews, type KeyView } from './key-view.js';
export { checkActions, checkAmbiguity, checkConvergence, checkDuplicateEnrollments, checkDuplicateEvents, checkDuplicates, checkLostDataValues, checkIdempotency, checkLinearizability, checkLostAttributes, checkMerged };

/** One property over one key. */
export type KeyProperty = (view: KeyView) => Finding[];

/** In the order a reader wants them: the most fundamental violation first. */
export const PROPERTIES: Record<string, KeyProperty> = {
  merged: checkMerged,
  duplicates: checkDuplicates,
  duplicateEnrollments: checkDuplicateEnrollments,
  duplicateEvents: checkDuplicateEvents,
  ambiguity: checkAmbiguity,
  lostAttributes: checkLostAttributes,
  lostDataValues: checkLostDataValues,
  idempotency: checkIdempotency,
  convergence: checkConvergence,
  linearizability: checkLinearizability,
  actions: checkActions,
};

export function checkHistory(history: History): Finding[] {
  return keyViews(history).flatMap((view) => Object.values(PROPERTIES).flatMap((p) => p(view)));
}
