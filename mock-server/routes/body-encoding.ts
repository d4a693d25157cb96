import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An undecodable request body, reported like a JSON syntax error (errors.ts `entity.parse.failed`). */
export class InvalidUtf8BodyError extends Error {
  readonly code = 'INVALID_UTF8_BODY';
  readonly type = 'entity.parse.failed';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Jackson's UTF8StreamJsonParser rejects a byte that cannot start or continue a UTF-8 sequence
 * ("Invalid UTF-8 start byte 0xff", "Invalid UTF-8 middle byte 0x41"). Where the first bad byte
 * is, and which kind it is, is all this finds; validity itself is `buffer.isUtf8`'s verdict.
 */
export function describeInvalidUtf8(buf: Uint8Array): string {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return `Invalid UTF-8 start byte 0x${b.toString(16)}`;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return 'Unexpected end-of-input in a UTF-8 sequence';
      if ((c & 0xc0) !== 0x80) return `Invalid UTF-8 middle byte 0x${c.toString(16)}`;
    }
    i += need + 1;
  }
  return 'Invalid UTF-8 byte sequence';
}

/**
 * body-parser `verify` step: DHIS2 reads request bodies with Jackson, which fails on bytes that are
 * not UTF-8 (the legacy endpoints answer 409, the tracker import 400: errors.ts). body-parser would
 * decode them to U+FFFD and the emulator would store text the client never sent.
 */
export function rejectInvalidUtf8(_req: IncomingMessage, _res: ServerResponse, buf: Buffer, encoding: string): void {
  if (buf.length === 0 || !/^utf-?8$/i.test(encoding || 'utf-8')) return;
  // native and allocation-free: every JSON body passes through here
  if (!isUtf8(buf)) throw new InvalidUtf8BodyError(describeInvalidUtf8(buf));
}
