import type { DomainContext } from '../context.js';
import type { Paging } from '../query/index.js';
import type { SearchCriteria } from '../search.js';
import type { User } from '../types.js';
import { conflict } from '../web-message.js';

/**
 * DefaultTrackedEntityInstanceService#validateSearchScope, which the legacy `/count` and `/query`
 * grid endpoints run after the criteria rules (spec §2.2 "Global-search checks"): a user without
 * capture org units cannot search; a search without program and type may filter only on
 * system-wide unique attributes; and a search reaching beyond the capture scope ("global") may not
 * use `query`, only searchable attributes, at least `minAttributesRequiredToSearch` of them unless
 * one is unique, and not page past `maxTeiCountToReturn` ("maxteicountreached").
 */
export function validateSearchScope(ctx: DomainContext, user: User, c: SearchCriteria, paging: Paging): void {
  const meta = ctx.meta;
  if (user.organisationUnits.length === 0) throw conflict('User need to be associated with at least one organisation unit.');
  const attributeIds = c.filters.map((f) => f.attribute);
  const systemUnique = (a: string) => !!meta.attributes.get(a)?.unique && !meta.attributes.get(a)?.orgunitScope;
  if (!c.program && !c.trackedEntityType && attributeIds.length > 0 && c.orgUnits.length === 0) {
    if (attributeIds.some((a) => !systemUnique(a))) throw conflict('Either a program or tracked entity type must be specified');
  }
  if (isLocalSearch(ctx, user, c)) return;
  if (c.query) throw conflict('Query cannot be used during global search');
  const program = c.program ? meta.programs.get(c.program) : undefined;
  const type = c.trackedEntityType ? meta.types.get(c.trackedEntityType) : undefined;
  if (attributeIds.length > 0) {
    const searchable = new Set<string>();
    program?.programTrackedEntityAttributes.filter((a) => a.searchable).forEach((a) => searchable.add(a.trackedEntityAttribute));
    type?.trackedEntityTypeAttributes.filter((a) => a.searchable).forEach((a) => searchable.add(a.trackedEntityAttribute));
    if (!program && !type) attributeIds.filter(systemUnique).forEach((a) => searchable.add(a));
    const violating = attributeIds.filter((a) => !searchable.has(a));
    if (violating.length > 0) throw conflict(`Non-searchable attribute(s) can not be used during global search:  [${violating.join(', ')}]`);
  }
  const hasUniqueFilter = c.filters.some((f) => meta.attributes.get(f.attribute)?.unique && f.conditions.some((k) => k.op === 'EQ'));
  const minimum = type?.minAttributesRequiredToSearch ?? 0;
  if (type && !c.uids && !hasUniqueFilter && ((attributeIds.length === 0 && minimum > 0) || (attributeIds.length > 0 && attributeIds.length < minimum))) {
    throw conflict(`At least ${minimum} attributes should be mentioned in the search criteria.`);
  }
  const max = type?.maxTeiCountToReturn ?? 0;
  const offset = (paging.page - 1) * paging.pageSize;
  if (max > 0 && !paging.all && offset > 0 && offset + paging.pageSize > max) throw conflict('maxteicountreached');
}

/** Every org unit the search reaches lies within the user's capture org units. */
function isLocalSearch(ctx: DomainContext, user: User, c: SearchCriteria): boolean {
  const meta = ctx.meta;
  let reached: string[];
  switch (c.ouMode) {
    case 'SELECTED': reached = c.orgUnits; break;
    case 'CAPTURE': reached = user.organisationUnits; break;
    case 'CHILDREN':
    case 'DESCENDANTS': reached = c.orgUnits.flatMap((o) => meta.children(o)); break;
    case 'ALL': reached = [...meta.orgUnits.values()].filter((o) => !o.parent).map((o) => o.id); break;
    default: reached = user.teiSearchOrganisationUnits.length > 0 ? user.teiSearchOrganisationUnits : user.organisationUnits;
  }
  return reached.every((ou) => meta.isWithinAny(ou, user.organisationUnits));
}
