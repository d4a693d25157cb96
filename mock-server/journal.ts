import type { CommitEvent } from './store/entity-store.js';

export type JournalEntry =
  | { type: 'request'; seq: number; at: number; requestId: string; method: string; path: string; query: string; user?: string; bodyBytes: number; bodyHash?: string }
  | { type: 'response'; seq: number; at: number; requestId: string; status: number; summary: string; durationMs: number }
  | { type: 'commit'; seq: number; at: number; requestId?: string; commitSeq: number; uid: string; operation: string; changes: AttributeChange[] }
  | { type: 'fault'; seq: number; at: number; requestId: string; kind: string; rule: number; detail?: string };

export interface AttributeChange {
  attribute: string;
  before: string | null;
  after: string | null;
}

type Omitted<T> = T extends unknown ? Omit<T, 'seq' | 'at'> : never;

/** In-order log of requests, responses, commits and injected faults, bounded in memory. */
export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;
  dropped = 0;

  constructor(readonly limit = 50_000, private readonly clock: () => number = Date.now) {}

  add(entry: Omitted<JournalEntry>): void {
    this.entries.push({ ...entry, seq: ++this.seq, at: this.clock() } as JournalEntry);
    if (this.entries.length > this.limit) {
      const excess = this.entries.length - this.limit;
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
  }

  recordCommit(ev: CommitEvent): void {
    const before = new Map((ev.before?.attributes ?? []).map((a) => [a.attribute, a.value]));
    const after = new Map(ev.after.attributes.map((a) => [a.attribute, a.value]));
    const changes: AttributeChange[] = [];
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(id) ?? null;
      const a = after.get(id) ?? null;
      if (a !== b) changes.push({ attribute: id, before: b, after: a });
    }
    this.add({ type: 'commit', requestId: ev.requestId, commitSeq: ev.seq, uid: ev.uid, operation: ev.operation, changes });
  }

  list(): readonly JournalEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }
}
