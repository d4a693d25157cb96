import type { Resolved } from './json-path.js';
import { expand, type Vars } from './template.js';
import type { Matcher } from './types.js';

const show = (v: unknown) => {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Checks one resolved value. Returns undefined when it holds, else why not ("expected …, got …").
 * Template strings in the matcher are expanded with the case's variables first.
 */
export function check(resolved: Resolved, m: Matcher, vars: Vars): string | undefined {
  const got = resolved.value;
  if ('absent' in m) return resolved.exists ? `expected no value, got ${show(got)}` : undefined;
  if ('present' in m) return resolved.exists ? undefined : 'expected a value, got nothing';
  if (!resolved.exists) return `expected ${describe(m, vars)}, got nothing`;
  if ('equals' in m) {
    const want = expand(m.equals, vars);
    return deepEqual(got, want) ? undefined : `expected ${show(want)}, got ${show(got)}`;
  }
  if ('oneOf' in m) {
    const options = expand(m.oneOf, vars) as unknown[];
    return options.some((o) => deepEqual(got, o)) ? undefined : `expected one of ${show(options)}, got ${show(got)}`;
  }
  if ('type' in m) return typeOf(got) === m.type ? undefined : `expected a ${m.type}, got ${show(got)}`;
  if ('every' in m) {
    if (!Array.isArray(got)) return `expected a list, got ${show(got)}`;
    for (let i = 0; i < got.length; i++) {
      const why = check({ exists: true, value: got[i] }, m.every, vars);
      if (why) return `[${i}]: ${why}`;
    }
    return undefined;
  }
  if ('keys' in m) {
    if (typeOf(got) !== 'object') return `expected an object, got ${show(got)}`;
    const keys = Object.keys(got as object).sort();
    const want = [...m.keys].sort();
    return deepEqual(keys, want) ? undefined : `expected exactly the keys ${show(want)}, got ${show(keys)}`;
  }
  if ('length' in m || 'minLength' in m) {
    const n = Array.isArray(got) || typeof got === 'string' ? got.length : undefined;
    if (n === undefined) return `expected a list or text, got ${show(got)}`;
    if ('length' in m) return n === m.length ? undefined : `expected length ${m.length}, got ${n}`;
    return n >= m.minLength ? undefined : `expected at least ${m.minLength} items, got ${n}`;
  }
  if ('contains' in m) {
    const want = expand(m.contains, vars);
    if (typeof got === 'string') return typeof want === 'string' && got.includes(want) ? undefined : `expected text containing ${show(want)}, got ${show(got)}`;
    if (Array.isArray(got)) return got.some((g) => deepEqual(g, want)) ? undefined : `expected a list containing ${show(want)}, got ${show(got)}`;
    return `expected text or a list, got ${show(got)}`;
  }
  const text = typeof got === 'string' ? got : undefined;
  if (text === undefined) return `expected text, got ${show(got)}`;
  if ('matches' in m) return new RegExp(String(expand(m.matches, vars))).test(text) ? undefined : `expected text matching /${expand(m.matches, vars)}/, got ${show(got)}`;
  if ('startsWith' in m) {
    const want = String(expand(m.startsWith, vars));
    return text.startsWith(want) ? undefined : `expected text starting with ${show(want)}, got ${show(got)}`;
  }
  const want = String(expand(m.endsWith, vars));
  return text.endsWith(want) ? undefined : `expected text ending with ${show(want)}, got ${show(got)}`;
}

function describe(m: Matcher, vars: Vars): string {
  if ('equals' in m) return show(expand(m.equals, vars));
  return `a value (${Object.keys(m)[0]})`;
}
