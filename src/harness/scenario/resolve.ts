/**
 * Turns a scenario's named records and entities into the records an upsert receives and the
 * entities the emulator starts with. Unresolvable names are reported by `checkReferences` (part
 * of the zod validation), so here they can be assumed to resolve.
 */
import type { StoredEntity } from '../../../mock-server/index.js';
import { deterministicUid } from '../../uid.js';
import type { HarnessRecord } from '../types.js';
import type { Catalog } from './catalog.js';
import type { EntitySpec, RecordSpec, Scenario } from './schema.js';

const FIXED_TIME = '2024-01-01T00:00:00.000';

export interface ResolvedRecord extends HarnessRecord {
  name: string;
  keyValue: string;
  /** the key's uniqueness scope: the org unit for orgunitScope attributes */
  scopeOrgUnit?: string;
  unique: boolean;
}

function valueText(v: string | number | boolean | null): string | null {
  return v === null ? null : String(v);
}

function attributeList(catalog: Catalog, values: Record<string, string | number | boolean | null>) {
  return Object.entries(values)
    .map(([ref, v]) => ({ attribute: catalog.attribute(ref)?.id ?? ref, value: valueText(v) }))
    .filter((a): a is { attribute: string; value: string } => a.value !== null);
}

export function matchRef(spec: RecordSpec): string | undefined {
  return spec.match ?? Object.keys(spec.attributes)[0];
}

function resolveEnrollments(catalog: Catalog, spec: RecordSpec): Pick<HarnessRecord, 'enrollments'> {
  if (!spec.enrollments) return {};
  return {
    enrollments: spec.enrollments.map((en) => ({
      program: catalog.program(en.program) ?? en.program,
      ...(en.orgUnit ? { orgUnit: catalog.orgUnit(en.orgUnit) ?? en.orgUnit } : {}),
      enrolledAt: en.enrolledAt,
      events: en.events.map((ev) => ({
        programStage: catalog.programStage(ev.programStage) ?? ev.programStage,
        key: ev.key,
        occurredAt: ev.occurredAt,
        ...(ev.orgUnit ? { orgUnit: catalog.orgUnit(ev.orgUnit) ?? ev.orgUnit } : {}),
        ...(ev.status ? { status: ev.status } : {}),
        dataValues: Object.entries(ev.dataValues).map(([ref, v]) => ({ dataElement: catalog.dataElement(ref) ?? ref, value: String(v) })),
      })),
    })),
  };
}

export function resolveRecord(catalog: Catalog, name: string, spec: RecordSpec): ResolvedRecord {
  const match = catalog.attribute(matchRef(spec) ?? '')!;
  const attributes = attributeList(catalog, spec.attributes);
  const orgUnit = catalog.orgUnit(spec.orgUnit) ?? spec.orgUnit;
  return {
    name,
    trackedEntityType: catalog.trackedEntityType(spec.trackedEntityType) ?? spec.trackedEntityType ?? '',
    orgUnit,
    matchAttribute: match.id,
    attributes,
    keyValue: attributes.find((a) => a.attribute === match.id)?.value ?? '',
    unique: match.unique,
    ...(match.orgunitScope ? { scopeOrgUnit: orgUnit } : {}),
    ...resolveEnrollments(catalog, spec),
  };
}

export interface ResolvedEntity {
  id?: string;
  uids: string[];
  entities: StoredEntity[];
}

export function resolveEntity(catalog: Catalog, spec: EntitySpec, index: number, scenarioKey: string): ResolvedEntity {
  const uids: string[] = [];
  const entities: StoredEntity[] = [];
  for (let copy = 0; copy < spec.copies; copy++) {
    const uid = copy === 0 && spec.uid ? spec.uid : deterministicUid('dhis2-harness-scenario', scenarioKey, String(index), String(copy));
    uids.push(uid);
    entities.push({
      uid,
      trackedEntityType: catalog.trackedEntityType(spec.trackedEntityType) ?? '',
      orgUnit: catalog.orgUnit(spec.orgUnit) ?? spec.orgUnit,
      created: FIXED_TIME,
      lastUpdated: FIXED_TIME,
      inactive: false,
      deleted: spec.deleted,
      potentialDuplicate: false,
      storedBy: 'admin',
      attributes: attributeList(catalog, spec.attributes).map((a) => ({ ...a, created: FIXED_TIME, lastUpdated: FIXED_TIME, storedBy: 'admin' })),
      enrollments: [],
      programOwners: [],
    });
  }
  return { ...(spec.id ? { id: spec.id } : {}), uids, entities };
}

export interface ResolvedScenario {
  catalog: Catalog;
  records: Map<string, ResolvedRecord>;
  entities: ResolvedEntity[];
}

export function resolveScenario(scenario: Scenario, catalog: Catalog, scenarioKey: string): ResolvedScenario {
  const records = new Map(Object.entries(scenario.records).map(([name, spec]) => [name, resolveRecord(catalog, name, spec)]));
  const entities = scenario.entities.map((e, i) => resolveEntity(catalog, e, i, scenarioKey));
  return { catalog, records, entities };
}
