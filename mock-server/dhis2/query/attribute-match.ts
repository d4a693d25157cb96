/**
 * Evaluating parsed attribute conditions against a stored value, the way DHIS2's SQL does it:
 * `lower(value) <op> lower(arg)`, `LIKE` = `%arg%`, `SW` = `arg%`, `EW` = `%arg`, `IN` = set membership.
 *
 * Choices (documented because they are observable):
 * - A tracked entity without a value for the attribute matches no condition, `NE` included: the SQL
 *   joins the value row, and `NULL <> 'x'` is not true. Only an item without conditions
 *   (include-only) does not restrict (DHIS2 left-joins those).
 * - `LIKE`/`SW`/`EW` treat `%` and `_` in the argument literally.
 * - `GT/GE/LT/LE` compare numerically when both sides are finite decimal numbers, else as
 *   (lower-cased) strings by UTF-16 code unit; ISO dates compare correctly that way.
 */
import type { AttributeCondition } from './attribute-filter.js';

/**
 * A finite decimal number (`-12`, `3.5`, `.5`, `1e3`), or undefined. Hand-written, linear, and
 * stricter than `Number()` (no hex, no `Infinity`, no blanks).
 */
export function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  let i = 0;
  if (s[i] === '+' || s[i] === '-') i++;
  let digits = 0;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
  if (s[i] === '.') {
    i++;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; digits++; }
  }
  if (digits === 0) return undefined;
  if (s[i] === 'e' || s[i] === 'E') {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    let exp = 0;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') { i++; exp++; }
    if (exp === 0) return undefined;
  }
  if (i !== s.length) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Negative, zero or positive, numerically when both parse as numbers, else by code unit. */
export function compareValues(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x !== undefined && y !== undefined) return x === y ? 0 : x < y ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function holds(value: string, condition: AttributeCondition, norm: (s: string) => string): boolean {
  const args = condition.values.map(norm);
  const arg = args[0] ?? '';
  switch (condition.op) {
    case 'EQ': return value === arg;
    case 'NE': return value !== arg;
    case 'LIKE': return value.includes(arg);
    case 'SW': return value.startsWith(arg);
    case 'EW': return value.endsWith(arg);
    case 'IN': return args.includes(value);
    case 'GT': return compareValues(value, arg) > 0;
    case 'GE': return compareValues(value, arg) >= 0;
    case 'LT': return compareValues(value, arg) < 0;
    case 'LE': return compareValues(value, arg) <= 0;
  }
}

/**
 * True when `storedValue` satisfies every condition (AND). No conditions → true (include-only);
 * no stored value with at least one condition → false.
 */
export function matchesConditions(
  storedValue: string | undefined,
  conditions: readonly AttributeCondition[],
  caseSensitive = false,
): boolean {
  if (conditions.length === 0) return true;
  if (storedValue === undefined) return false;
  const norm = caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const value = norm(storedValue);
  return conditions.every((c) => holds(value, c, norm));
}

/**
 * The exact values an index lookup can use instead of a scan: the values of the `EQ`/`IN` condition
 * with the fewest values (lower-cased unless `caseSensitive`, deduplicated), or null when no
 * condition is `EQ` or `IN`. Candidates found this way must still be checked with `matchesConditions`.
 */
export function indexableLookup(conditions: readonly AttributeCondition[], caseSensitive = false): string[] | null {
  let best: string[] | null = null;
  for (const c of conditions) {
    if (c.op !== 'EQ' && c.op !== 'IN') continue;
    const values = c.op === 'EQ' ? c.values.slice(0, 1) : c.values;
    const keys = [...new Set(caseSensitive ? values : values.map((v) => v.toLowerCase()))];
    if (best === null || keys.length < best.length) best = keys;
  }
  return best;
}
