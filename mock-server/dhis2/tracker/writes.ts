import { UidConstraintError, type CommitOperation } from '../../store/entity-store.js';
import { dhis2Date } from '../../store/clock.js';
import { mergeAttributes } from '../attribute-values.js';
import type { PendingEventWrite, PendingWrite } from '../commit.js';
import type { DomainContext } from '../context.js';
import type { EnrollmentCheck } from '../enrollments/existing.js';
import { applyDataValues } from '../events/data-values.js';
import type { EnrollmentStatus, EventStatus, StoredEnrollment, StoredEntity, StoredEvent } from '../types.js';
import type { UniquenessQuery } from '../uniqueness.js';
import type { TrackerEnrollmentInput, TrackerEventInput, TrackerTeInput } from './payload.js';
import type { ObjectStrategy } from './types.js';

/** A failure DHIS2 would hit while persisting (a database or Hibernate exception). */
export class TrackerPersistException extends Error {
  readonly code = 'TRACKER_PERSIST_EXCEPTION';
}

/** One entity's pending write plus what it carries from the payload (for counts and reports). */
export interface PlannedWrite extends PendingWrite {
  te?: { input: TrackerTeInput; strategy: ObjectStrategy };
  enrollments: { input: TrackerEnrollmentInput; strategy: ObjectStrategy }[];
}

/** One event's pending write and the payload object it comes from (cascaded deletes have none). */
export interface PlannedEventWrite extends PendingEventWrite {
  source?: { input: TrackerEventInput; strategy: ObjectStrategy };
}

const STATUSES: readonly EnrollmentStatus[] = ['ACTIVE', 'COMPLETED', 'CANCELLED'];

/**
 * Turns the accepted objects into snapshots for `commitPhase`: one write per entity (a TE and the
 * enrollments that point at it combined) and one per event. Update semantics follow the persisters
 * (AbstractTrackerPersister, spec §3.3): attributes and data values merge, an empty value deletes,
 * omitted ones are kept; orgUnit, inactive, potentialDuplicate and geometry come from the payload.
 * Deleting a TE or an enrollment soft-deletes what hangs below it.
 */
export class WritePlan {
  private readonly byUid = new Map<string, PlannedWrite>();
  private readonly eventWrites = new Map<string, PlannedEventWrite>();
  private readonly now: number;
  private readonly stamp: string;

  constructor(private readonly ctx: DomainContext, private readonly username: string) {
    this.now = ctx.clock();
    this.stamp = dhis2Date(this.now);
  }

  get writes(): PlannedWrite[] {
    return [...this.byUid.values()];
  }

  get events(): PlannedEventWrite[] {
    return [...this.eventWrites.values()];
  }

  addTrackedEntity(input: TrackerTeInput, strategy: ObjectStrategy, uniqueChecks: UniquenessQuery[]): void {
    // Two objects with one UID in a payload collide on trackedentityinstance.uid when persisted.
    if (this.byUid.get(input.uid)?.te) throw new UidConstraintError(input.uid);
    const existing = this.ctx.store.get(input.uid);
    let entity: StoredEntity;
    let operation: CommitOperation;
    if (strategy === 'CREATE' && existing) throw new UidConstraintError(input.uid);
    if (strategy === 'DELETE') {
      if (!existing) return;
      operation = 'delete';
      entity = {
        ...existing, deleted: true, lastUpdated: this.stamp,
        enrollments: existing.enrollments.map((e) => (e.deleted ? e : { ...e, deleted: true, lastUpdated: this.stamp })),
      };
      for (const ev of this.ctx.events.ofEntity(existing.uid)) this.cascade(ev);
    } else if (!existing) {
      this.requireStructure(input);
      operation = 'create';
      entity = {
        uid: input.uid, trackedEntityType: input.trackedEntityType!, orgUnit: input.orgUnit!, created: this.stamp, lastUpdated: this.stamp,
        createdAtClient: input.createdAtClient, lastUpdatedAtClient: input.updatedAtClient, inactive: input.inactive ?? false, deleted: false,
        potentialDuplicate: input.potentialDuplicate ?? false, storedBy: this.username, geometry: input.geometry,
        attributes: mergeAttributes([], input.attributes, this.now, this.username), enrollments: [], programOwners: [],
      };
    } else {
      this.requireStructure(input);
      operation = 'update';
      entity = {
        ...existing, orgUnit: input.orgUnit!, inactive: input.inactive ?? false, potentialDuplicate: input.potentialDuplicate ?? false,
        geometry: input.geometry, lastUpdatedAtClient: input.updatedAtClient ?? existing.lastUpdatedAtClient, lastUpdated: this.stamp,
        attributes: mergeAttributes(existing.attributes, input.attributes, this.now, this.username),
      };
    }
    this.byUid.set(input.uid, { entity, operation, uniqueChecks: [...uniqueChecks], te: { input, strategy }, enrollments: [] });
  }

  addEnrollment(input: TrackerEnrollmentInput, strategy: ObjectStrategy, uniqueChecks: UniquenessQuery[], check?: EnrollmentCheck): void {
    const teUid = input.trackedEntity!;
    let write = this.byUid.get(teUid);
    if (!write) {
      const stored = this.ctx.store.get(teUid);
      if (!stored) throw new TrackerPersistException(`Could not find TrackedEntity: ${teUid}`);
      write = { entity: { ...stored, lastUpdated: this.stamp }, operation: 'update', uniqueChecks: [], enrollments: [] };
      this.byUid.set(teUid, write);
    }
    const e = write.entity;
    const old = e.enrollments.find((x) => x.uid === input.uid);
    const others = e.enrollments.filter((x) => x.uid !== input.uid);
    if (strategy === 'DELETE') {
      if (old) write.entity = { ...e, enrollments: [...others, { ...old, deleted: true, lastUpdated: this.stamp }] };
      for (const ev of this.ctx.events.ofEnrollment(input.uid)) this.cascade(ev);
    } else {
      const status = STATUSES.find((s) => s === input.status) ?? old?.status ?? 'ACTIVE';
      const ends = status !== 'ACTIVE' && old?.status !== status;
      const enrollment: StoredEnrollment = {
        uid: input.uid,
        program: input.program ?? old?.program ?? '',
        orgUnit: input.orgUnit ?? old?.orgUnit ?? e.orgUnit,
        status,
        enrollmentDate: input.enrolledAt ?? old?.enrollmentDate ?? this.stamp.slice(0, 10),
        incidentDate: input.occurredAt ?? old?.incidentDate,
        followup: input.followUp ?? old?.followup ?? false,
        deleted: false,
        created: old?.created ?? this.stamp,
        lastUpdated: this.stamp,
        storedBy: old?.storedBy ?? this.username,
        ...(status === 'ACTIVE' ? {} : { completedAt: ends ? this.stamp : old?.completedAt, completedBy: ends ? this.username : old?.completedBy }),
      };
      const owners = e.programOwners.some((o) => o.program === enrollment.program)
        ? e.programOwners
        : [...e.programOwners, { program: enrollment.program, orgUnit: enrollment.orgUnit }];
      write.entity = {
        ...e, enrollments: [...others, enrollment], programOwners: owners,
        attributes: mergeAttributes(e.attributes, input.attributes, this.now, this.username),
      };
      if (!old && !this.ctx.store.hasEnrollment(input.uid)) write.createsEnrollments = [...(write.createsEnrollments ?? []), input.uid];
      if (check) write.enrollmentChecks = [...(write.enrollmentChecks ?? []), check];
    }
    write.uniqueChecks.push(...uniqueChecks);
    write.enrollments.push({ input, strategy });
  }

  /** An accepted event: created, merged into the stored one, or soft-deleted. */
  addEvent(input: TrackerEventInput, strategy: ObjectStrategy, program: string, trackedEntity: string): void {
    const stored = this.ctx.events.get(input.uid);
    if (this.eventWrites.get(input.uid)?.source || (strategy === 'CREATE' && stored)) throw new UidConstraintError(input.uid, 'programstageinstance');
    const stage = this.ctx.meta.programStages.get(input.programStage ?? stored?.programStage ?? '');
    if (strategy === 'DELETE') {
      if (stored) this.eventWrites.set(input.uid, { event: { ...stored, deleted: true, lastUpdated: this.stamp }, operation: 'delete', source: { input, strategy } });
      return;
    }
    // only reachable with validationMode=SKIP: the event table's not-null references
    if (!stage || !(input.enrollment ?? stored?.enrollment) || !trackedEntity) {
      throw new TrackerPersistException('not-null property references a null or transient value : org.hisp.dhis.program.Event.enrollment');
    }
    const status = (input.status as EventStatus | undefined) ?? (stored ? stored.status : 'ACTIVE');
    const completes = status === 'COMPLETED' && stored?.status !== 'COMPLETED';
    const event: StoredEvent = {
      uid: input.uid,
      program,
      programStage: stage.id,
      enrollment: input.enrollment ?? stored?.enrollment ?? '',
      trackedEntity,
      orgUnit: input.orgUnit ?? stored?.orgUnit ?? '',
      status,
      occurredAt: input.occurredAt ?? stored?.occurredAt,
      scheduledAt: input.scheduledAt ?? stored?.scheduledAt,
      ...(status === 'COMPLETED'
        ? { completedAt: input.completedAt ?? (completes ? this.stamp : stored?.completedAt), completedBy: input.completedBy ?? (completes ? this.username : stored?.completedBy) }
        : {}),
      storedBy: input.storedBy ?? stored?.storedBy ?? this.username,
      followup: input.followUp ?? stored?.followup ?? false,
      geometry: input.geometry ?? stored?.geometry,
      deleted: false,
      created: stored?.created ?? this.stamp,
      lastUpdated: this.stamp,
      createdAtClient: input.createdAtClient ?? stored?.createdAtClient,
      lastUpdatedAtClient: input.updatedAtClient ?? stored?.lastUpdatedAtClient,
      dataValues: applyDataValues(stored?.dataValues ?? [], input.dataValues, 'merge', this.now, this.username),
    };
    this.eventWrites.set(input.uid, {
      event, operation: stored ? 'update' : 'create', stageCheck: !stored && stage !== undefined && !stage.repeatable, source: { input, strategy },
    });
  }

  /** A live event below a deleted TE or enrollment is soft-deleted with it. */
  private cascade(ev: StoredEvent): void {
    if (ev.deleted || this.eventWrites.has(ev.uid)) return;
    this.eventWrites.set(ev.uid, { event: { ...ev, deleted: true, lastUpdated: this.stamp }, operation: 'delete' });
  }

  /** Only reachable with validationMode=SKIP: what the persister's not-null columns would refuse. */
  private requireStructure(input: TrackerTeInput): void {
    if (!input.trackedEntityType || !this.ctx.meta.types.has(input.trackedEntityType)) {
      throw new TrackerPersistException('not-null property references a null or transient value : org.hisp.dhis.trackedentity.TrackedEntity.trackedEntityType');
    }
    if (!input.orgUnit || !this.ctx.meta.orgUnits.has(input.orgUnit)) {
      throw new TrackerPersistException('not-null property references a null or transient value : org.hisp.dhis.trackedentity.TrackedEntity.organisationUnit');
    }
  }
}
