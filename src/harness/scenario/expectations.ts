/**
 * Checks a scenario's own expectations against a run: per-operation outcomes, the final state,
 * request-count bounds and journal facts. Each violation is a finding naming the expectation's
 * place in the file.
 */
import type { JournalEntry, RequestEntry } from '../../../mock-server/index.js';
import type { EntitySnapshot } from '../history.js';
import { carriesKey } from '../checker/key-view.js';
import type { ScenarioRun } from './execute.js';
import type { ExpectationFinding } from './findings.js';
import type { ScenarioOp } from './histories.js';
import type { ResolvedScenario } from './resolve.js';
import type { Count, FinalExpect, JournalFact, OpExpect, Scenario } from './schema.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function within(n: number, c: Count): boolean {
  if (typeof c === 'number') return n === c;
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

function describeCount(c: Count): string {
  if (typeof c === 'number') return `exactly ${c}`;
  if (c.min !== undefined && c.max !== undefined) return `${c.min}–${c.max}`;
  return c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
}

function outcomeText(op: ScenarioOp): string {
  if (op.outcome === 'ok') return 'succeeded';
  const e = op.error ? ` with ${op.error.code ?? op.error.name}: ${op.error.message.replace(/\.+$/, '')}` : '';
  return `${op.outcome === 'fail' ? 'failed' : 'ended with an unknown outcome'}${e}`;
}

function meets(op: ScenarioOp, want: OpExpect): boolean {
  if (want === 'ok') return op.outcome === 'ok';
  if (want.outcome !== undefined && op.outcome !== want.outcome) return false;
  if (want.error !== undefined) return op.outcome !== 'ok' && (op.error?.code === want.error || op.error?.name === want.error);
  return true;
}

function checkOperations(run: ScenarioRun): ExpectationFinding[] {
  const lastOfChain = new Map<number, ScenarioOp>();
  for (const op of run.ops) if (op.phase === 'main') lastOfChain.set(op.chain, op);
  const out: ExpectationFinding[] = [];
  for (const op of lastOfChain.values()) {
    if (op.expect === undefined || meets(op, op.expect)) continue;
    const want = op.expect === 'ok' ? 'to succeed' : `${op.expect.outcome ? `outcome ${op.expect.outcome}` : 'to fail'}${op.expect.error ? ` with ${op.expect.error}` : ''}`;
    out.push({
      code: 'UNEXPECTED_OUTCOME',
      key: op.keyValue,
      ops: [op.id],
      where: `operations[${op.step}]`,
      message: `op${op.id} "${op.label}" was expected ${want}, but ${outcomeText(op)}.`,
    });
  }
  return out;
}

function attributeMismatch(e: EntitySnapshot, want: Record<string, string | number | boolean | null>, resolved: ResolvedScenario): string[] {
  const out: string[] = [];
  for (const [ref, v] of Object.entries(want)) {
    const id = resolved.catalog.attribute(ref)?.id ?? ref;
    const expected = v === null ? undefined : String(v);
    if (e.attributes[id] !== expected) out.push(`${ref}=${JSON.stringify(e.attributes[id] ?? null)} (expected ${JSON.stringify(expected ?? null)})`);
  }
  return out;
}

function checkFinal(f: FinalExpect, i: number, run: ScenarioRun, resolved: ResolvedScenario): ExpectationFinding[] {
  const where = `expect.final[${i}]`;
  const final = run.snapshots.final;
  const wantOu = f.orgUnit !== undefined ? resolved.catalog.orgUnit(f.orgUnit) : undefined;
  const problems: string[] = [];
  let key: string | undefined;
  let subject: string;
  if ('record' in f) {
    const r = resolved.records.get(f.record)!;
    key = r.keyValue;
    subject = `key ${r.keyValue} (record "${f.record}")`;
    const live = final.filter((e) => (!r.scopeOrgUnit || e.orgUnit === r.scopeOrgUnit) && carriesKey(e, r.matchAttribute, r.keyValue));
    if (live.length !== f.count) problems.push(`${live.length} live entities carry it (${live.map((e) => e.uid).join(', ') || 'none'}), expected ${f.count}`);
    for (const e of live) {
      const bad = f.attributes ? attributeMismatch(e, f.attributes, resolved) : [];
      if (bad.length > 0) problems.push(`${e.uid} has ${bad.join(', ')}`);
      if (wantOu && e.orgUnit !== wantOu) problems.push(`${e.uid} is registered at ${e.orgUnit}, expected ${wantOu}`);
    }
  } else {
    const ent = resolved.entities.find((x) => x.id === f.entity)!;
    const uid = ent.uids[0];
    subject = `entity "${f.entity}" (${uid})`;
    const e = final.find((x) => x.uid === uid);
    if (!e) problems.push('it no longer exists');
    else {
      if (f.deleted !== undefined && e.deleted !== f.deleted) problems.push(`deleted is ${e.deleted}, expected ${f.deleted}`);
      const bad = f.attributes ? attributeMismatch(e, f.attributes, resolved) : [];
      if (bad.length > 0) problems.push(`it has ${bad.join(', ')}`);
      if (wantOu && e.orgUnit !== wantOu) problems.push(`it is registered at ${e.orgUnit}, expected ${wantOu}`);
    }
  }
  if (problems.length === 0) return [];
  const ops = run.ops.filter((o) => o.phase === 'main' && (key === undefined || o.keyValue.toLowerCase() === key.toLowerCase())).map((o) => o.id);
  return [{ code: 'FINAL_STATE', ...(key !== undefined ? { key } : {}), ops, where, message: `At the end, ${subject}: ${problems.join('; ')}.` }];
}

function checkRequests(s: Scenario, run: ScenarioRun): ExpectationFinding[] {
  const bounds = s.expect.requests;
  if (!bounds) return [];
  const main = run.ops.filter((o) => o.phase === 'main');
  const out: ExpectationFinding[] = [];
  const bound = (what: string, n: number, c: Count | undefined, ops: number[]) => {
    if (c !== undefined && !within(n, c)) out.push({ code: 'REQUEST_BOUND', ops, where: 'expect.requests', message: `${what}: ${n} request(s), expected ${describeCount(c)}.` });
  };
  const all = main.flatMap((o) => o.requests);
  bound('The operations sent', all.length, bounds.total, main.map((o) => o.id));
  bound('The operations sent writes (POST/PUT/PATCH/DELETE)', all.filter((r) => WRITES.has(r.method)).length, bounds.writes, main.map((o) => o.id));
  if (bounds.perOperation !== undefined) for (const o of main) bound(`op${o.id} "${o.label}" sent`, o.requests.length, bounds.perOperation, [o.id]);
  return out;
}

function checkJournal(fact: JournalFact, i: number, run: ScenarioRun): ExpectationFinding[] {
  const where = `expect.journal[${i}]`;
  const healOps = new Set(run.ops.filter((o) => o.phase === 'heal').map((o) => o.id));
  const inMain = (e: JournalEntry) => !('requestId' in e && e.requestId && healOps.has(run.requestOps[e.requestId] ?? -1));
  const entries = run.journal.filter(inMain);
  const requests = new Map(run.journal.filter((e): e is RequestEntry => e.type === 'request').map((e) => [e.requestId, e]));
  if (fact.fact === 'count') {
    const hits = entries.filter((e) => {
      if (e.type !== fact.type) return false;
      const req = 'requestId' in e && e.requestId ? requests.get(e.requestId) : undefined;
      if (fact.method !== undefined && req?.method !== fact.method.toUpperCase()) return false;
      if (fact.path !== undefined && !req?.path.includes(fact.path)) return false;
      if (fact.status !== undefined && (e.type !== 'response' || e.status !== fact.status)) return false;
      if (fact.kind !== undefined && (e.type !== 'fault' || e.kind !== fact.kind)) return false;
      if (fact.operation !== undefined && (e.type !== 'commit' || e.operation !== fact.operation)) return false;
      return true;
    });
    if (within(hits.length, fact.count)) return [];
    const what = [fact.type, fact.method, fact.path, fact.status, fact.kind, fact.operation].filter((x) => x !== undefined).join(' ');
    const ops = [...new Set(hits.map((e) => ('requestId' in e && e.requestId ? run.requestOps[e.requestId] : undefined)).filter((x): x is number => x !== undefined))];
    return [{ code: 'JOURNAL_FACT', ops, where, message: `The journal holds ${hits.length} "${what}" entr${hits.length === 1 ? 'y' : 'ies'}, expected ${describeCount(fact.count)}.` }];
  }
  const out: ExpectationFinding[] = [];
  for (const e of entries) {
    if (e.type !== 'response' || e.status !== fact.status) continue;
    const op = run.requestOps[e.requestId];
    if (op === undefined) continue;
    const next = entries.find((x): x is RequestEntry => x.type === 'request' && x.seq > e.seq && run.requestOps[x.requestId] === op);
    if (!next) out.push({ code: 'JOURNAL_FACT', ops: [op], where, message: `op${op} got HTTP ${fact.status} and never retried (expected a retry after at least ${fact.minMs} ms).` });
    else if (next.at - e.at < fact.minMs) out.push({ code: 'JOURNAL_FACT', ops: [op], where, message: `op${op} retried ${next.at - e.at} ms after HTTP ${fact.status}, expected at least ${fact.minMs} ms (Retry-After).` });
  }
  return out.slice(0, 1);
}

export function checkExpectations(s: Scenario, run: ScenarioRun, resolved: ResolvedScenario): ExpectationFinding[] {
  return [
    ...checkOperations(run),
    ...s.expect.final.flatMap((f, i) => checkFinal(f, i, run, resolved)),
    ...checkRequests(s, run),
    ...s.expect.journal.flatMap((f, i) => checkJournal(f, i, run)),
  ];
}
