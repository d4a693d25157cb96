/**
 * DHIS2 UIDs: 11 characters, a letter first, then 10 letters or digits (spec §4).
 *
 * `deterministicUid` is the foundation of idempotent creates: the same key must map to the same
 * UID in every process, on every machine, forever. Its scheme is therefore FROZEN at
 * `UID_SCHEME_VERSION = 1`; never change the alphabets, their order, the domain tag or the encoding.
 * A new scheme needs a new version number and a new domain tag, and must coexist with v1 because
 * entities created under v1 already exist on servers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { InvalidRecordError } from './errors.js';

export const UID_SCHEME_VERSION = 1 as const;

/** 52 letters in ASCII order: the first character's alphabet. FROZEN (scheme v1). */
export const UID_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62 characters in ASCII order (`0-9A-Za-z`): the other ten characters' alphabet. FROZEN (scheme v1). */
export const UID_ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const UID_DOMAIN_TAG_V1 = 'dhis2-upsert-harness/uid/v1';
const UID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{10}$/;

export function isValidUid(s: unknown): s is string {
  return typeof s === 'string' && UID_PATTERN.test(s);
}

/**
 * A random UID with a uniform distribution over the alphabets. Rejection sampling on bytes avoids
 * the modulo bias that `byte % 62` would introduce (256 is not a multiple of 52 or 62).
 */
export function randomUid(): string {
  let out = pickUniform(UID_LETTERS, 1);
  out += pickUniform(UID_ALPHANUMERIC, 10);
  return out;
}

function pickUniform(alphabet: string, count: number): string {
  const n = alphabet.length;
  // Largest multiple of n that fits in a byte; bytes at or above it are discarded.
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < count) {
    const bytes = randomBytes(Math.max(16, (count - out.length) * 2));
    for (const b of bytes) {
      if (b >= limit) continue;
      out += alphabet[b % n];
      if (out.length === count) break;
    }
  }
  return out;
}

/**
 * Length-prefixing makes the encoding injective: ('ab','c') and ('a','bc') hash differently,
 * and no separator character in a value can forge a boundary.
 */
function encodeParts(parts: readonly string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length, 0);
    chunks.push(len, bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * A stable UID for (namespace, parts). SHA-256 over the length-prefixed UTF-8 encoding of
 * [domain tag, namespace, ...parts]; the digest, read as a big-endian unsigned integer n, is
 * mapped with BigInt arithmetic: first char = UID_LETTERS[n mod 52], n = n div 52, then ten times
 * char = UID_ALPHANUMERIC[n mod 62], n = n div 62. The digest has 256 bits and the UID space about
 * 65.3, so the bias of the modulo mapping is below 2^-190: negligible.
 */
export function deterministicUid(namespace: string, ...parts: string[]): string {
  if (typeof namespace !== 'string' || parts.some((p) => typeof p !== 'string')) {
    throw new TypeError('deterministicUid: namespace and parts must be strings');
  }
  const digest = createHash('sha256').update(encodeParts([UID_DOMAIN_TAG_V1, namespace, ...parts])).digest();
  let n = BigInt('0x' + digest.toString('hex'));
  let out = UID_LETTERS[Number(n % 52n)];
  n /= 52n;
  for (let i = 0; i < 10; i++) {
    out += UID_ALPHANUMERIC[Number(n % 62n)];
    n /= 62n;
  }
  return out;
}

/** The fields of an upsert record the key depends on. */
export interface KeyedRecord {
  trackedEntityType: string;
  matchAttribute: string;
  attributes: ReadonlyArray<{ attribute: string; value: string }>;
}

/** The value of the record's match attribute; the upsert's business key. */
export function keyValue(record: KeyedRecord): string {
  const hit = record.attributes.find((a) => a.attribute === record.matchAttribute);
  if (!hit || typeof hit.value !== 'string' || hit.value.trim() === '') {
    throw new InvalidRecordError(
      `Record has no value for its matchAttribute ${record.matchAttribute}: add {attribute: '${record.matchAttribute}', value} to attributes.`,
    );
  }
  return hit.value;
}

const NUMERIC_VALUE_TYPES = new Set(['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE', 'UNIT_INTERVAL']);

/**
 * One spelling per key (key derivation v2): trimmed (DHIS2 trims stored values), lower-cased
 * (DHIS2's legacy uniqueness and EQ filters ignore case, and two spellings of one ID are one
 * patient), numbers in their canonical form (`007` = `7`). Keys are compared, and UIDs derived, on this.
 */
export function normalizedKeyValue(value: string, valueType = 'TEXT'): string {
  const t = value.trim();
  if (NUMERIC_VALUE_TYPES.has(valueType) && t !== '' && Number.isFinite(Number(t))) return String(Number(t));
  return t.toLowerCase();
}

/**
 * The UID the upsert core creates an entity with when no entity matches a text key: derived from
 * the normalised key value (see normalizedKeyValue), so every spelling of a key maps to one UID.
 */
export function keyUid(record: KeyedRecord): string {
  return deterministicUid('tei', record.trackedEntityType, record.matchAttribute, normalizedKeyValue(keyValue(record)));
}
