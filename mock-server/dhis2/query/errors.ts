/**
 * The one error type of the query-parameter parsers (filters, fields, paging, order).
 *
 * `message` is the text DHIS2 puts in the WebMessage `message`; `status` is the HTTP status
 * DHIS2 uses for it in the API flavour the parser was asked about (409 for the legacy
 * IllegalQueryException path, 400 for BadRequestException / QueryParserException). Routes may
 * override the status, the code is stable.
 */
export type QueryErrorCode =
  | 'INVALID_FILTER'
  | 'DUPLICATE_FILTER'
  | 'DUPLICATE_ATTRIBUTE'
  | 'UNKNOWN_ATTRIBUTE'
  | 'INVALID_METADATA_FILTER'
  | 'INVALID_FIELDS'
  | 'INVALID_PAGING'
  | 'INVALID_ORDER';

export type QueryErrorStatus = 400 | 409;

export class QueryError extends Error {
  override readonly name = 'QueryError';

  constructor(
    readonly code: QueryErrorCode,
    message: string,
    readonly status: QueryErrorStatus = 409,
  ) {
    super(message);
  }
}

/** Keeps error messages readable when a fuzzer sends megabytes: long inputs are cut. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** `[a, b]`, the way `java.util.List#toString` renders a list of strings. */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}
