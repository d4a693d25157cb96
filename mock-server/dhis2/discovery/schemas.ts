import type { Dhis2Version } from '../versions.js';
import { beautify, schemaEntries, type SchemaEntry } from './resources.js';

type PropertyType = 'IDENTIFIER' | 'TEXT' | 'BOOLEAN' | 'DATE' | 'INTEGER' | 'CONSTANT' | 'REFERENCE' | 'COLLECTION' | 'URL';

/** [name, type, java class (or item class for a collection), options] */
type Spec = [string, PropertyType, string, { persisted?: boolean; unique?: boolean; required?: boolean; item?: PropertyType; constants?: readonly string[] }?];

const JAVA = { str: 'java.lang.String', bool: 'java.lang.Boolean', int: 'java.lang.Integer', date: 'java.util.Date' };
const pkg = 'org.hisp.dhis';
const VALUE_TYPES = ['TEXT', 'LONG_TEXT', 'LETTER', 'PHONE_NUMBER', 'EMAIL', 'BOOLEAN', 'TRUE_ONLY', 'DATE', 'DATETIME', 'TIME', 'NUMBER', 'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'TRACKER_ASSOCIATE', 'USERNAME', 'COORDINATE', 'ORGANISATION_UNIT', 'AGE', 'URL', 'FILE_RESOURCE', 'IMAGE'] as const;

const IDENTIFIABLE: Spec[] = [
  ['id', 'IDENTIFIER', JAVA.str, { unique: true }],
  ['code', 'IDENTIFIER', JAVA.str, { unique: true }],
  ['name', 'TEXT', JAVA.str, { required: true }],
  ['displayName', 'TEXT', JAVA.str, { persisted: false }],
  ['created', 'DATE', JAVA.date],
  ['lastUpdated', 'DATE', JAVA.date],
  ['href', 'URL', JAVA.str, { persisted: false }],
];

/**
 * The properties the emulator's metadata views render, typed as DHIS2's SchemaService reports them
 * (`GET /api/schemas/<singular>`: name, fieldName, propertyType, klass, simple, collection …).
 * Not DHIS2's full property list for these classes: the ones an upsert client reads.
 */
const PROPERTIES: Record<string, Spec[]> = {
  trackedEntityAttribute: [
    ...IDENTIFIABLE,
    ['shortName', 'TEXT', JAVA.str, { required: true }],
    ['valueType', 'CONSTANT', `${pkg}.common.ValueType`, { required: true, constants: VALUE_TYPES }],
    ['unique', 'BOOLEAN', JAVA.bool], ['orgunitScope', 'BOOLEAN', JAVA.bool], ['generated', 'BOOLEAN', JAVA.bool],
    ['pattern', 'TEXT', JAVA.str], ['confidential', 'BOOLEAN', JAVA.bool], ['inherit', 'BOOLEAN', JAVA.bool],
    ['optionSet', 'REFERENCE', `${pkg}.option.OptionSet`], ['optionSetValue', 'BOOLEAN', JAVA.bool, { persisted: false }],
    ['displayInListNoProgram', 'BOOLEAN', JAVA.bool], ['skipSynchronization', 'BOOLEAN', JAVA.bool],
  ],
  trackedEntityType: [
    ...IDENTIFIABLE,
    ['featureType', 'CONSTANT', `${pkg}.organisationunit.FeatureType`, { constants: ['NONE', 'MULTI_POLYGON', 'POLYGON', 'POINT', 'SYMBOL'] }],
    ['allowAuditLog', 'BOOLEAN', JAVA.bool], ['minAttributesRequiredToSearch', 'INTEGER', JAVA.int], ['maxTeiCountToReturn', 'INTEGER', JAVA.int],
    ['trackedEntityTypeAttributes', 'COLLECTION', `${pkg}.trackedentity.TrackedEntityTypeAttribute`, { item: 'REFERENCE' }],
  ],
  organisationUnit: [
    ...IDENTIFIABLE,
    ['shortName', 'TEXT', JAVA.str, { required: true }], ['path', 'TEXT', JAVA.str], ['level', 'INTEGER', JAVA.int, { persisted: false }],
    ['openingDate', 'DATE', JAVA.date, { required: true }], ['leaf', 'BOOLEAN', JAVA.bool, { persisted: false }],
    ['parent', 'REFERENCE', `${pkg}.organisationunit.OrganisationUnit`],
    ['children', 'COLLECTION', `${pkg}.organisationunit.OrganisationUnit`, { item: 'REFERENCE' }],
  ],
  program: [
    ...IDENTIFIABLE,
    ['shortName', 'TEXT', JAVA.str, { required: true }],
    ['programType', 'CONSTANT', `${pkg}.program.ProgramType`, { required: true, constants: ['WITH_REGISTRATION', 'WITHOUT_REGISTRATION'] }],
    ['trackedEntityType', 'REFERENCE', `${pkg}.trackedentity.TrackedEntityType`],
    ['onlyEnrollOnce', 'BOOLEAN', JAVA.bool], ['displayIncidentDate', 'BOOLEAN', JAVA.bool],
    ['selectEnrollmentDatesInFuture', 'BOOLEAN', JAVA.bool], ['selectIncidentDatesInFuture', 'BOOLEAN', JAVA.bool],
    ['accessLevel', 'CONSTANT', `${pkg}.common.AccessLevel`, { constants: ['OPEN', 'AUDITED', 'PROTECTED', 'CLOSED'] }],
    ['organisationUnits', 'COLLECTION', `${pkg}.organisationunit.OrganisationUnit`, { item: 'REFERENCE' }],
    ['programTrackedEntityAttributes', 'COLLECTION', `${pkg}.program.ProgramTrackedEntityAttribute`, { item: 'REFERENCE' }],
  ],
  optionSet: [
    ...IDENTIFIABLE,
    ['valueType', 'CONSTANT', `${pkg}.common.ValueType`, { required: true, constants: VALUE_TYPES }], ['version', 'INTEGER', JAVA.int],
    ['options', 'COLLECTION', `${pkg}.option.Option`, { item: 'REFERENCE' }],
  ],
  option: [...IDENTIFIABLE, ['sortOrder', 'INTEGER', JAVA.int], ['optionSet', 'REFERENCE', `${pkg}.option.OptionSet`]],
  trackedEntityInstance: [
    ['id', 'IDENTIFIER', JAVA.str, { unique: true }], ['created', 'DATE', JAVA.date], ['lastUpdated', 'DATE', JAVA.date],
    ['trackedEntityType', 'REFERENCE', `${pkg}.trackedentity.TrackedEntityType`],
    ['organisationUnit', 'REFERENCE', `${pkg}.organisationunit.OrganisationUnit`, { required: true }],
    ['inactive', 'BOOLEAN', JAVA.bool], ['deleted', 'BOOLEAN', JAVA.bool], ['potentialDuplicate', 'BOOLEAN', JAVA.bool],
    ['trackedEntityAttributeValues', 'COLLECTION', `${pkg}.trackedentityattributevalue.TrackedEntityAttributeValue`, { item: 'COMPLEX' as PropertyType }],
  ],
};

/** `trackedEntityTypeAttributes` → `trackedEntityTypeAttribute` (DHIS2 names collection properties by item). */
const singularOf = (plural: string) => (plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.replace(/s$/, ''));

function property([name, propertyType, klass, o = {}]: Spec): Record<string, unknown> {
  const collection = propertyType === 'COLLECTION';
  return {
    name: collection ? singularOf(name) : name,
    fieldName: name,
    ...(collection ? { collectionName: name, itemKlass: klass, itemPropertyType: o.item ?? 'REFERENCE' } : {}),
    propertyType,
    klass: collection ? 'java.util.Set' : klass,
    simple: !collection && propertyType !== 'REFERENCE',
    collection,
    required: o.required ?? false,
    unique: o.unique ?? false,
    persisted: o.persisted ?? true,
    writable: o.persisted ?? true,
    readable: true,
    owner: o.persisted ?? true,
    ...(o.constants ? { constants: [...o.constants] } : {}),
  };
}

function schemaView(s: SchemaEntry, apiPath: string): Record<string, unknown> {
  return {
    klass: s.klass,
    shareable: s.shareable,
    metadata: s.metadata,
    relativeApiEndpoint: `/${s.plural}`,
    plural: s.plural,
    displayName: beautify(s.singular),
    singular: s.singular,
    collectionName: s.plural,
    identifiableObject: true,
    nameableObject: ['trackedEntityAttribute', 'organisationUnit', 'program'].includes(s.singular),
    embeddedObject: false,
    persisted: true,
    translatable: s.metadata,
    name: s.name,
    apiEndpoint: `${apiPath}/${s.plural}`,
    href: `${apiPath}/schemas/${s.singular}`,
    properties: (PROPERTIES[s.singular] ?? []).map(property),
  };
}

/** `GET /api/schemas` → `{schemas: [...]}` (SchemaController, sorted by name). */
export function schemaList(v: Dhis2Version, apiPath: string): Record<string, unknown>[] {
  return schemaEntries(v).slice().sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => schemaView(s, apiPath));
}

/** `GET /api/schemas/{singular}`; undefined for a type the emulator does not describe. */
export function schemaBySingular(v: Dhis2Version, singular: string, apiPath: string): Record<string, unknown> | undefined {
  const s = schemaEntries(v).find((e) => e.singular === singular);
  return s && schemaView(s, apiPath);
}
