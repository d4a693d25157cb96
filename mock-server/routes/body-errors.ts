import { PayloadError } from '../dhis2/payload.js';
import type { Dhis2Version } from '../dhis2/versions.js';
import { Dhis2HttpError } from '../dhis2/web-message.js';

/**
 * How DHIS2 answers a request body it cannot read, by where it fails (CrudControllerAdvice at the
 * 2.37, 2.39 and 2.43 tags):
 * - Jackson's JsonParseException (JSON syntax) has a handler: 409 with Jackson's message. The
 *   legacy endpoints read their bodies with Jackson directly, so a syntax error there is a 409.
 * - A JsonMappingException (valid JSON of the wrong shape, or an empty body: "No content to map
 *   due to end-of-input") has none: `defaultExceptionHandler` answers 500 with the message.
 * - The tracker import reads its body through Spring (`@RequestBody`), which wraps both kinds in
 *   HttpMessageNotReadableException: no handler up to 2.39 (500, the cause's message); the newer
 *   advice maps it to 400 (`handleHttpMessageNotReadableExceptionHandler`, added with the typed UID
 *   parameters; the emulator answers 400 from 2.40, the 2.40 boundary itself inferred).
 */
export function jsonSyntaxStatus(path: string, version: Dhis2Version | undefined): number {
  const tracker = path.startsWith('/api/tracker');
  if (!tracker) return 409;
  return version && version.below('2.40') ? 500 : 400;
}

/** A legacy body of the wrong shape: Jackson's mapping error through the default handler. */
export function readLegacyOr500<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof PayloadError) throw new Dhis2HttpError(500, e.message);
    throw e;
  }
}

/** A tracker body the import cannot read: 500 up to 2.39, else the reader's own 400. */
export function readTrackerOr500<T>(version: Dhis2Version, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (version.below('2.40') && e instanceof Dhis2HttpError && e.status === 400) throw new Dhis2HttpError(500, e.message);
    throw e;
  }
}
