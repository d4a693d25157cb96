/**
 * The metadata a scenario runs against: the built-in demo fixture plus the scenario's additions,
 * and the names a scenario may use for its objects (demo alias, code, name or UID).
 */
import { DEMO_IDS, demoFixture, type Fixture } from '../../../mock-server/index.js';
import type { TrackedEntityAttribute } from '../../../mock-server/dhis2/types.js';
import type { Scenario } from './schema.js';

export interface Catalog {
  fixture: Fixture;
  attribute(ref: string): TrackedEntityAttribute | undefined;
  orgUnit(ref: string): string | undefined;
  trackedEntityType(ref: string | undefined): string | undefined;
  /** a short human name for an attribute UID (its demo alias or code) */
  attributeLabel(uid: string): string;
  /** programs, stages and data elements: demo alias, code, name or UID */
  program(ref: string): string | undefined;
  programStage(ref: string): string | undefined;
  dataElement(ref: string): string | undefined;
}

const PROGRAM_ALIASES: Record<string, string> = { childProgramme: DEMO_IDS.program, tbProgram: DEMO_IDS.tbProgram };
const STAGE_ALIASES: Record<string, string> = DEMO_IDS.programStages;
const DATA_ELEMENT_ALIASES: Record<string, string> = DEMO_IDS.dataElements;

function byRef<T extends { id: string; name: string; code?: string }>(list: readonly T[] | undefined, aliases: Record<string, string>, ref: string): string | undefined {
  const id = aliases[ref] ?? ref;
  return (list ?? []).find((o) => o.id === id || o.code === ref || o.name === ref)?.id;
}

const ATTRIBUTE_ALIASES: Record<string, string> = DEMO_IDS.attributes;
const ORG_UNIT_ALIASES: Record<string, string> = DEMO_IDS.orgUnits;
const TYPE_ALIASES: Record<string, string> = { person: DEMO_IDS.trackedEntityType };

function withAdditions(additions: Scenario['fixture']): Fixture {
  const fixture = demoFixture();
  if (!additions) return fixture;
  const meta = fixture.metadata;
  const ous = new Map(meta.organisationUnits.map((o) => [o.id, o]));
  for (const ou of additions.organisationUnits) {
    const parentId = ORG_UNIT_ALIASES[ou.parent] ?? meta.organisationUnits.find((o) => o.id === ou.parent || o.code === ou.parent || o.name === ou.parent)?.id;
    const parent = parentId ? ous.get(parentId) : undefined;
    // an unknown parent is reported by the reference check; keep the unit as a root meanwhile
    const added = { id: ou.id, name: ou.name, ...(ou.code ? { code: ou.code } : {}), level: parent ? parent.level + 1 : 1, path: `${parent?.path ?? ''}/${ou.id}`, ...(parent ? { parent: parent.id } : {}), openingDate: '1970-01-01T00:00:00.000' };
    meta.organisationUnits.push(added);
    ous.set(ou.id, added);
  }
  for (const a of additions.trackedEntityAttributes) {
    meta.trackedEntityAttributes.push({ id: a.id, name: a.name, shortName: a.name.slice(0, 50), ...(a.code ? { code: a.code } : {}), valueType: a.valueType, unique: a.unique, orgunitScope: a.orgunitScope });
    const typeId = a.trackedEntityType ? (TYPE_ALIASES[a.trackedEntityType.toLowerCase()] ?? a.trackedEntityType) : DEMO_IDS.trackedEntityType;
    const type = meta.trackedEntityTypes.find((t) => t.id === typeId || t.name === typeId);
    type?.trackedEntityTypeAttributes.push({ id: `${a.id.slice(0, 7)}Tea`.padEnd(11, '0').slice(0, 11), trackedEntityAttribute: a.id, mandatory: false, searchable: true, displayInList: true });
  }
  return fixture;
}

export function buildCatalog(scenario: Pick<Scenario, 'fixture'>): Catalog {
  const fixture = withAdditions(scenario.fixture);
  const meta = fixture.metadata;
  const attribute = (ref: string) => {
    const id = ATTRIBUTE_ALIASES[ref] ?? ref;
    return meta.trackedEntityAttributes.find((a) => a.id === id || a.code === ref || a.name === ref);
  };
  const labels = new Map<string, string>();
  for (const [alias, id] of Object.entries(ATTRIBUTE_ALIASES)) labels.set(id, alias);
  for (const a of meta.trackedEntityAttributes) if (!labels.has(a.id)) labels.set(a.id, a.code ?? a.name);
  return {
    fixture,
    attribute,
    orgUnit: (ref) => ORG_UNIT_ALIASES[ref] ?? meta.organisationUnits.find((o) => o.id === ref || o.code === ref || o.name === ref)?.id,
    trackedEntityType: (ref) => {
      if (ref === undefined) return DEMO_IDS.trackedEntityType;
      const id = TYPE_ALIASES[ref.toLowerCase()] ?? ref;
      return meta.trackedEntityTypes.find((t) => t.id === id || t.name === ref)?.id;
    },
    attributeLabel: (uid) => labels.get(uid) ?? uid,
    program: (ref) => byRef(meta.programs, PROGRAM_ALIASES, ref),
    programStage: (ref) => byRef(meta.programStages, STAGE_ALIASES, ref),
    dataElement: (ref) => byRef(meta.dataElements, DATA_ELEMENT_ALIASES, ref),
  };
}
