/**
 * Paths into a JSON response: `$` is the whole body; `a.b.0.c` walks objects and array indexes;
 * `items[plural=trackedEntityInstances]` picks the first element of `items` whose `plural` equals
 * the text after `=` (compared as text; the key may itself be a dotted path). `exists` is false when any step is missing, so a check
 * can tell "absent" from "present and null".
 */
export interface Resolved {
  exists: boolean;
  value?: unknown;
}

const SEGMENT = /^([^[\]]*)(?:\[([^=\]]+)=([^\]]*)\])?$/;

function splitPath(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

export function resolvePath(body: unknown, path: string): Resolved {
  if (path === '$') return { exists: body !== undefined, value: body };
  let value: unknown = body;
  for (const segment of splitPath(path.replace(/^\$\./, ''))) {
    const m = SEGMENT.exec(segment);
    if (!m) return { exists: false };
    const [, name, key, wanted] = m;
    if (name !== '') {
      if (value === null || typeof value !== 'object') return { exists: false };
      if (Array.isArray(value)) {
        if (!/^\d+$/.test(name) || Number(name) >= value.length) return { exists: false };
        value = value[Number(name)];
      } else {
        if (!Object.prototype.hasOwnProperty.call(value, name)) return { exists: false };
        value = (value as Record<string, unknown>)[name];
      }
    }
    if (key !== undefined) {
      if (!Array.isArray(value)) return { exists: false };
      const hit = value.find((item) => {
        const field = resolvePath(item, key);
        return field.exists && String(field.value) === wanted;
      });
      if (hit === undefined) return { exists: false };
      value = hit;
    }
  }
  return { exists: true, value };
}
