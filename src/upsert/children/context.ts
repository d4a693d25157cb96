/** What every enrollment and event step shares: the counted client, the API, retry settings. */
import type { CountingHttp } from '../api/http.js';
import type { RetryEnv, RetryOptions } from '../retry-policy.js';
import type { ChildApi } from './types.js';

export interface ChildCtx {
  http: CountingHttp;
  api: ChildApi;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  env: RetryEnv;
  /** how often a conflict may trigger a re-read (the entity's maxConflictRecoveries) */
  maxRecoveries: number;
}
