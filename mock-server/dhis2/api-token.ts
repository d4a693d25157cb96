import { crc32 } from 'node:zlib';
import type { Dhis2Version } from './versions.js';

/**
 * Personal access tokens as ApiTokenResolver reads the `Authorization: ApiToken <token>` header
 * (2.37+): the header must match `^ApiToken (?<token>[a-z0-9-._~+/]+=*)$` case-insensitively,
 * with exactly one space; the token starts with a type prefix up to the first `_` (ApiTokenType:
 * `d2pat` V1 with a 32-character code and a decimal CRC32 of the code as checksum; `d2p` V2 from
 * 2.40, PR #13987); a failing checksum is ApiTokenErrors.invalidRequest (400), a malformed header
 * invalidToken (401).
 */
export type TokenVerdict =
  | { ok: true; token: string }
  | { ok: false; status: 400 | 401; message: string };

const HEADER = /^ApiToken (?<token>[a-z0-9\-._~+/]+=*)$/i;

export function isApiTokenHeader(header: string): boolean {
  return header.toLowerCase().startsWith('apitoken');
}

export function resolveApiToken(header: string, version: Dhis2Version): TokenVerdict {
  const token = HEADER.exec(header)?.groups?.token;
  if (!token) return { ok: false, status: 401, message: 'Api token is malformed' };
  const underscore = token.indexOf('_');
  const prefix = underscore > 0 ? token.slice(0, underscore) : '';
  if (prefix === 'd2pat') {
    const code = token.slice(6, 38);
    const checksum = token.slice(38);
    const valid = code.length === 32 && /^\d{1,10}$/.test(checksum) && Number(checksum) === crc32(code);
    if (!valid) return { ok: false, status: 400, message: 'Checksum validation failed for token' };
    return { ok: true, token };
  }
  // V2 tokens carry a base-62 CRC32 the emulator does not recompute; they are looked up as given
  if (prefix === 'd2p' && version.atLeast('2.40')) return { ok: true, token };
  return { ok: false, status: 400, message: 'Could not resolve token type' };
}

/** A V1 token with a valid checksum for a 32-character code (fixtures and tests). */
export function v1Token(code: string): string {
  if (!/^[A-Za-z0-9]{32}$/.test(code)) throw new Error('A V1 token code is 32 letters or digits');
  return `d2pat_${code}${crc32(code)}`;
}
