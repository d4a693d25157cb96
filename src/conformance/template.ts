/**
 * Templates in case data: `{{name}}` or `{{name.path.0}}` inside strings. A string that is exactly
 * one placeholder becomes the variable's value (an object stays an object); otherwise values are
 * interpolated as text. In JSON bodies two operators build values from captured responses:
 * `{"$spread": "{{row}}", "k": v}` copies an object and overrides keys (`{...row, k: v}`), and
 * `{"$concat": ["{{row.attributes}}", [...]]}` joins arrays (`[...a, ...b]`).
 */
export class TemplateError extends Error {
  readonly code = 'TEMPLATE';
}

export type Vars = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$/;

export function lookup(vars: Vars, dotted: string): unknown {
  let value: unknown = vars;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) {
      throw new TemplateError(`No value for {{${dotted}}}: '${key}' is missing.`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function expandString(text: string, vars: Vars): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return lookup(vars, whole[1]);
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const v = lookup(vars, name);
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

export function expandText(text: string, vars: Vars): string {
  const v = expandString(text, vars);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function expand(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') return expandString(value, vars);
  if (Array.isArray(value)) return value.map((v) => expand(v, vars));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('$concat' in obj) {
    const parts = expand(obj.$concat, vars);
    if (!Array.isArray(parts) || parts.some((p) => !Array.isArray(p))) throw new TemplateError('$concat takes a list of lists.');
    return (parts as unknown[][]).flat();
  }
  let out: Record<string, unknown> = {};
  if ('$spread' in obj) {
    const base = expand(obj.$spread, vars);
    if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new TemplateError('$spread takes an object.');
    out = { ...(base as Record<string, unknown>) };
  }
  for (const [k, v] of Object.entries(obj)) if (k !== '$spread') out[k] = expand(v, vars);
  return out;
}
