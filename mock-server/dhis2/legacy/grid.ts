import type { DomainContext } from '../context.js';
import { buildPager, type Paging } from '../query/index.js';
import type { SearchCriteria } from '../search.js';
import type { StoredEntity } from '../types.js';

interface GridHeader {
  name: string;
  column: string;
  valueType: string;
  type: string;
  hidden: boolean;
  meta: boolean;
}

/** `new GridHeader(name, column)`: TEXT / java.lang.String, shown, not meta. */
const text = (name: string, column: string): GridHeader => ({ name, column, valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: false });

/**
 * A timestamp as PostgreSQL renders it to `ResultSet#getString` (the grid's rows come from JDBC,
 * HibernateTrackedEntityInstanceStore#getTrackedEntityInstancesGrid): a space, not a `T`, and the
 * fractional seconds without trailing zeros (inferred from PostgreSQL's text output).
 */
export function sqlTimestamp(dhis2Date: string): string {
  const [date, time = '00:00:00.000'] = dhis2Date.split('T');
  return `${date} ${time.replace(/\.?0+$/, '')}`;
}

/**
 * The attribute columns (handleAttributes): a free-text `query` without program adds the
 * "display in list without program" attributes; a program adds its attributes; a type its type's.
 */
function gridAttributes(ctx: DomainContext, c: SearchCriteria): string[] {
  if (c.program) return ctx.meta.programs.get(c.program)?.programTrackedEntityAttributes.map((a) => a.trackedEntityAttribute) ?? [];
  if (c.trackedEntityType) return ctx.meta.types.get(c.trackedEntityType)?.trackedEntityTypeAttributes.map((a) => a.trackedEntityAttribute) ?? [];
  return [];
}

/**
 * `GET /api/trackedEntityInstances/query` (TrackedEntityInstanceController#queryTrackedEntityInstancesJson
 * → DefaultTrackedEntityInstanceService#getTrackedEntityInstancesGrid, 2.35–2.41): a ListGrid with
 * fixed columns instance, created, lastupdated, ou, ouname, te, inactive (+ potentialduplicate from
 * 2.37, + deleted with includeDeleted), then one column per attribute; `metaData.pager` when paging
 * (total only with totalPages=true) and `metaData.names` (type UID → name) unless skipMeta.
 */
export function teiGrid(ctx: DomainContext, c: SearchCriteria, page: readonly StoredEntity[], total: number, paging: Paging, skipMeta: boolean): Record<string, unknown> {
  const v = ctx.version;
  const attributes = gridAttributes(ctx, c);
  const headers: GridHeader[] = [
    text('instance', 'Instance'), text('created', 'Created'), text('lastupdated', 'Last updated'),
    text('ou', 'Organisation unit'), text('ouname', 'Organisation unit name'), text('te', 'Tracked entity type'),
    text('inactive', 'Inactive'),
    ...(v.atLeast('2.37') ? [text('potentialduplicate', 'Potential duplicate')] : []),
    ...(c.includeDeleted ? [{ name: 'deleted', column: 'Deleted', valueType: 'BOOLEAN', type: 'java.lang.Boolean', hidden: false, meta: false }] : []),
    ...attributes.map((a) => text(a, ctx.meta.attributes.get(a)?.name ?? a)),
  ];
  const rows = page.map((e) => [
    e.uid, sqlTimestamp(e.created), sqlTimestamp(e.lastUpdated), e.orgUnit, ctx.meta.orgUnits.get(e.orgUnit)?.name ?? null,
    e.trackedEntityType, String(e.inactive),
    ...(v.atLeast('2.37') ? [String(e.potentialDuplicate)] : []),
    ...(c.includeDeleted ? [String(e.deleted)] : []),
    ...attributes.map((a) => e.attributes.find((x) => x.attribute === a)?.value ?? null),
  ]);
  const metaData: Record<string, unknown> = {};
  if (!paging.all) metaData.pager = buildPager(paging, paging.totalPages ? total : 0);
  if (!skipMeta) {
    const names: Record<string, string> = {};
    for (const e of page) names[e.trackedEntityType] = ctx.meta.types.get(e.trackedEntityType)?.name ?? e.trackedEntityType;
    metaData.names = names;
  }
  return { headers, metaData, rowContext: {}, width: headers.length, height: rows.length, headerWidth: headers.length, rows };
}
