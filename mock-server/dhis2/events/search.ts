import type { DomainContext } from '../context.js';
import { matchesConditions, type AttributeFilter } from '../query/index.js';
import { orgUnitPredicate, type OuMode } from '../search.js';
import type { EventStatus, StoredEvent, User } from '../types.js';

/** An older state of some events (uid → version then; null = did not exist then), for stale-search faults. */
export type EventOverlay = ReadonlyMap<string, StoredEvent | null>;

/** What both event lists (legacy `/api/events`, tracker `/api/tracker/events`) filter by. */
export interface EventCriteria {
  orgUnits: string[];
  ouMode: OuMode;
  program?: string;
  programStage?: string;
  trackedEntity?: string;
  enrollments?: string[];
  uids?: string[];
  status?: EventStatus;
  includeDeleted: boolean;
  occurredAfter?: string;
  occurredBefore?: string;
  updatedAfter?: string;
  /** data value filters (`filter=<dataElement>:eq:<value>`), compared case-insensitively */
  filters: AttributeFilter[];
}

/**
 * Events matching the criteria, oldest first. Uses the enrollment and entity indexes when the
 * criteria name one; otherwise scans. With an overlay the search answers from that older state.
 */
export function searchEvents(ctx: DomainContext, user: User, c: EventCriteria, overlay?: EventOverlay): StoredEvent[] {
  const inScope = orgUnitPredicate(ctx, user, c);
  const out: StoredEvent[] = [];
  for (const e of candidates(ctx, c, overlay)) {
    if (e.deleted && !c.includeDeleted) continue;
    if (c.program && e.program !== c.program) continue;
    if (c.programStage && e.programStage !== c.programStage) continue;
    if (c.trackedEntity && e.trackedEntity !== c.trackedEntity) continue;
    if (c.enrollments && !c.enrollments.includes(e.enrollment)) continue;
    if (c.uids && !c.uids.includes(e.uid)) continue;
    if (c.status && e.status !== c.status) continue;
    if (c.occurredAfter && (e.occurredAt ?? '') < c.occurredAfter) continue;
    if (c.occurredBefore && (e.occurredAt ?? '') > c.occurredBefore) continue;
    if (c.updatedAfter && e.lastUpdated < c.updatedAfter) continue;
    if (!c.filters.every((f) => matchesConditions(e.dataValues.find((d) => d.dataElement === f.attribute)?.value, f.conditions, false))) continue;
    if (!inScope(e.orgUnit)) continue;
    out.push(e);
  }
  return out.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.uid < b.uid ? -1 : 1));
}

function candidates(ctx: DomainContext, c: EventCriteria, overlay?: EventOverlay): StoredEvent[] {
  let base: StoredEvent[];
  if (c.uids) base = c.uids.map((u) => ctx.events.get(u)).filter((e): e is StoredEvent => !!e);
  else if (c.enrollments) base = c.enrollments.flatMap((u) => ctx.events.ofEnrollment(u));
  else if (c.trackedEntity) base = ctx.events.ofEntity(c.trackedEntity);
  else base = [...ctx.events.all()];
  if (!overlay || overlay.size === 0) return base;
  const now = base.filter((e) => !overlay.has(e.uid));
  for (const old of overlay.values()) if (old) now.push(old);
  return now;
}

/** GET-by-UID through an optional stale overlay. */
export function eventAsOf(ctx: DomainContext, uid: string, overlay?: EventOverlay): StoredEvent | undefined {
  if (overlay?.has(uid)) return overlay.get(uid) ?? undefined;
  return ctx.events.get(uid);
}
