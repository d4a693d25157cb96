import type { DomainContext } from './context.js';
import { indexableLookup, matchesConditions, type AttributeFilter } from './query/index.js';
import { searchRoots } from './access.js';
import type { StoredEntity, User } from './types.js';
import type { EntityStore } from '../store/entity-store.js';

/**
 * An older state of some entities (uid → version then; null = did not exist then), from
 * `EntityStore.staleOverlay`. The stale-search fault puts one in `res.locals.staleOverlay` so a
 * read answers as a lagging replica would.
 */
export type StaleOverlay = ReadonlyMap<string, StoredEntity | null>;

/** GET-by-UID through an optional stale overlay. */
export function entityAsOf(store: EntityStore, uid: string, overlay?: StaleOverlay): StoredEntity | undefined {
  if (overlay?.has(uid)) return overlay.get(uid) ?? undefined;
  return store.get(uid);
}

export const OU_MODES = ['SELECTED', 'CHILDREN', 'DESCENDANTS', 'ACCESSIBLE', 'CAPTURE', 'ALL'] as const;
export type OuMode = (typeof OU_MODES)[number];

/** What both list endpoints search by, after each API's own parameter rules have run. */
export interface SearchCriteria {
  orgUnits: string[];
  ouMode: OuMode;
  program?: string;
  programStatus?: string;
  trackedEntityType?: string;
  uids?: string[];
  filters: AttributeFilter[];
  /** free-text `query` (legacy): LIKE or EQ across attribute values */
  query?: { op: 'LIKE' | 'EQ'; text: string };
  includeDeleted: boolean;
  updatedAfter?: string;
  updatedBefore?: string;
  /** legacy compares lower(value); the tracker export does too (same store query) */
  caseSensitive?: boolean;
}

/**
 * Matching entities, unsorted. Uses the UID map or the (attribute, value) index when the criteria
 * allow it, so a search by a unique attribute never scans the store. When a program is given, the
 * org-unit filter applies to the program owner org unit (spec §2.2 ouMode). With an `overlay`, the
 * search answers from that older state (every criterion is re-checked on the old versions).
 */
export function searchEntities(ctx: DomainContext, user: User, c: SearchCriteria, overlay?: StaleOverlay): StoredEntity[] {
  const inScope = orgUnitPredicate(ctx, user, c);
  const filters = c.filters.map((f) => compileFilter(f, c.caseSensitive));
  const candidates = overlay && overlay.size > 0 ? throughOverlay(candidateSet(ctx, c), overlay) : candidateSet(ctx, c);
  const out: StoredEntity[] = [];
  for (const e of candidates) {
    if (e.deleted && !c.includeDeleted) continue;
    if (c.trackedEntityType && e.trackedEntityType !== c.trackedEntityType) continue;
    if (c.program && !e.enrollments.some((en) => en.program === c.program && !en.deleted && (!c.programStatus || en.status === c.programStatus))) continue;
    if (c.uids && !c.uids.includes(e.uid)) continue;
    const ownerOu = c.program ? (e.programOwners.find((o) => o.program === c.program)?.orgUnit ?? e.orgUnit) : e.orgUnit;
    if (!inScope(ownerOu)) continue;
    if (c.updatedAfter && e.lastUpdated < c.updatedAfter) continue;
    if (c.updatedBefore && e.lastUpdated > c.updatedBefore) continue;
    if (!filters.every((f) => f.matches(valueOf(e, f.attribute)))) continue;
    if (c.query && !matchesQuery(e, c.query)) continue;
    out.push(e);
  }
  return out;
}

/** Current candidates minus those the overlay changed, plus the overlay's old versions. */
function* throughOverlay(current: Iterable<StoredEntity>, overlay: StaleOverlay): Iterable<StoredEntity> {
  for (const e of current) if (!overlay.has(e.uid)) yield e;
  for (const old of overlay.values()) if (old) yield old;
}

/**
 * A filter as a predicate, compiled once per search. EQ/IN-only filters (the search by key, and
 * upsertMany's `KEY:IN:a;b;…` with hundreds of values) become one set lookup per candidate, where
 * `matchesConditions` would normalise every argument again for every candidate (quadratic in the
 * IN list). Same semantics (attribute-match.ts): AND across conditions, no value → no match,
 * lower-cased unless case-sensitive. Anything else keeps `matchesConditions`.
 */
function compileFilter(f: AttributeFilter, caseSensitive = false): { attribute: string; matches: (value: string | undefined) => boolean } {
  const equalityOnly = f.conditions.length > 0 && f.conditions.every((cond) => cond.op === 'EQ' || cond.op === 'IN');
  if (!equalityOnly) return { attribute: f.attribute, matches: (v) => matchesConditions(v, f.conditions, caseSensitive) };
  const norm = caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const sets = f.conditions.map((cond) => new Set((cond.op === 'EQ' ? [cond.values[0] ?? ''] : cond.values).map(norm)));
  return {
    attribute: f.attribute,
    matches: (v) => {
      if (v === undefined) return false;
      const value = norm(v);
      return sets.every((set) => set.has(value));
    },
  };
}

function valueOf(e: StoredEntity, attribute: string): string | undefined {
  return e.attributes.find((a) => a.attribute === attribute)?.value;
}

function matchesQuery(e: StoredEntity, q: { op: 'LIKE' | 'EQ'; text: string }): boolean {
  const text = q.text.toLowerCase();
  return e.attributes.some((a) => (q.op === 'EQ' ? a.value.toLowerCase() === text : a.value.toLowerCase().includes(text)));
}

function candidateSet(ctx: DomainContext, c: SearchCriteria): Iterable<StoredEntity> {
  if (c.uids) return c.uids.map((u) => ctx.store.get(u)).filter((e): e is StoredEntity => !!e);
  for (const f of c.filters) {
    const keys = indexableLookup(f.conditions);
    if (!keys) continue;
    const seen = new Map<string, StoredEntity>();
    for (const k of keys) for (const e of ctx.store.holders(f.attribute, k)) seen.set(e.uid, e);
    return seen.values();
  }
  if (c.trackedEntityType) return ctx.store.ofType(c.trackedEntityType);
  return ctx.store.all();
}

/** The org units a search covers: its mode over the given units (or the user's scopes). Shared by the event and enrollment searches. */
export function orgUnitPredicate(ctx: DomainContext, user: User, c: Pick<SearchCriteria, 'ouMode' | 'orgUnits'>): (ou: string) => boolean {
  const meta = ctx.meta;
  switch (c.ouMode) {
    case 'ALL':
      return () => true;
    case 'ACCESSIBLE':
      return (ou) => meta.isWithinAny(ou, searchRoots(user));
    case 'CAPTURE':
      return (ou) => meta.isWithinAny(ou, user.organisationUnits);
    case 'CHILDREN': {
      const allowed = new Set(c.orgUnits.flatMap((o) => [o, ...meta.children(o)]));
      return (ou) => allowed.has(ou);
    }
    case 'DESCENDANTS':
      return (ou) => meta.isWithinAny(ou, c.orgUnits);
    default: {
      // SELECTED without org units is only valid with explicit UIDs (spec §2.2): the store query then
      // has no org-unit condition at all (HibernateTrackedEntityInstanceStore, inferred)
      if (c.orgUnits.length === 0) return () => true;
      const allowed = new Set(c.orgUnits);
      return (ou) => allowed.has(ou);
    }
  }
}
