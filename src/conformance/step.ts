import type { Dispatcher } from 'undici';
import { send, type RawResponse } from './http.js';
import { resolvePath } from './json-path.js';
import { check } from './matchers.js';
import { inRange, releaseLabel, type Release } from './release.js';
import { expand, expandText, type Vars } from './template.js';
import type { Expectation, Step } from './types.js';

/** How to reach the server and who to be. */
export interface Connection {
  /** the server root, e.g. http://127.0.0.1:8080 or https://host/dhis (no /api) */
  root: string;
  auth: { default: string; restricted?: string };
  dispatcher: Dispatcher;
  timeoutMs: number;
}

/** What a step produced: variables it captured, or why it failed. */
export interface StepOutcome {
  captured: Record<string, unknown>;
  failure?: string;
}

const AXIOS_ACCEPT = 'application/json, text/plain, */*';

function pickExpectation(step: Step, release: Release): Expectation | undefined {
  const all = Array.isArray(step.expect) ? step.expect : [step.expect];
  return all.find((e) => inRange(release, e.releases));
}

function excerpt(res: RawResponse): string {
  const text = res.text.replace(/\s+/g, ' ').trim();
  return text === '' ? '(empty body)' : text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function buildRequest(step: Step, vars: Vars, conn: Connection) {
  const r = step.request;
  const params = new URLSearchParams();
  for (const [k, v] of r.query ?? []) params.append(expandText(k, vars), expandText(v, vars));
  const qs = params.toString();
  const url = `${conn.root}${expandText(r.path, vars)}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { accept: AXIOS_ACCEPT };
  const auth = r.auth ?? 'default';
  if (auth === 'default') headers.authorization = conn.auth.default;
  else if (auth === 'restricted') headers.authorization = conn.auth.restricted ?? '';
  else if (auth !== 'none') headers.authorization = expandText(auth.header, vars);
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = expandText(v, vars);
  let body: Buffer | undefined;
  if (r.json !== undefined) {
    body = Buffer.from(JSON.stringify(expand(r.json, vars)));
    headers['content-type'] ??= 'application/json';
  } else if (r.body?.base64 !== undefined) body = Buffer.from(r.body.base64, 'base64');
  else if (r.body?.text !== undefined) body = Buffer.from(expandText(r.body.text, vars));
  return { method: r.method, url, headers, body, shown: `${r.method} ${url.slice(conn.root.length)}` };
}

function verify(res: RawResponse, want: Expectation, vars: Vars): string[] {
  const problems: string[] = [];
  const statuses = Array.isArray(want.status) ? want.status : [want.status];
  if (!statuses.includes(res.status)) problems.push(`status: expected ${statuses.join(' or ')}, got ${res.status}`);
  for (const [name, m] of Object.entries(want.headers ?? {})) {
    const v = res.headers[name.toLowerCase()];
    const why = check({ exists: v !== undefined, value: v }, m, vars);
    if (why) problems.push(`header ${name}: ${why}`);
  }
  if (want.text) {
    const why = check({ exists: true, value: res.text }, want.text, vars);
    if (why) problems.push(`body: ${why}`);
  }
  if (want.json) {
    if (!res.isJson) problems.push('body: expected JSON');
    else {
      for (const [rawPath, m] of Object.entries(want.json)) {
        const path = expandText(rawPath, vars);
        const why = check(resolvePath(res.json, path), m, vars);
        if (why) problems.push(`${path}: ${why}`);
      }
    }
  }
  return problems;
}

/** Sends one step's request and checks the answer that applies to the release. */
export async function runStep(step: Step, vars: Vars, release: Release, conn: Connection): Promise<StepOutcome> {
  const want = pickExpectation(step, release);
  if (!want) return { captured: {}, failure: `step "${step.name}": the case states no expectation for ${releaseLabel(release)}` };
  const req = buildRequest(step, vars, conn);
  let res: RawResponse;
  try {
    res = await send({ ...req, dispatcher: conn.dispatcher, timeoutMs: conn.timeoutMs });
  } catch (e) {
    return { captured: {}, failure: `step "${step.name}": ${req.shown} failed: ${(e as Error).message}` };
  }
  const problems = verify(res, want, vars);
  if (problems.length > 0) {
    return { captured: {}, failure: `step "${step.name}": ${req.shown} → ${res.status}\n  ${problems.join('\n  ')}\n  body: ${excerpt(res)}` };
  }
  const captured: Record<string, unknown> = {};
  for (const [name, from] of Object.entries(step.capture ?? {})) {
    const got = from.startsWith('header:')
      ? { exists: res.headers[from.slice(7).toLowerCase()] !== undefined, value: res.headers[from.slice(7).toLowerCase()] }
      : resolvePath(res.json, expandText(from, vars));
    if (!got.exists) return { captured, failure: `step "${step.name}": ${req.shown} → ${res.status}: nothing at ${from} to capture as ${name}\n  body: ${excerpt(res)}` };
    captured[name] = got.value;
  }
  return { captured };
}
