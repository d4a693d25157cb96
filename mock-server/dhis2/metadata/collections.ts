import type { DomainContext } from '../context.js';
import {
  applyFields, firstValue, matchesMetadataQuery, metadataListBody, parseFields, parseMetadataFilters, parsePaging,
  QueryError, slice, compareOrderValues, type RawQuery,
} from '../query/index.js';
import { Dhis2HttpError, notFound } from '../web-message.js';
import { shapeFieldTree } from './field-shape.js';
import { MetadataViews, type MetadataType, type View } from './views.js';

/**
 * The metadata collections an upsert client reads (AbstractCrudController / AbstractFullReadOnlyController,
 * spec §5): `GET /api/<collection>` lists with a pager (default fields `id,displayName`, `paging=false`
 * drops the pager, `filter=prop:op:value`, `order=prop[:asc|desc]`), `GET /api/<collection>/{id}`
 * renders all fields, an unknown id is a 404 `<Type> with id <id> could not be found.`
 */
export const METADATA_COLLECTIONS: Readonly<Record<string, MetadataType>> = {
  organisationUnits: 'OrganisationUnit',
  trackedEntityTypes: 'TrackedEntityType',
  trackedEntityAttributes: 'TrackedEntityAttribute',
  programs: 'Program',
  optionSets: 'OptionSet',
  options: 'Option',
  programStages: 'ProgramStage',
  dataElements: 'DataElement',
};

const IDENTIFIABLE_PROPERTIES = ['id', 'name', 'displayName', 'code', 'created', 'lastUpdated', 'href', 'shortName', 'description'];

export function isMetadataCollection(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(METADATA_COLLECTIONS, name);
}

function allIds(ctx: DomainContext, type: MetadataType): string[] {
  const m = ctx.meta;
  switch (type) {
    case 'OrganisationUnit': return [...m.orgUnits.keys()];
    case 'TrackedEntityType': return [...m.types.keys()];
    case 'TrackedEntityAttribute': return [...m.attributes.keys()];
    case 'Program': return [...m.programs.keys()];
    case 'OptionSet': return [...m.optionSets.keys()];
    case 'Option': return [...m.optionSets.values()].flatMap((s) => s.options.map((o) => o.id));
    case 'ProgramStage': return [...m.programStages.keys()];
    case 'DataElement': return [...m.dataElements.keys()];
  }
}

/**
 * QueryParserException (bad filter) is a 409 through CrudControllerAdvice up to 2.40; from 2.41 the
 * metadata query errors are BadRequest 400 with E1003 (inferred from the 2.41 ErrorCode-based
 * exceptions, spec §1).
 */
function queryFailure(ctx: DomainContext, err: QueryError): Dhis2HttpError {
  return ctx.version.atLeast('2.41') ? new Dhis2HttpError(400, err.message, 'E1003') : new Dhis2HttpError(409, err.message);
}

/** `order=name:desc,code` over top-level scalar properties; default order `name` then `id` (inferred). */
function orderViews(views: View[], raw: unknown): View[] {
  const terms = (firstValue(raw) ?? 'name').split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    const [property, dir] = t.split(':');
    return { property, desc: dir?.toLowerCase() === 'desc' };
  });
  return views.slice().sort((a, b) => {
    for (const t of terms) {
      const va = a[t.property];
      const vb = b[t.property];
      if (va === vb) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const c = compareOrderValues(va, vb);
      if (c !== 0) return t.desc ? -c : c;
    }
    return String(a.id) < String(b.id) ? -1 : 1;
  });
}

/** The list body for `GET /api/<collection>`. `origin` builds the pager links. */
export function listMetadata(ctx: DomainContext, collection: string, query: RawQuery, origin: string): Record<string, unknown> {
  const type = METADATA_COLLECTIONS[collection];
  const views = new MetadataViews(ctx.meta);
  try {
    const all = allIds(ctx, type).map((id) => views.byId(type, id)!);
    // the schema's properties: an unknown first path segment is "Unknown path property" (DefaultQueryParser)
    const properties = new Set([...IDENTIFIABLE_PROPERTIES, ...all.flatMap((v) => Object.keys(v))]);
    const filter = parseMetadataFilters(query.filter as string | string[] | undefined, { rootJunction: firstValue(query.rootJunction), properties });
    const matching = orderViews(all.filter((v) => matchesMetadataQuery(v, filter)), query.order);
    const paging = parsePaging(query, { api: 'metadata', version: ctx.version });
    const tree = shapeFieldTree(parseFields(firstValue(query.fields), 'id,displayName'), type);
    const page = slice(matching, paging).map((v) => applyFields(v, tree));
    return metadataListBody(collection, page, paging, matching.length, { endpoint: `${origin}/api/${collection}`, query });
  } catch (err) {
    if (err instanceof QueryError) throw queryFailure(ctx, err);
    throw err;
  }
}

/** The body for `GET /api/<collection>/{id}`: all fields unless `fields` says otherwise. */
export function getMetadata(ctx: DomainContext, collection: string, id: string, query: RawQuery): unknown {
  const type = METADATA_COLLECTIONS[collection];
  const view = new MetadataViews(ctx.meta).byId(type, id);
  if (!view) {
    const message = `${type} with id ${id} could not be found.`;
    throw ctx.version.atLeast('2.41') ? notFound(message, 'E1005') : notFound(message);
  }
  try {
    return applyFields(view, shapeFieldTree(parseFields(firstValue(query.fields), ':all'), type));
  } catch (err) {
    if (err instanceof QueryError) throw queryFailure(ctx, err);
    throw err;
  }
}
