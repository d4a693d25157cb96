import type { Request } from 'express';
import type { Dhis2Version } from '../dhis2/versions.js';
import { Dhis2HttpError } from '../dhis2/web-message.js';

/**
 * The request's media type as Spring's ConsumesRequestCondition sees it: the Content-Type without
 * parameters, lower-cased; a request without one counts as `application/octet-stream`
 * (RequestMappingInfoHandlerMapping#handleNoMatch).
 */
export function mediaTypeOf(req: Request): string {
  const raw = req.headers['content-type'];
  return raw ? raw.split(';')[0].trim().toLowerCase() : 'application/octet-stream';
}

/**
 * `consumes = APPLICATION_JSON_VALUE`: only `application/json` itself matches (MediaType#includes
 * does not widen a concrete type to `application/x+json`).
 */
export const isJson = (mediaType: string) => mediaType === 'application/json';

/**
 * HttpMediaTypeNotSupportedException through CrudControllerAdvice: 415 with Spring's message,
 * which Spring 6 (DHIS2 2.42) rewords. The header value is quoted as the client sent it, or as
 * `application/octet-stream` when absent.
 */
export function unsupportedMediaType(req: Request, version: Dhis2Version | undefined): Dhis2HttpError {
  const type = req.headers['content-type'] ?? 'application/octet-stream';
  const spring6 = version?.atLeast('2.42') ?? false;
  return new Dhis2HttpError(415, spring6 ? `Content-Type '${type}' is not supported` : `Content type '${type}' not supported`);
}
