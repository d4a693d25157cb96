import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomUid } from '../uid.js';
import { ALL_CASES } from './cases/index.js';
import { newDispatcher, send } from './http.js';
import { describeRange, inRange, parseRelease, releaseLabel, UnknownReleaseError, type Release } from './release.js';
import { runStep, type Connection } from './step.js';
import { discoverTargets, type Targets } from './targets.js';
import { TemplateError } from './template.js';
import type { ConformanceCase } from './types.js';

export interface RunOptions {
  /** the server root: http://host:port or https://host/dhis (a trailing /api or /api/NN is ignored) */
  url: string;
  username: string;
  password: string;
  /** run the cases that write (fresh random keys); only against a throwaway server */
  allowWrites?: boolean;
  /** the target is the emulator with its admin API reachable: run the `admin` cases too */
  admin?: boolean;
  /** metadata to use; what is missing is discovered read-only */
  targets?: Partial<Targets>;
  /** default: every case */
  cases?: readonly ConformanceCase[];
  timeoutMs?: number;
  /** called as each case finishes (progress output) */
  onResult?: (result: CaseResult) => void;
}

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  id: string;
  title: string;
  area: string;
  status: CaseStatus;
  /** why it was skipped, or what failed (one line per problem) */
  detail?: string;
  source: string[];
}

export interface RunReport {
  url: string;
  release: Release;
  notes: string[];
  results: CaseResult[];
  counts: Record<CaseStatus, number>;
}

/** The server could not be reached, or did not say which release it runs. */
export class ConformanceSetupError extends Error {
  readonly code = 'CONFORMANCE_SETUP';
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const fresh = () => `CONF${randomBytes(6).toString('hex').toUpperCase()}`;
const tokenCode = () => randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 32).padEnd(32, 'x');

/** `http://h:8080/dhis/api/40/` → `http://h:8080/dhis`. */
export function serverRoot(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConformanceSetupError(`Not a URL: ${url}. Pass the server's base URL, e.g. https://dhis2.example.org or http://127.0.0.1:8080.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConformanceSetupError(`Not an http(s) URL: ${url}.`);
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api(\/\d+)?$/, '');
  return `${u.origin}${path}`;
}

/** Variables every case may use; writes get fresh keys and UIDs per case. */
function caseVars(t: Partial<Targets>, release: Release, root: string, username: string, password: string): Record<string, unknown> {
  const badCode = tokenCode();
  return {
    ...t,
    apiVersion: String(release.minor),
    nextApiVersion: String(release.minor + 1),
    root,
    origin: new URL(root).origin,
    username,
    key: fresh(), key2: fresh(), name: `Name${fresh()}`, name2: `Name${fresh()}`,
    uid: randomUid(), uid2: randomUid(), missingUid: randomUid(),
    unknownToken: (() => { const c = tokenCode(); return `d2pat_${c}${crc32(c)}`; })(),
    badChecksumToken: `d2pat_${badCode}${(crc32(badCode) + 1) % 2 ** 32}`,
    wrongPasswordBasic: basic(username, `${password}-wrong`),
  };
}

const TARGET_NAMES = ['orgUnit', 'trackedEntityType', 'uniqueAttribute', 'nameAttribute', 'requiredAttributes', 'program', 'restricted'] as const;

function whySkip(c: ConformanceCase, o: RunOptions, release: Release, t: Partial<Targets>): string | undefined {
  if (!inRange(release, c.releases)) return `applies to ${describeRange(c.releases)}`;
  if (c.needs === 'writes' && !o.allowWrites) return 'writes data: pass --allow-writes (a throwaway server only)';
  if (c.needs === 'admin' && !o.admin) return "needs the emulator's admin API";
  if (c.requires?.includes('restrictedUser') && !t.restricted) return 'needs a restricted user: pass --restricted-username, --restricted-password, --inside-org-unit, --outside-org-unit';
  const text = JSON.stringify(c.steps);
  const missing = TARGET_NAMES.filter((n) => text.includes(`{{${n}`) && t[n] === undefined);
  if (missing.length > 0) return `needs ${missing.join(', ')} (not found on the server; see the notes)`;
  return undefined;
}

async function runCase(c: ConformanceCase, vars: Record<string, unknown>, release: Release, conn: Connection): Promise<string | undefined> {
  for (const step of c.steps) {
    if (!inRange(release, step.releases)) continue;
    let outcome;
    try {
      outcome = await runStep(step, vars, release, conn);
    } catch (e) {
      // an authoring error in the case (a template naming no variable) fails that case only
      if (e instanceof TemplateError) return `step "${step.name}": ${e.message}`;
      throw e;
    }
    if (outcome.failure) return outcome.failure;
    Object.assign(vars, outcome.captured);
  }
  return undefined;
}

/**
 * Runs the cases against one server: detects its release (`/api/system/info`), discovers the
 * metadata the cases need, then runs each case that applies to that release, in order, and reports
 * pass / fail / skip with the reason.
 */
export async function runConformance(o: RunOptions): Promise<RunReport> {
  const root = serverRoot(o.url);
  const dispatcher = newDispatcher();
  const timeoutMs = o.timeoutMs ?? 30_000;
  const auth = basic(o.username, o.password);
  try {
    const get = async (path: string) => {
      const res = await send({ method: 'GET', url: `${root}${path}`, headers: { authorization: auth, accept: 'application/json' }, dispatcher, timeoutMs });
      if (res.status !== 200 || !res.isJson) throw new ConformanceSetupError(`GET ${path} answered ${res.status}${res.status === 302 || res.status === 401 ? ' (check --username and --password)' : ''}: ${res.text.slice(0, 200)}`);
      return res.json;
    };
    let info: unknown;
    try {
      info = await get('/api/system/info');
    } catch (e) {
      if (e instanceof ConformanceSetupError) throw e;
      throw new ConformanceSetupError(`Cannot reach ${root}: ${(e as Error).message}`);
    }
    let release: Release;
    try {
      release = parseRelease(String((info as { version?: unknown }).version ?? ''));
    } catch (e) {
      if (e instanceof UnknownReleaseError) throw new ConformanceSetupError(e.message);
      throw e;
    }
    const { targets, notes } = await discoverTargets(get, o.targets ?? {});
    if (release.minor > 42) notes.push(`DHIS2 ${releaseLabel(release)} is newer than the releases the cases were written for (2.35–2.42): 2.42's expectations apply.`);
    const restricted = targets.restricted ? basic(targets.restricted.username, targets.restricted.password) : undefined;
    const conn: Connection = { root, auth: { default: auth, restricted }, dispatcher, timeoutMs };
    const results: CaseResult[] = [];
    for (const c of o.cases ?? ALL_CASES) {
      const skip = whySkip(c, o, release, targets);
      const detail = skip ?? (await runCase(c, caseVars(targets, release, root, o.username, o.password), release, conn));
      const result: CaseResult = { id: c.id, title: c.title, area: c.area, status: skip ? 'skip' : detail ? 'fail' : 'pass', detail, source: c.source };
      results.push(result);
      o.onResult?.(result);
    }
    const counts = { pass: 0, fail: 0, skip: 0 };
    for (const r of results) counts[r.status]++;
    return { url: root, release, notes, results, counts };
  } finally {
    await dispatcher.close();
  }
}
