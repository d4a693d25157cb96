import { UID_PATTERN } from '../dhis2/random.js';

/** The emulator's own normalisation (spec §1): `/api/40/x.json` and `/api/x` are one route. */
export function normalisePath(path: string): string {
  const p = path.replace(/^\/api\/\d{2}(?=\/)/, '/api').replace(/\.json$/, '');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * A UID segment: DHIS2's shape and at least one digit or capital after the first character, so
 * that 11-letter words such as `enrollments` stay literal.
 */
function isUidSegment(s: string): boolean {
  return UID_PATTERN.test(s) && /[0-9A-Z]/.test(s.slice(1));
}

/** `GET /api/trackedEntityInstances/{uid}`: the key ordinals count on. */
export function routeKey(method: string, path: string): string {
  const template = normalisePath(path)
    .split('/')
    .map((s) => (isUidSegment(s) ? '{uid}' : s))
    .join('/');
  return `${method.toUpperCase()} ${template}`;
}

/** Compiles a plan's path glob: `*` one segment's characters, `**` anything, `:name` one segment. */
export function compilePathPattern(pattern: string): (path: string) => boolean {
  const source = normalisePath(pattern)
    .split(/(\*\*|\*|:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => {
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part.startsWith(':') && part.length > 1) return '[^/]+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(normalisePath(path));
}
