import type { MetadataIndex } from '../metadata-index.js';
import type { DataElement, OptionSet, OrganisationUnit, Program, ProgramStage, TrackedEntityAttribute, TrackedEntityType } from '../types.js';

/**
 * Metadata objects as DHIS2's field filter renders them (schema properties of
 * TrackedEntityAttribute, TrackedEntityType(+Attribute), Program(+TrackedEntityAttribute),
 * OrganisationUnit, OptionSet; spec §5).
 *
 * A view is built at two depths: at depth 0 every reference to another identifiable object is that
 * object's own depth-1 view, so `children[id,name]` or `optionSet[options[code]]`-style projections
 * can reach into it; at depth 1 references are `{id}` only. Which keys are such references is listed
 * per type in REFERENCE_KEYS: `fields=*` (and a plain `children`) shrink them to `{id}`, as DHIS2
 * renders references under `:all`. Embedded objects (trackedEntityTypeAttributes,
 * programTrackedEntityAttributes) are not references: `*` renders them whole.
 */
export type View = Record<string, unknown>;

export type MetadataType =
  | 'OrganisationUnit' | 'TrackedEntityType' | 'TrackedEntityAttribute' | 'Program' | 'OptionSet' | 'Option' | 'ProgramStage' | 'DataElement';
/** Objects embedded in another (not identifiable references): rendered whole under `*`. */
export type EmbeddedType = 'TrackedEntityTypeAttribute' | 'ProgramTrackedEntityAttribute' | 'ProgramStageDataElement';

/** Keys of each view whose values are identifiable references (object or list of objects). */
export const REFERENCE_KEYS: Readonly<Record<MetadataType | EmbeddedType, Readonly<Record<string, MetadataType>>>> = {
  OrganisationUnit: { parent: 'OrganisationUnit', children: 'OrganisationUnit', ancestors: 'OrganisationUnit', programs: 'Program' },
  TrackedEntityType: {},
  TrackedEntityAttribute: { optionSet: 'OptionSet' },
  Program: { trackedEntityType: 'TrackedEntityType', organisationUnits: 'OrganisationUnit', programStages: 'ProgramStage' },
  OptionSet: { options: 'Option' },
  Option: { optionSet: 'OptionSet' },
  ProgramStage: { program: 'Program' },
  DataElement: { optionSet: 'OptionSet' },
  TrackedEntityTypeAttribute: { trackedEntityAttribute: 'TrackedEntityAttribute', trackedEntityType: 'TrackedEntityType' },
  ProgramTrackedEntityAttribute: { trackedEntityAttribute: 'TrackedEntityAttribute', program: 'Program' },
  ProgramStageDataElement: { dataElement: 'DataElement', programStage: 'ProgramStage' },
};

/** Keys holding embedded objects, per view type. */
export const EMBEDDED_KEYS: Readonly<Partial<Record<MetadataType, Readonly<Record<string, EmbeddedType>>>>> = {
  TrackedEntityType: { trackedEntityTypeAttributes: 'TrackedEntityTypeAttribute' },
  Program: { programTrackedEntityAttributes: 'ProgramTrackedEntityAttribute' },
  ProgramStage: { programStageDataElements: 'ProgramStageDataElement' },
};

const ref = (id: string): View => ({ id });

/** Drops undefined values so absent properties are omitted (Jackson NON_NULL, spec §1). */
function compact(view: View): View {
  for (const k of Object.keys(view)) if (view[k] === undefined) delete view[k];
  return view;
}

export class MetadataViews {
  constructor(private readonly meta: MetadataIndex) {}

  /** Resolves a reference for the given depth: a full depth-1 view at depth 0, `{id}` below. */
  private follow(type: MetadataType, id: string, depth: number): View {
    if (depth > 0) return ref(id);
    return this.byId(type, id, 1) ?? ref(id);
  }

  byId(type: MetadataType, id: string, depth = 0): View | undefined {
    const m = this.meta;
    switch (type) {
      case 'OrganisationUnit': { const o = m.orgUnits.get(id); return o && this.orgUnit(o, depth); }
      case 'TrackedEntityType': { const t = m.types.get(id); return t && this.trackedEntityType(t, depth); }
      case 'TrackedEntityAttribute': { const a = m.attributes.get(id); return a && this.attribute(a, depth); }
      case 'Program': { const p = m.programs.get(id); return p && this.program(p, depth); }
      case 'OptionSet': { const s = m.optionSets.get(id); return s && this.optionSet(s, depth); }
      case 'ProgramStage': { const st = m.programStages.get(id); return st && this.programStage(st, depth); }
      case 'DataElement': { const d = m.dataElements.get(id); return d && this.dataElement(d, depth); }
      case 'Option': {
        for (const s of m.optionSets.values()) {
          const o = s.options.find((x) => x.id === id);
          if (o) return compact({ id: o.id, code: o.code, name: o.name, displayName: o.name, sortOrder: s.options.indexOf(o) + 1, optionSet: ref(s.id) });
        }
        return undefined;
      }
    }
  }

  orgUnit(o: OrganisationUnit, depth = 0): View {
    const ancestors = o.path.split('/').filter((p) => p !== '' && p !== o.id);
    const programs = [...this.meta.programs.values()].filter((p) => p.organisationUnits.includes(o.id));
    return compact({
      id: o.id,
      name: o.name,
      displayName: o.name,
      shortName: o.name,
      displayShortName: o.name,
      code: o.code,
      path: o.path,
      level: o.level,
      leaf: this.meta.children(o.id).length === 0,
      openingDate: o.openingDate,
      parent: o.parent ? this.follow('OrganisationUnit', o.parent, depth) : undefined,
      children: this.meta.children(o.id).map((c) => this.follow('OrganisationUnit', c, depth)),
      ancestors: ancestors.map((a) => this.follow('OrganisationUnit', a, depth)),
      programs: programs.map((p) => this.follow('Program', p.id, depth)),
    });
  }

  attribute(a: TrackedEntityAttribute, depth = 0): View {
    return compact({
      id: a.id,
      name: a.name,
      displayName: a.name,
      shortName: a.shortName ?? a.name,
      displayShortName: a.shortName ?? a.name,
      code: a.code,
      valueType: a.valueType,
      aggregationType: 'NONE',
      unique: a.unique,
      orgunitScope: a.orgunitScope,
      generated: a.generated ?? false,
      pattern: a.pattern ?? '',
      confidential: a.confidential ?? false,
      inherit: false,
      optionSetValue: !!a.optionSet,
      optionSet: a.optionSet ? this.follow('OptionSet', a.optionSet, depth) : undefined,
      displayInListNoProgram: false,
      displayOnVisitSchedule: false,
      skipSynchronization: false,
      sortOrderInListNoProgram: 0,
    });
  }

  trackedEntityType(t: TrackedEntityType, depth = 0): View {
    return compact({
      id: t.id,
      name: t.name,
      displayName: t.name,
      featureType: t.featureType ?? 'NONE',
      allowAuditLog: false,
      minAttributesRequiredToSearch: t.minAttributesRequiredToSearch ?? 1,
      maxTeiCountToReturn: t.maxTeiCountToReturn ?? 0,
      // TrackedEntityTypeAttribute#getName: "<type name> <attribute name>" (embedded objects)
      trackedEntityTypeAttributes: t.trackedEntityTypeAttributes.map((ta) => {
        const attr = this.meta.attributes.get(ta.trackedEntityAttribute);
        return compact({
          id: ta.id,
          displayName: `${t.name} ${attr?.name ?? ta.trackedEntityAttribute}`,
          valueType: attr?.valueType,
          mandatory: ta.mandatory,
          searchable: ta.searchable,
          displayInList: ta.displayInList,
          trackedEntityAttribute: depth > 0 || !attr ? ref(ta.trackedEntityAttribute) : this.attribute(attr, 1),
          trackedEntityType: ref(t.id),
        });
      }),
    });
  }

  program(p: Program, depth = 0): View {
    const attr = (id: string) => this.meta.attributes.get(id);
    return compact({
      id: p.id,
      name: p.name,
      displayName: p.name,
      shortName: p.name,
      displayShortName: p.name,
      programType: p.programType,
      trackedEntityType: p.trackedEntityType ? this.follow('TrackedEntityType', p.trackedEntityType, depth) : undefined,
      onlyEnrollOnce: p.onlyEnrollOnce ?? false,
      displayIncidentDate: p.displayIncidentDate ?? false,
      selectEnrollmentDatesInFuture: p.selectEnrollmentDatesInFuture ?? false,
      selectIncidentDatesInFuture: p.selectIncidentDatesInFuture ?? false,
      accessLevel: p.accessLevel ?? 'OPEN',
      organisationUnits: p.organisationUnits.map((o) => this.follow('OrganisationUnit', o, depth)),
      programStages: this.meta.stages(p.id).map((st) => this.follow('ProgramStage', st.id, depth)),
      // ProgramTrackedEntityAttribute#getName: "<program name> <attribute name>" (embedded objects)
      programTrackedEntityAttributes: p.programTrackedEntityAttributes.map((pa) => {
        const a = attr(pa.trackedEntityAttribute);
        return compact({
          id: pa.id,
          displayName: `${p.name} ${a?.name ?? pa.trackedEntityAttribute}`,
          valueType: a?.valueType,
          mandatory: pa.mandatory,
          searchable: pa.searchable,
          displayInList: pa.displayInList,
          allowFutureDate: pa.allowFutureDate ?? false,
          renderOptionsAsRadio: false,
          sortOrder: pa.sortOrder,
          trackedEntityAttribute: depth > 0 || !a ? ref(pa.trackedEntityAttribute) : this.attribute(a, 1),
          program: ref(p.id),
        });
      }),
    });
  }

  programStage(st: ProgramStage, depth = 0): View {
    return compact({
      id: st.id,
      name: st.name,
      displayName: st.name,
      repeatable: st.repeatable,
      sortOrder: st.sortOrder,
      validationStrategy: st.validationStrategy ?? 'ON_COMPLETE',
      program: this.follow('Program', st.program, depth),
      // embedded: the data element is rendered as a view at any depth, so a client can read each
      // value type through /api/programs/{id}?fields=programStages[programStageDataElements[…]]
      programStageDataElements: st.programStageDataElements.map((psde) => {
        const d = this.meta.dataElements.get(psde.dataElement);
        return compact({
          id: psde.id,
          compulsory: psde.compulsory,
          allowFutureDate: psde.allowFutureDate ?? false,
          sortOrder: psde.sortOrder,
          displayInReports: false,
          dataElement: d ? this.dataElement(d, 1) : ref(psde.dataElement),
          programStage: ref(st.id),
        });
      }),
    });
  }

  dataElement(d: DataElement, depth = 0): View {
    return compact({
      id: d.id,
      name: d.name,
      displayName: d.name,
      shortName: d.shortName ?? d.name,
      displayShortName: d.shortName ?? d.name,
      code: d.code,
      valueType: d.valueType,
      domainType: 'TRACKER',
      aggregationType: 'NONE',
      zeroIsSignificant: false,
      optionSetValue: !!d.optionSet,
      optionSet: d.optionSet ? this.follow('OptionSet', d.optionSet, depth) : undefined,
    });
  }

  optionSet(s: OptionSet, depth = 0): View {
    return compact({
      id: s.id,
      name: s.name,
      displayName: s.name,
      valueType: s.valueType,
      version: 0,
      options: s.options.map((o) => this.follow('Option', o.id, depth)),
    });
  }
}
