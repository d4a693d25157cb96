/**
 * The shapes of OpenFn's runtime as an adaptor sees them: state in, state out. Kept structural,
 * so any adaptor (language-common, language-http, language-dhis2 8.x) fits without importing it.
 */
export interface OpenFnState {
  configuration?: Record<string, unknown>;
  data?: unknown;
  references?: unknown[];
  [key: string]: unknown;
}

/** One step of a job: `upsert(...)`, `get(...)`, `fn(state => …)` all return one. */
export type OpenFnOperation = (state: OpenFnState) => OpenFnState | Promise<OpenFnState>;

/** An adaptor's `execute`: runs operations one after another over a state. */
export type OpenFnExecute = (...operations: OpenFnOperation[]) => (state: OpenFnState) => Promise<OpenFnState> | OpenFnState;
