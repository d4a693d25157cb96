/**
 * `state.configuration` for an operation, from the harness context: the operation's own base URL
 * (the harness tells operations apart by it) and credentials, under the names the adaptors read —
 * `hostUrl` (language-dhis2 8.x, 2.x), `baseUrl` (language-http) — and `apiVersion` from the
 * emulator's DHIS2 version, so adaptor 8.x sends `/api/41/…` as it would against that server.
 */
import type { UpsertContext } from '../harness/types.js';

/** 'auto', 'none', or a two-digit API version such as '40' */
export type ApiVersionOption = string;

/** '2.41' or '2.41.3' → '41'; undefined when the version is unknown or unreadable. */
export function apiVersionOf(dhis2Version: string | undefined): string | undefined {
  const m = /^2\.(\d{2})(?:\.|$)/.exec(dhis2Version ?? '');
  return m ? m[1] : undefined;
}

export function configurationFor(ctx: UpsertContext, apiVersion: ApiVersionOption = 'auto'): Record<string, unknown> {
  const version = apiVersion === 'auto' ? apiVersionOf(ctx.dhis2Version) : apiVersion === 'none' ? undefined : apiVersion;
  return {
    hostUrl: ctx.baseUrl,
    baseUrl: ctx.baseUrl,
    username: ctx.username,
    password: ctx.password,
    ...(version ? { apiVersion: version } : {}),
  };
}
