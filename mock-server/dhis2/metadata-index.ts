import type {
  DataElement, Metadata, OptionSet, OrganisationUnit, Program, ProgramStage, TrackedEntityAttribute, TrackedEntityType, User,
} from './types.js';

/** Read-only lookups over the fixture's metadata. */
export class MetadataIndex {
  readonly orgUnits = new Map<string, OrganisationUnit>();
  readonly attributes = new Map<string, TrackedEntityAttribute>();
  readonly types = new Map<string, TrackedEntityType>();
  readonly programs = new Map<string, Program>();
  readonly optionSets = new Map<string, OptionSet>();
  readonly users = new Map<string, User>();
  readonly programStages = new Map<string, ProgramStage>();
  readonly dataElements = new Map<string, DataElement>();
  private readonly childrenOf = new Map<string, string[]>();
  private readonly stagesOf = new Map<string, ProgramStage[]>();

  constructor(readonly raw: Metadata) {
    for (const o of raw.organisationUnits) this.orgUnits.set(o.id, o);
    for (const a of raw.trackedEntityAttributes) this.attributes.set(a.id, a);
    for (const t of raw.trackedEntityTypes) this.types.set(t.id, t);
    for (const p of raw.programs) this.programs.set(p.id, p);
    for (const s of raw.optionSets) this.optionSets.set(s.id, s);
    for (const u of raw.users) this.users.set(u.username, u);
    for (const d of raw.dataElements ?? []) this.dataElements.set(d.id, d);
    for (const st of raw.programStages ?? []) {
      this.programStages.set(st.id, st);
      const list = this.stagesOf.get(st.program) ?? [];
      list.push(st);
      this.stagesOf.set(st.program, list);
    }
    for (const o of raw.organisationUnits) {
      if (!o.parent) continue;
      const list = this.childrenOf.get(o.parent) ?? [];
      list.push(o.id);
      this.childrenOf.set(o.parent, list);
    }
  }

  /** The program's stages in their sort order. */
  stages(program: string): ProgramStage[] {
    return [...(this.stagesOf.get(program) ?? [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  }

  children(orgUnit: string): string[] {
    return this.childrenOf.get(orgUnit) ?? [];
  }

  /** True when `orgUnit` is `root` or lies below it (path-based, as DHIS2's DESCENDANTS mode). */
  isWithin(orgUnit: string, root: string): boolean {
    const ou = this.orgUnits.get(orgUnit);
    return !!ou && (ou.id === root || ou.path.includes(`/${root}/`) || ou.path.endsWith(`/${root}`));
  }

  isWithinAny(orgUnit: string, roots: readonly string[]): boolean {
    return roots.some((r) => this.isWithin(orgUnit, r));
  }

  /** Attributes of a tracked entity type, by attribute UID. */
  typeAttributeIds(trackedEntityType: string): Set<string> {
    const t = this.types.get(trackedEntityType);
    return new Set(t ? t.trackedEntityTypeAttributes.map((a) => a.trackedEntityAttribute) : []);
  }

  programAttributeIds(program: string): Set<string> {
    const p = this.programs.get(program);
    return new Set(p ? p.programTrackedEntityAttributes.map((a) => a.trackedEntityAttribute) : []);
  }

  /** Attribute UIDs assigned to any type (the legacy list returns only those, spec §2.2). */
  allTypeAttributeIds(): Set<string> {
    const ids = new Set<string>();
    for (const t of this.types.values()) for (const a of t.trackedEntityTypeAttributes) ids.add(a.trackedEntityAttribute);
    return ids;
  }

  userByToken(token: string): User | undefined {
    for (const u of this.users.values()) if (u.apiTokens?.includes(token)) return u;
    return undefined;
  }
}
