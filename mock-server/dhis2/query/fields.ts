/**
 * The DHIS2 field filter (`fields=`): parsing into a tree, and projecting plain JSON with it.
 *
 * Syntax: a comma list of
 * - `name`                     include the whole value
 * - `name[sub,fields]`         include, projected (also `name(sub)`; brackets nest, depth ≤ 10)
 * - `!name`                    exclude (wins over any inclusion at that level)
 * - `*` / `:all`               every property; `:identifiable`, `:nameable`, `:owner`, `:simple`
 *                              and `:persisted` are presets (see DEFAULT_FIELD_PRESETS)
 * Transformers (`name~rename(x)`, `name::size`) are not supported: such a name matches nothing.
 * Unknown names are simply absent. Inputs longer than 10,000 characters, nested deeper than 10 or
 * with unbalanced brackets throw `QueryError` `INVALID_FIELDS` (400; DHIS2 itself is lenient here,
 * the message is ours).
 *
 * Projection never copies `__proto__`, `constructor` or `prototype` keys, at any depth.
 */
import { clip, QueryError } from './errors.js';

export interface FieldTree {
  /** `*` or `:all` at this level. */
  all: boolean;
  /** Preset names without the colon (`identifiable`, …). */
  presets: Set<string>;
  /** Named fields; `null` = the whole value, a tree = projected. */
  fields: Map<string, FieldTree | null>;
  excluded: Set<string>;
}

/** What a preset selects: a fixed key list, or a predicate over (key, value). */
export type FieldPreset = readonly string[] | ((key: string, value: unknown) => boolean);

const IDENTIFIABLE = ['id', 'href', 'name', 'displayName', 'code', 'created', 'lastUpdated'] as const;

/**
 * DHIS2's presets (DefaultFieldFilterService): identifiable = id,name,code,created,lastUpdated,href
 * (we add displayName); nameable adds shortName, description and their display forms. `owner` and
 * `persisted` (owned, stored properties) are approximated as every property except derived
 * `display*`, `href` and `access`; `simple` = properties whose value is not an object or array.
 */
export const DEFAULT_FIELD_PRESETS: Readonly<Record<string, FieldPreset>> = {
  identifiable: IDENTIFIABLE,
  nameable: [...IDENTIFIABLE, 'shortName', 'displayShortName', 'description', 'displayDescription'],
  owner: (key) => !key.startsWith('display') && key !== 'href' && key !== 'access',
  persisted: (key) => !key.startsWith('display') && key !== 'href' && key !== 'access',
  simple: (_key, value) => value === null || typeof value !== 'object',
};

export const MAX_FIELDS_LENGTH = 10_000;
export const MAX_FIELDS_DEPTH = 10;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function fieldsError(reason: string, input: string): QueryError {
  return new QueryError('INVALID_FIELDS', `Invalid field filter (${reason}): ${clip(input)}`, 400);
}

export function emptyFieldTree(): FieldTree {
  return { all: false, presets: new Set(), fields: new Map(), excluded: new Set() };
}

function include(node: FieldTree, name: string, sub: FieldTree | null): void {
  if (!node.fields.has(name)) {
    node.fields.set(name, sub);
    return;
  }
  const existing = node.fields.get(name) ?? null;
  // A plain `name` (whole value) wins over a projection of the same name.
  if (existing === null || sub === null) node.fields.set(name, null);
}

function addToken(node: FieldTree, raw: string): void {
  const token = raw.trim();
  if (token === '') return;
  if (token.startsWith('!')) {
    const name = token.slice(1).trim();
    if (name !== '') node.excluded.add(name);
  } else if (token === '*' || token === ':all') {
    node.all = true;
  } else if (token.startsWith(':')) {
    node.presets.add(token.slice(1));
  } else {
    include(node, token, null);
  }
}

/**
 * Parses a `fields` value (several values are joined with `,`). Blank input gives the tree of
 * `fallback` (default: an empty tree, i.e. nothing selected).
 */
export function parseFields(input: string | readonly string[] | undefined, fallback?: string): FieldTree {
  const text = typeof input === 'string' ? input : (input ?? []).join(',');
  if (text.trim() === '') return fallback === undefined ? emptyFieldTree() : parseFields(fallback);
  if (text.length > MAX_FIELDS_LENGTH) throw fieldsError('too long', text);
  const stack: FieldTree[] = [emptyFieldTree()];
  let start = 0;
  let afterClose = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ',') {
      if (!afterClose) addToken(stack[stack.length - 1], text.slice(start, i));
      start = i + 1;
      afterClose = false;
    } else if (c === '[' || c === '(') {
      const name = text.slice(start, i).trim();
      if (name === '' || afterClose) throw fieldsError('bracket without a field name', text);
      if (stack.length > MAX_FIELDS_DEPTH) throw fieldsError('nested too deep', text);
      const sub = emptyFieldTree();
      const top = stack[stack.length - 1];
      if (name.startsWith('!')) addToken(top, name);
      else include(top, name, sub);
      const existing = top.fields.get(name);
      stack.push(existing && existing !== sub ? existing : sub);
      start = i + 1;
    } else if (c === ']' || c === ')') {
      if (stack.length === 1) throw fieldsError('unbalanced brackets', text);
      if (!afterClose) addToken(stack[stack.length - 1], text.slice(start, i));
      stack.pop();
      start = i + 1;
      afterClose = true;
    } else if (afterClose && c.trim() !== '') {
      throw fieldsError(`unexpected '${c}' after ']'`, text);
    }
  }
  if (stack.length !== 1) throw fieldsError('unbalanced brackets', text);
  if (!afterClose) addToken(stack[0], text.slice(start));
  return stack[0];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function presetSelects(node: FieldTree, presets: Readonly<Record<string, FieldPreset>>, key: string, value: unknown): boolean {
  for (const name of node.presets) {
    if (!Object.prototype.hasOwnProperty.call(presets, name)) continue;
    const preset = presets[name];
    if (typeof preset === 'function' ? preset(key, value) : preset.includes(key)) return true;
  }
  return false;
}

/** Deep copy of plain JSON without dangerous keys (cycles are cut). */
export function safeClone(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (seen.has(value)) return undefined;
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v) => safeClone(v, seen));
  } else {
    const obj: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!FORBIDDEN_KEYS.has(key)) obj[key] = safeClone((value as Record<string, unknown>)[key], seen);
    }
    out = obj;
  }
  seen.delete(value);
  return out;
}

/**
 * Projects `value` with `tree`: arrays element by element, plain objects key by key (in the
 * object's own key order), anything else as is. Selected keys without a sub-tree are deep-copied.
 */
export function applyFields(
  value: unknown,
  tree: FieldTree,
  presets: Readonly<Record<string, FieldPreset>> = DEFAULT_FIELD_PRESETS,
): unknown {
  if (Array.isArray(value)) return value.map((item) => applyFields(item, tree, presets));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || tree.excluded.has(key)) continue;
    const v = value[key];
    const named = tree.fields.has(key);
    if (!named && !tree.all && !presetSelects(tree, presets, key, v)) continue;
    const sub = named ? tree.fields.get(key) ?? null : null;
    out[key] = sub === null ? safeClone(v) : applyFields(v, sub, presets);
  }
  return out;
}
