/**
 * What `hammer` needs to know about a DHIS2 it has never seen, read through the public API only:
 * version, a tracked entity type, its key attribute (unique, not org-unit-scoped, unless told),
 * the attributes a create must carry (mandatory ones), and an org unit to register at.
 */
import type { Dhis2Client } from '../../../client/dhis2-client.js';
import { HarnessError } from '../../../errors.js';

export interface HammerTarget {
  version: string;
  trackedEntityType: string;
  keyAttribute: { id: string; name: string; unique: boolean };
  /** mandatory attributes of the type other than the key, with a value of their value type */
  fill: { attribute: string; value: string }[];
  orgUnit: string;
}

interface TypeAttr {
  mandatory?: boolean;
  trackedEntityAttribute?: { id?: string; name?: string; unique?: boolean; orgunitScope?: boolean; valueType?: string; optionSetValue?: boolean };
}

const SAMPLE: Record<string, string> = {
  NUMBER: '1', INTEGER: '1', INTEGER_POSITIVE: '1', INTEGER_ZERO_OR_POSITIVE: '0', INTEGER_NEGATIVE: '-1', PERCENTAGE: '1', UNIT_INTERVAL: '1',
  BOOLEAN: 'true', TRUE_ONLY: 'true', DATE: '2000-01-01', AGE: '2000-01-01', DATETIME: '2000-01-01T00:00:00.000', PHONE_NUMBER: '+10000000000', EMAIL: 'hammer@example.org',
};

export interface DiscoverOptions {
  trackedEntityType?: string;
  keyAttribute?: string;
  orgUnit?: string;
  signal?: AbortSignal;
}

export async function discoverTarget(client: Dhis2Client, o: DiscoverOptions = {}): Promise<HammerTarget> {
  const version = (await client.detectVersion(o.signal)).raw;
  const fields = 'id,name,trackedEntityTypeAttributes[mandatory,trackedEntityAttribute[id,name,unique,orgunitScope,valueType,optionSetValue]]';
  const types = ((await client.get<{ trackedEntityTypes?: { id: string; name?: string; trackedEntityTypeAttributes?: TypeAttr[] }[] }>('trackedEntityTypes', { fields, paging: false }, { signal: o.signal })).body?.trackedEntityTypes ?? []);
  const type = o.trackedEntityType ? types.find((t) => t.id === o.trackedEntityType || t.name === o.trackedEntityType) : types[0];
  if (!type) throw new HarnessError(o.trackedEntityType ? `No tracked entity type ${o.trackedEntityType} on the target: pass one of ${types.map((t) => t.id).join(', ')}.` : 'The target has no tracked entity types.');
  const attrs = (type.trackedEntityTypeAttributes ?? []).filter((a) => a.trackedEntityAttribute?.id);
  const keyAttr = o.keyAttribute
    ? attrs.find((a) => a.trackedEntityAttribute!.id === o.keyAttribute || a.trackedEntityAttribute!.name === o.keyAttribute)?.trackedEntityAttribute
    : attrs.find((a) => a.trackedEntityAttribute!.unique && !a.trackedEntityAttribute!.orgunitScope && ['TEXT', 'LONG_TEXT', undefined].includes(a.trackedEntityAttribute!.valueType))?.trackedEntityAttribute;
  if (!keyAttr?.id) {
    throw new HarnessError(`Found no ${o.keyAttribute ? `attribute ${o.keyAttribute}` : 'unique TEXT attribute'} on tracked entity type ${type.id}: pass --key-attribute UID (an attribute of that type).`);
  }
  const fill = attrs
    .filter((a) => a.mandatory && a.trackedEntityAttribute!.id !== keyAttr.id && !a.trackedEntityAttribute!.optionSetValue)
    .map((a) => ({ attribute: a.trackedEntityAttribute!.id!, value: SAMPLE[a.trackedEntityAttribute!.valueType ?? 'TEXT'] ?? 'Hammer' }));
  let orgUnit = o.orgUnit;
  if (!orgUnit) {
    const me = (await client.get<{ organisationUnits?: { id: string }[] }>('me', { fields: 'organisationUnits[id]' }, { signal: o.signal })).body;
    orgUnit = me?.organisationUnits?.[0]?.id;
    if (!orgUnit) throw new HarnessError('The user has no capture org unit: pass --org-unit UID.');
  }
  return { version, trackedEntityType: type.id, keyAttribute: { id: keyAttr.id, name: keyAttr.name ?? keyAttr.id, unique: !!keyAttr.unique }, fill, orgUnit };
}
