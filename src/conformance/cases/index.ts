import type { ConformanceCase } from '../types.js';
import { AUTH_CASES } from './auth.js';
import { ADAPTOR_CASES } from './clients-adaptor.js';
import { LANGUAGE_DHIS2_CASES } from './clients-language.js';
import { DELETE_CASES } from './delete.js';
import { DISCOVERY_CASES } from './discovery.js';
import { DOUBTFUL_CASES } from './doubtful.js';
import { LEGACY_READ_CASES } from './legacy-read.js';
import { SYSTEM_CASES } from './system.js';
import { TRACKER_CASES } from './tracker.js';
import { VERSION_CASES } from './versions.js';

/** Every conformance case, in the order they run (read-only areas first, writes last). */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...VERSION_CASES,
  ...DISCOVERY_CASES,
  ...SYSTEM_CASES,
  ...AUTH_CASES,
  ...LEGACY_READ_CASES,
  ...TRACKER_CASES,
  ...DOUBTFUL_CASES,
  ...DELETE_CASES,
  ...ADAPTOR_CASES,
  ...LANGUAGE_DHIS2_CASES,
];
