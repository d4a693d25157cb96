import type { EventStore } from '../../store/event-store.js';
import type { StoredEvent } from '../types.js';

/**
 * The event that already occupies a non-repeatable stage of an enrollment, if any: a live event of
 * that stage other than `exclude`. The legacy importer ignores SKIPPED events
 * (ProgramInstanceRepeatableStageCheck's SQL); the tracker preheat counts every live one.
 */
export function stageOccupant(
  events: EventStore, enrollment: string, programStage: string, exclude: string | undefined, ignoreSkipped: boolean,
): StoredEvent | undefined {
  return events.ofEnrollment(enrollment).find(
    (e) => !e.deleted && e.programStage === programStage && e.uid !== exclude && !(ignoreSkipped && e.status === 'SKIPPED'),
  );
}
