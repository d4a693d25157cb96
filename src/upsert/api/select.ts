/**
 * Which write API to use. 'auto' picks the legacy API only where the tracker API does not work
 * (2.35, where /api/tracker is a 501 stub), because the legacy API is gone from 2.42.
 */
import type { Dhis2VersionInfo } from '../../client/version.js';
import { InvalidOptionsError } from '../../errors.js';
import { LegacyApi } from './legacy.js';
import { TrackerApi } from './tracker.js';
import type { TeApi } from './types.js';

export type ApiChoice = 'legacy' | 'tracker' | 'auto';

export function validateApiChoice(choice: unknown): ApiChoice {
  if (choice === undefined) return 'auto';
  if (choice === 'legacy' || choice === 'tracker' || choice === 'auto') return choice;
  throw new InvalidOptionsError(`options.api must be 'legacy', 'tracker' or 'auto', not ${JSON.stringify(choice)}`);
}

export function chooseApi(
  choice: ApiChoice,
  version: Dhis2VersionInfo,
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>,
): TeApi {
  const v = `2.${version.minor}`;
  if (choice === 'legacy' && version.minor >= 42) {
    throw new InvalidOptionsError(`The legacy /api/trackedEntityInstances API was removed in DHIS2 2.42 (server is ${version.raw}); use api 'tracker' or 'auto'.`);
  }
  if (choice === 'tracker' && version.minor < 36) {
    throw new InvalidOptionsError(`The tracker API /api/tracker needs DHIS2 2.36 or later (server is ${v}); use api 'legacy' or 'auto'.`);
  }
  const kind = choice === 'auto' ? (version.minor < 36 ? 'legacy' : 'tracker') : choice;
  return kind === 'legacy' ? new LegacyApi(version) : new TrackerApi(version, sleep);
}
