import { DB_FORMAT_VERSION, dbFileSchema, type PersistedState } from './db-schema.js';
import { PersistenceError } from './db-errors.js';

const UNTOUCHED = 'It was left untouched';

/**
 * The `--db` file's text → its state, or a PersistenceError saying what is wrong with it. Top-level
 * mistakes (not an object, no version, a future version) get their own words; the rest is zod's
 * first issue with its path (`trackedEntities[3].attributes`).
 */
export function parseDbFile(text: string, file: string): PersistedState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PersistenceError(`Cannot read the --db file ${file}: it is not valid JSON (${(e as Error).message}). ${UNTOUCHED}: restore it from a backup, or move it away to start from the fixture.`);
  }
  const notOurs = (what: string) =>
    new PersistenceError(`The --db file ${file} is not an emulator state file: ${what}. ${UNTOUCHED}: choose another --db file, or move this one away to start from the fixture.`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw notOurs(`expected a JSON object with "version" and "trackedEntities", found ${describe(raw)}`);
  }
  const version = (raw as { version?: unknown }).version;
  if (version === undefined) {
    const keys = Object.keys(raw).slice(0, 5);
    throw notOurs(`it has no "version" (top-level keys: ${keys.length > 0 ? keys.join(', ') : 'none'})`);
  }
  if (version !== DB_FORMAT_VERSION) {
    if (typeof version === 'number' && Number.isInteger(version) && version > DB_FORMAT_VERSION) {
      throw new PersistenceError(
        `The --db file ${file} has format version ${version}; this emulator reads version ${DB_FORMAT_VERSION}. ${UNTOUCHED}: use the dhis2-upsert-harness release that wrote it, or choose another --db file.`,
      );
    }
    throw notOurs(`its "version" is ${JSON.stringify(version)}, and this emulator writes version ${DB_FORMAT_VERSION}`);
  }
  const parsed = dbFileSchema.safeParse(raw);
  if (!parsed.success) {
    const [first, ...more] = parsed.error.issues;
    const rest = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})` : '';
    throw new PersistenceError(
      `The --db file ${file} is not a valid emulator state file: ${pathOf(first.path)}: ${first.message}${rest}. ${UNTOUCHED}: fix that entry, or restore the file from a backup.`,
    );
  }
  const state = parsed.data as PersistedState;
  const seen = new Map<string, number>();
  state.trackedEntities.forEach((e, i) => {
    const earlier = seen.get(e.uid);
    if (earlier !== undefined) {
      throw new PersistenceError(
        `The --db file ${file} holds two entities with UID ${e.uid} (trackedEntities[${earlier}] and trackedEntities[${i}]). ${UNTOUCHED}: keep one of them, or restore the file from a backup.`,
      );
    }
    seen.set(e.uid, i);
  });
  return state;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** ['trackedEntities', 3, 'attributes'] → `trackedEntities[3].attributes` */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '') || 'the file';
}
