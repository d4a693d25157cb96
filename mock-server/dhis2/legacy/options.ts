import type { Dhis2Version } from '../versions.js';

export const LEGACY_STRATEGIES = ['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE', 'SYNC'] as const;
export type LegacyStrategy = (typeof LEGACY_STRATEGIES)[number];
const ALIASES: Record<string, LegacyStrategy> = {
  NEW: 'CREATE', UPDATES: 'UPDATE', NEW_AND_UPDATES: 'CREATE_AND_UPDATE', DELETES: 'DELETE',
};

/** ImportStrategy's constants in declaration order, as the 400 for a bad value lists them (SYNC's place inferred). */
export const STRATEGY_ENUM_ORDER = ['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE', 'SYNC', 'NEW_AND_UPDATES', 'NEW', 'UPDATES', 'DELETES'] as const;

/** `strategy` wins; `importStrategy` binds the same field but the controller overwrites it (spec §2.4). */
export function parseLegacyStrategy(raw: unknown): LegacyStrategy | { invalid: string } {
  if (raw === undefined || raw === '') return 'CREATE_AND_UPDATE';
  // Spring's String→Enum conversion is case-sensitive (trimmed)
  const text = String(raw).trim();
  if ((LEGACY_STRATEGIES as readonly string[]).includes(text)) return text as LegacyStrategy;
  if (ALIASES[text]) return ALIASES[text];
  return { invalid: String(raw) };
}

export interface LegacyImportOptions {
  strategy: LegacyStrategy;
  reportMode: 'FULL' | 'ERRORS' | 'DEBUG';
  ignoreEmptyCollection: boolean;
  /** PUT ?program= : delete that program's attributes missing from the payload */
  program?: string;
  dryRun: boolean;
}

/** The `importOptions` echo; clients rarely read it, but its shape is DHIS2's. */
export function importOptionsEcho(opts: LegacyImportOptions, version: Dhis2Version): Record<string, unknown> {
  return {
    idSchemes: {},
    dryRun: opts.dryRun,
    async: false,
    importStrategy: opts.strategy,
    mergeMode: 'REPLACE',
    reportMode: opts.reportMode,
    skipExistingCheck: false,
    sharing: false,
    skipNotifications: false,
    skipAudit: false,
    datasetAllowsPeriods: false,
    strictPeriods: false,
    strictDataElements: false,
    strictCategoryOptionCombos: false,
    strictAttributeOptionCombos: false,
    strictOrganisationUnits: false,
    ...(version.atLeast('2.38') ? { strictDataSetApproval: false, strictDataSetLocking: false, strictDataSetInputPeriods: false } : {}),
    requireCategoryOptionCombo: false,
    requireAttributeOptionCombo: false,
    skipPatternValidation: false,
    ignoreEmptyCollection: opts.ignoreEmptyCollection,
    force: false,
    firstRowIsHeader: true,
    skipLastUpdated: true,
    mergeDataValues: false,
    skipCache: false,
  };
}
