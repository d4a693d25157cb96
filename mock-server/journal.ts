import { clipText, JOURNAL_TEXT_MAX, jsonBytes } from './journal-size.js';
import type { CommitEvent } from './store/commit-feed.js';

/** 32 MiB: ~100,000 typical entries; `--journal-max-bytes` / `journalMaxBytes` change it. */
export const DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024;

export interface RequestEntry {
  type: 'request';
  seq: number;
  at: number;
  requestId: string;
  method: string;
  /** as the client sent it (before /api/NN/ and .json normalisation) */
  path: string;
  query: string;
  /** the authenticated DHIS2 user, once known */
  user?: string;
  bodyBytes: number;
  /** first 16 hex digits of the SHA-256 of the raw body, once read */
  bodyHash?: string;
  /** set on the emulator's own re-deliveries (duplicate-delivery fault): the client request they copy */
  deliveryOf?: string;
  delivery?: number;
  /** the emulator had no handler for it (answered 404 "No handler found"): see `GET /__admin/unhandled` */
  unhandled?: true;
}

export interface ResponseEntry {
  type: 'response';
  seq: number;
  at: number;
  requestId: string;
  /** 0 when the connection closed without an answer */
  status: number;
  summary: string;
  durationMs: number;
}

export interface CommitEntry {
  type: 'commit';
  seq: number;
  at: number;
  requestId?: string;
  commitSeq: number;
  /** what was written: absent for a tracked entity (so readers written before enrollments keep working) */
  kind?: 'trackedEntity' | 'enrollment' | 'event';
  /** the tracked entity's, enrollment's or event's UID, as `kind` says */
  uid: string;
  operation: string;
  deleted: boolean;
  /** attribute values of a tracked entity (empty for enrollments and events) */
  changes: AttributeChange[];
  /** enrollment and event: the tracked entity they belong to */
  trackedEntity?: string;
  /** event: its enrollment */
  enrollment?: string;
  program?: string;
  programStage?: string;
  /** enrollment or event status after the write */
  status?: string;
  /** event: data values it set, changed or cleared */
  dataValues?: DataValueChange[];
}

export interface DataValueChange {
  dataElement: string;
  before: string | null;
  after: string | null;
}

export interface FaultEntry {
  type: 'fault';
  seq: number;
  at: number;
  requestId: string;
  kind: string;
  /** index of the rule in the plan */
  rule: number;
  /** `POST /api/trackedEntityInstances`: the route the ordinal counts on */
  route: string;
  ordinal: number;
  /** whether the request had written anything when the fault struck */
  committed: boolean;
  detail?: string;
}

export type JournalEntry = RequestEntry | ResponseEntry | CommitEntry | FaultEntry;

export interface AttributeChange {
  attribute: string;
  before: string | null;
  after: string | null;
}

export interface JournalQuery {
  /** epoch ms, inclusive */
  since?: number;
  until?: number;
  /** entries about this entity: its commits and every entry of a request that wrote or named it */
  uid?: string;
  /** entries about this attribute value (case-insensitive): commits that set or cleared it, requests that searched for it */
  value?: string;
  types?: JournalEntry['type'][];
  requestId?: string;
  /** entries after this `seq` (exclusive): the next page after a truncated answer */
  after?: number;
}

export interface JournalView {
  entries: JournalEntry[];
  /** entries evicted because the journal was full (by count or by bytes) */
  dropped: number;
  limit: number;
  /** only when an answer stopped early (GET /__admin/journal's byte cap): the last `seq` sent; ask again with `after` */
  next?: number;
}

type Omitted<T> = T extends unknown ? Omit<T, 'seq' | 'at'> : never;

/**
 * In-order log of requests, responses, commits and injected faults. A ring buffer bounded twice:
 * by `limit` entries and by `maxBytes`, the size of the entries as JSON (what `GET /__admin/journal`
 * sends). The oldest are evicted first and counted in `dropped`, so memory and the admin answer
 * stay bounded under any load; an entry larger than `maxBytes` on its own is not kept. Texts longer
 * than JOURNAL_TEXT_MAX characters are kept as their start plus size and hash (journal-size.ts).
 */
export class Journal {
  private ring: (JournalEntry | undefined)[];
  /** each held entry's JSON size, by ring slot */
  private sizes: Float64Array;
  private head = 0;
  private count = 0;
  private seq = 0;
  private held = 0;
  dropped = 0;
  /** commits per request id, for "was it committed when the fault struck?"; bounded like the ring */
  private readonly commitCounts = new Map<string, number>();

  constructor(
    readonly limit = 50_000,
    private readonly clock: () => number = Date.now,
    readonly maxBytes = DEFAULT_JOURNAL_MAX_BYTES,
  ) {
    this.ring = new Array(limit);
    this.sizes = new Float64Array(limit);
  }

  /** what the held entries take as JSON, separators included */
  get bytes(): number {
    return this.held;
  }

  add<E extends Omitted<JournalEntry>>(entry: E): E & { seq: number; at: number } {
    const full = { ...entry, seq: ++this.seq, at: this.clock() } as E & { seq: number; at: number };
    const fields = full as unknown as Record<string, unknown>;
    for (const key in fields) {
      const v = fields[key];
      if (typeof v === 'string' && v.length > JOURNAL_TEXT_MAX) fields[key] = clipText(v);
    }
    const size = jsonBytes(full) + 1;
    if (size > this.maxBytes) {
      this.dropped++;
      return full;
    }
    while (this.count === this.limit || (this.count > 0 && this.held + size > this.maxBytes)) this.evictOldest();
    const slot = (this.head + this.count) % this.limit;
    this.count++;
    this.ring[slot] = full as unknown as JournalEntry;
    this.sizes[slot] = size;
    this.held += size;
    return full;
  }

  /**
   * Re-measures an entry that was filled in after it was added (a request's user and body hash),
   * evicting the oldest if it no longer fits. No-op once the entry has been evicted.
   */
  remeasure(entry: JournalEntry): void {
    const oldestSeq = this.seq - this.count + 1;
    if (entry.seq < oldestSeq || entry.seq > this.seq) return;
    const slot = (this.head + (entry.seq - oldestSeq)) % this.limit;
    if (this.ring[slot] !== entry) return;
    const size = jsonBytes(entry) + 1;
    this.held += size - this.sizes[slot];
    this.sizes[slot] = size;
    while (this.count > 0 && this.held > this.maxBytes) this.evictOldest();
  }

  private evictOldest(): void {
    this.held -= this.sizes[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.limit;
    this.count--;
    this.dropped++;
  }

  recordCommit(ev: CommitEvent): void {
    if (ev.requestId) {
      const n = (this.commitCounts.get(ev.requestId) ?? 0) + 1;
      this.commitCounts.delete(ev.requestId);
      this.commitCounts.set(ev.requestId, n);
      if (this.commitCounts.size > this.limit) this.commitCounts.delete(this.commitCounts.keys().next().value!);
    }
    const base = { type: 'commit' as const, requestId: ev.requestId, commitSeq: ev.seq, uid: ev.uid, operation: ev.operation, deleted: ev.after.deleted };
    if (ev.kind === 'enrollment') {
      const e = ev.after;
      this.add({ ...base, kind: 'enrollment', changes: [], trackedEntity: ev.trackedEntity, program: e.program, status: e.status });
    } else if (ev.kind === 'event') {
      const e = ev.after;
      const dataValues = diff(ev.before?.dataValues ?? [], e.dataValues, (d) => d.dataElement)
        .map(([dataElement, before, after]) => ({ dataElement, before: clipOrNull(before), after: clipOrNull(after) }));
      this.add({
        ...base, kind: 'event', changes: [], trackedEntity: e.trackedEntity, enrollment: e.enrollment,
        program: e.program, programStage: e.programStage, status: e.status, dataValues,
      });
    } else {
      const changes = diff(ev.before?.attributes ?? [], ev.after.attributes, (a) => a.attribute)
        .map(([attribute, before, after]) => ({ attribute, before: clipOrNull(before), after: clipOrNull(after) }));
      this.add({ ...base, changes });
    }
  }

  /** How many commits the request has made so far. */
  commitsOf(requestId: string): number {
    return this.commitCounts.get(requestId) ?? 0;
  }

  list(): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.ring[(this.head + i) % this.limit]!);
    return out;
  }

  clear(): void {
    // only the held slots: the harness clears the journal before every run, and allocating the
    // whole ring anew (50,000 slots) cost more than a small run itself
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.limit;
      this.ring[slot] = undefined;
      this.sizes[slot] = 0;
    }
    this.head = 0;
    this.count = 0;
    this.seq = 0;
    this.held = 0;
    this.dropped = 0;
    this.commitCounts.clear();
  }

  query(q: JournalQuery = {}): JournalView {
    let entries = this.list();
    if (q.after !== undefined) entries = entries.filter((e) => e.seq > q.after!);
    if (q.since !== undefined) entries = entries.filter((e) => e.at >= q.since!);
    if (q.until !== undefined) entries = entries.filter((e) => e.at <= q.until!);
    if (q.requestId) entries = entries.filter((e) => e.requestId === q.requestId || (e.type === 'request' && e.deliveryOf === q.requestId));
    if (q.uid !== undefined || q.value !== undefined) entries = relatedTo(entries, q.uid, q.value);
    if (q.types?.length) entries = entries.filter((e) => q.types!.includes(e.type));
    return { entries, dropped: this.dropped, limit: this.limit };
  }
}

/** (key, before, after) for every key whose value differs between two row lists. */
function diff<T extends { value: string }>(before: readonly T[], after: readonly T[], key: (row: T) => string): [string, string | null, string | null][] {
  const b = new Map(before.map((r) => [key(r), r.value]));
  const a = new Map(after.map((r) => [key(r), r.value]));
  const out: [string, string | null, string | null][] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const was = b.get(id) ?? null;
    const now = a.get(id) ?? null;
    if (was !== now) out.push([id, was, now]);
  }
  return out;
}

function decodedQuery(e: RequestEntry): string {
  try {
    return decodeURIComponent(e.query.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return e.query.toLowerCase();
  }
}

/**
 * Commits about the uid/value, plus every entry of the requests that made them or named them. A
 * value longer than JOURNAL_TEXT_MAX was clipped when journaled: it matches its clipped form exactly.
 */
function relatedTo(entries: JournalEntry[], uid: string | undefined, rawValue: string | undefined): JournalEntry[] {
  const value = rawValue?.toLowerCase();
  const clipped = rawValue !== undefined && rawValue.length > JOURNAL_TEXT_MAX ? clipText(rawValue) : undefined;
  const hit = (v: string | null) => v !== null && (clipped !== undefined ? v === clipped : v.toLowerCase() === value);
  const valueHit = (c: { before: string | null; after: string | null }) => hit(c.before) || hit(c.after);
  const commitHit = (e: CommitEntry) =>
    (uid !== undefined && (e.uid === uid || e.trackedEntity === uid || e.enrollment === uid)) ||
    (value !== undefined && (e.changes.some(valueHit) || (e.dataValues ?? []).some(valueHit)));
  const requestHit = (e: RequestEntry) =>
    (uid !== undefined && (e.path.includes(uid) || e.query.includes(uid))) || (value !== undefined && decodedQuery(e).includes(value));
  const ids = new Set<string>();
  const parents = new Map<string, string>();
  for (const e of entries) {
    if (e.type === 'commit' && e.requestId && commitHit(e)) ids.add(e.requestId);
    if (e.type === 'request') {
      if (requestHit(e)) ids.add(e.requestId);
      if (e.deliveryOf) parents.set(e.requestId, e.deliveryOf);
    }
  }
  // a re-delivery's commit also concerns the client request it copied
  for (const id of [...ids]) if (parents.has(id)) ids.add(parents.get(id)!);
  // a bulk request's commits of other entities stay out: they are about something else
  return entries.filter((e) => (e.type === 'commit' ? commitHit(e) : ids.has(e.requestId)));
}

/** One line describing a response body: WebMessage, ImportSummaries, tracker ImportReport, or a list. */
export function summariseBody(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
  if (typeof body !== 'object') return String(body).slice(0, 300);
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ['status', 'message']) if (typeof b[k] === 'string') parts.push(b[k] as string);
  const counts = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const r = o as Record<string, unknown>;
    for (const k of ['imported', 'created', 'updated', 'deleted', 'ignored']) if (typeof r[k] === 'number' && r[k]) parts.push(`${k}=${r[k]}`);
  };
  counts(b.response);
  counts(b.stats);
  const errors = (b.validationReport as { errorReports?: { errorCode?: string }[] } | undefined)?.errorReports;
  if (Array.isArray(errors) && errors.length > 0) parts.push(`errors=${[...new Set(errors.map((e) => e.errorCode))].join(',')}`);
  const conflicts = ((b.response as { importSummaries?: { conflicts?: { value?: string }[]; description?: string }[] } | undefined)?.importSummaries ?? [])
    .flatMap((s) => [...(s.conflicts ?? []).map((c) => c.value), s.description])
    .filter((v): v is string => typeof v === 'string');
  if (conflicts.length > 0) parts.push(conflicts[0]);
  for (const k of ['trackedEntityInstances', 'instances', 'trackedEntities']) if (Array.isArray(b[k])) parts.push(`${k}: ${(b[k] as unknown[]).length}`);
  if (parts.length === 0 && typeof b.trackedEntityInstance === 'string') parts.push(`trackedEntityInstance ${b.trackedEntityInstance}`);
  if (parts.length === 0 && typeof b.trackedEntity === 'string') parts.push(`trackedEntity ${b.trackedEntity}`);
  return parts.join(' ').slice(0, 300);
}

/** Long values are kept as their start and a digest (journal-size.ts), so the journal stays bounded in bytes. */
function clipOrNull(v: string | null): string | null {
  return v === null ? null : clipText(v);
}
