import type { EntityStore, EnrollmentRef } from '../../store/entity-store.js';
import type { StoredEntity } from '../types.js';

/**
 * The state a legacy import plans against: the store, overlaid with what this request has planned
 * so far. The legacy importers work one object after another inside one transaction, so an event
 * nested in an enrollment sees that enrollment although nothing is committed yet.
 */
export class PlannedState {
  private readonly planned = new Map<string, StoredEntity>();

  constructor(private readonly store: EntityStore) {}

  /** the entities this request changed, as it left them */
  changed(): StoredEntity[] {
    return [...this.planned.values()].filter((e) => e !== this.store.get(e.uid));
  }

  set(entity: StoredEntity): void {
    this.planned.set(entity.uid, entity);
  }

  entity(uid: string | undefined): StoredEntity | undefined {
    if (uid === undefined) return undefined;
    return this.planned.get(uid) ?? this.store.get(uid);
  }

  enrollment(uid: string | undefined): EnrollmentRef | undefined {
    if (uid === undefined) return undefined;
    for (const entity of this.planned.values()) {
      const enrollment = entity.enrollments.find((e) => e.uid === uid);
      if (enrollment) return { entity, enrollment };
    }
    return this.store.enrollment(uid);
  }
}
