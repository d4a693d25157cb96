import type { Dhis2Version } from '../versions.js';

/** A schema with an API endpoint, as SchemaService describes it (SchemaDescriptor implementations). */
export interface SchemaEntry {
  /** simple class name, e.g. TrackedEntityAttribute */
  name: string;
  klass: string;
  singular: string;
  plural: string;
  metadata: boolean;
  shareable: boolean;
}

const pkg = 'org.hisp.dhis';

/**
 * The schemas the emulator serves, plus `trackedEntityInstance`: its descriptor
 * (TrackedEntityInstanceSchemaDescriptor, renamed TrackedEntitySchemaDescriptor in 2.41 with the
 * same singular/plural and endpoint) stays registered on every release, so /api/resources lists
 * `/api/trackedEntityInstances` even on 2.42, where the controller is gone. DHIS2 registers some
 * 150 schemas; the emulator lists only those it answers, so a client that follows an href finds it.
 */
export function schemaEntries(v: Dhis2Version): SchemaEntry[] {
  const teiClass = v.atLeast('2.41') ? `${pkg}.trackedentity.TrackedEntity` : `${pkg}.trackedentity.TrackedEntityInstance`;
  return [
    { name: 'Option', klass: `${pkg}.option.Option`, singular: 'option', plural: 'options', metadata: true, shareable: false },
    { name: 'OptionSet', klass: `${pkg}.option.OptionSet`, singular: 'optionSet', plural: 'optionSets', metadata: true, shareable: true },
    { name: 'OrganisationUnit', klass: `${pkg}.organisationunit.OrganisationUnit`, singular: 'organisationUnit', plural: 'organisationUnits', metadata: true, shareable: false },
    { name: 'Program', klass: `${pkg}.program.Program`, singular: 'program', plural: 'programs', metadata: true, shareable: true },
    { name: 'TrackedEntityAttribute', klass: `${pkg}.trackedentity.TrackedEntityAttribute`, singular: 'trackedEntityAttribute', plural: 'trackedEntityAttributes', metadata: true, shareable: true },
    { name: v.atLeast('2.41') ? 'TrackedEntity' : 'TrackedEntityInstance', klass: teiClass, singular: 'trackedEntityInstance', plural: 'trackedEntityInstances', metadata: false, shareable: false },
    { name: 'TrackedEntityType', klass: `${pkg}.trackedentity.TrackedEntityType`, singular: 'trackedEntityType', plural: 'trackedEntityTypes', metadata: true, shareable: true },
  ];
}

/** IndexController#beautify: "trackedEntityInstances" → "Tracked Entity Instances". */
export function beautify(name: string): string {
  const capitalised = name.charAt(0).toUpperCase() + name.slice(1);
  return capitalised.split(/(?=[A-Z])/).join(' ').trim();
}

/**
 * `GET /api/resources` (IndexController, 2.35–2.42): `{resources: [{displayName, singular, plural,
 * href}]}` for every schema with an API endpoint; `href` is ContextService#getApiPath + the
 * endpoint, so it keeps the request's `/api/NN` prefix (DefaultContextService; 2.42's
 * HttpServletRequestPaths appends "/api" itself because the dispatcher moved to `/*`).
 */
export function resourceIndex(v: Dhis2Version, apiPath: string): { resources: Record<string, string>[] } {
  return {
    resources: schemaEntries(v).map((s) => ({ displayName: beautify(s.plural), singular: s.singular, plural: s.plural, href: `${apiPath}/${s.plural}` })),
  };
}
