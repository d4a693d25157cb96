/**
 * The metadata a case's requests refer to (template variables). A user names them on the command
 * line or they are discovered read-only from the server's public metadata, as a client would.
 */
export interface RestrictedUser {
  username: string;
  password: string;
  /** an org unit inside the restricted user's capture scope */
  insideOrgUnit: string;
  /** an org unit outside it (the target user can write there) */
  outsideOrgUnit: string;
}

export interface Targets {
  /** where writes register entities: in the target user's capture scope */
  orgUnit: string;
  trackedEntityType: string;
  /** a unique, not org-unit-scoped, TEXT attribute of the type: the upsert key */
  uniqueAttribute: string;
  /** a non-unique TEXT attribute of the type (a mandatory one when the type has one) */
  nameAttribute: string;
  /** the type's other mandatory attributes, with values their value type accepts */
  requiredAttributes: { attribute: string; value: string }[];
  program?: string;
  restricted?: RestrictedUser;
}

export type JsonGet = (path: string) => Promise<unknown>;

interface TypeAttribute {
  mandatory?: boolean;
  trackedEntityAttribute?: { id?: string; valueType?: string; unique?: boolean; orgunitScope?: boolean; generated?: boolean; optionSet?: { id?: string } };
}

const SAMPLE: Record<string, string> = {
  TEXT: 'Conformance', LONG_TEXT: 'Conformance', LETTER: 'C', NUMBER: '1', INTEGER: '1', INTEGER_POSITIVE: '1',
  INTEGER_ZERO_OR_POSITIVE: '1', INTEGER_NEGATIVE: '-1', PERCENTAGE: '50', UNIT_INTERVAL: '0.5', BOOLEAN: 'true',
  TRUE_ONLY: 'true', DATE: '2000-01-01', AGE: '2000-01-01', DATETIME: '2000-01-01T00:00:00.000', PHONE_NUMBER: '+23276000000',
  EMAIL: 'conformance@example.org',
};

const list = (v: unknown, key: string): Record<string, unknown>[] => {
  const items = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
};

/**
 * Fills what `given` lacks: the user's first capture org unit (`/api/me`), the first tracked entity
 * type with a unique TEXT attribute, a non-unique TEXT attribute (preferring a mandatory one),
 * values for the other mandatory attributes (an option set's first code), and a program with
 * registration for that type. `notes` says what could not be found: cases that need it are skipped.
 */
export async function discoverTargets(get: JsonGet, given: Partial<Targets>): Promise<{ targets: Partial<Targets>; notes: string[] }> {
  const t: Partial<Targets> = { ...given };
  const notes: string[] = [];
  if (!t.orgUnit) {
    const me = await get('/api/me?fields=organisationUnits[id]');
    t.orgUnit = list(me, 'organisationUnits')[0]?.id as string | undefined;
    if (!t.orgUnit) notes.push('the user has no capture org unit: pass --org-unit');
  }
  if (!t.trackedEntityType || !t.uniqueAttribute || !t.nameAttribute || !t.requiredAttributes) {
    const fields = 'id,trackedEntityTypeAttributes[mandatory,trackedEntityAttribute[id,valueType,unique,orgunitScope,generated,optionSet[id]]]';
    const types = list(await get(`/api/trackedEntityTypes?fields=${fields}&paging=false`), 'trackedEntityTypes');
    const isKey = (a: TypeAttribute) => a.trackedEntityAttribute?.unique === true && !a.trackedEntityAttribute.orgunitScope && a.trackedEntityAttribute.valueType === 'TEXT';
    const attrsOf = (type: Record<string, unknown> | undefined) => (type?.trackedEntityTypeAttributes ?? []) as TypeAttribute[];
    const type = types.find((x) => (t.trackedEntityType ? x.id === t.trackedEntityType : attrsOf(x).some(isKey)));
    const attrs = attrsOf(type);
    t.trackedEntityType ??= type?.id as string | undefined;
    // a generated (TextPattern) attribute only takes values the server reserved: prefer a plain one
    const key = attrs.find((a) => isKey(a) && !a.trackedEntityAttribute?.generated) ?? attrs.find(isKey) ?? attrs.find((a) => a.trackedEntityAttribute?.unique);
    if (!t.uniqueAttribute && key?.trackedEntityAttribute?.generated) {
      notes.push(`the unique attribute ${key.trackedEntityAttribute.id} is generated (TextPattern): cases that write will fail its pattern check; pass --unique-attribute`);
    }
    t.uniqueAttribute ??= key?.trackedEntityAttribute?.id;
    const plainText = attrs.filter((a) => a.trackedEntityAttribute?.valueType === 'TEXT' && !a.trackedEntityAttribute.unique && !a.trackedEntityAttribute.optionSet);
    t.nameAttribute ??= (plainText.find((a) => a.mandatory) ?? plainText[0])?.trackedEntityAttribute?.id;
    if (!t.requiredAttributes) {
      const required: { attribute: string; value: string }[] = [];
      for (const a of attrs.filter((x) => x.mandatory)) {
        const ta = a.trackedEntityAttribute ?? {};
        if (!ta.id || ta.id === t.uniqueAttribute || ta.id === t.nameAttribute) continue;
        let value = ta.valueType ? SAMPLE[ta.valueType] : undefined;
        if (ta.optionSet?.id) value = list(await get(`/api/optionSets/${ta.optionSet.id}?fields=options[code]`), 'options')[0]?.code as string | undefined;
        if (value === undefined) notes.push(`no sample value for the mandatory ${ta.valueType} attribute ${ta.id}: pass --tracked-entity-type of a simpler type`);
        else required.push({ attribute: ta.id, value });
      }
      t.requiredAttributes = required;
    }
    if (!t.trackedEntityType) notes.push('no tracked entity type with a unique TEXT attribute: pass --tracked-entity-type and --unique-attribute');
    else if (!t.uniqueAttribute) notes.push(`tracked entity type ${t.trackedEntityType} has no unique attribute: pass --unique-attribute`);
    if (!t.nameAttribute) notes.push('no non-unique TEXT attribute on the type: pass --name-attribute');
  }
  if (!t.program && t.trackedEntityType) {
    const programs = list(await get('/api/programs?fields=id,programType,trackedEntityType[id]&paging=false'), 'programs');
    t.program = programs.find((p) => p.programType === 'WITH_REGISTRATION' && (p.trackedEntityType as { id?: string } | undefined)?.id === t.trackedEntityType)?.id as string | undefined;
  }
  return { targets: t, notes };
}

export function isComplete(t: Partial<Targets>): t is Targets {
  return !!(t.orgUnit && t.trackedEntityType && t.uniqueAttribute && t.nameAttribute && t.requiredAttributes);
}
