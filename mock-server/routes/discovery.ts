import { Router, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { resourceIndex } from '../dhis2/discovery/resources.js';
import { schemaBySingular, schemaList } from '../dhis2/discovery/schemas.js';
import { applyFields, paramValues, parseFields } from '../dhis2/query/index.js';
import { notFound } from '../dhis2/web-message.js';
import { apiVersionOf } from './api-path.js';
import { requestScope } from './request.js';

/** ContextService#getApiPath: the absolute `/api` root, with the request's `/NN` prefix if it had one. */
export function apiPathOf(req: Request, res: Response): string {
  const prefix = apiVersionOf(req.originalUrl.split('?')[0]);
  return `${requestScope(req, res).origin}/api${prefix !== undefined ? `/${prefix}` : ''}`;
}

/** All `fields` values, comma-joined (DHIS2 binds `List<String> fields` from every repeat). */
export const fieldsParam = (raw: unknown): string | undefined => {
  const all = paramValues(raw);
  return all.length > 0 ? all.join(',') : undefined;
};

/**
 * What clients read before they write (spec: real-clients.md): `GET /api` and `/api/` redirect to
 * `/api/resources` (IndexController), the resource index, and the schemas (SchemaController: a
 * lookup by singular name; an unknown one is 404 "Type x does not exist.", E1005 from 2.41 like
 * the other feedback NotFoundExceptions).
 */
export function discoveryRoutes(ctx: () => DomainContext): Router {
  const router = Router();
  const missing = (message: string) => (ctx().version.atLeast('2.41') ? notFound(message, 'E1005') : notFound(message));

  router.get('/', (req, res) => {
    res.redirect(302, `${requestScope(req, res).origin}/api/resources`);
  });

  router.get('/resources', (req, res) => {
    res.json(resourceIndex(ctx().version, apiPathOf(req, res)));
  });

  router.get('/schemas', (req, res) => {
    const tree = parseFields(fieldsParam(req.query.fields) ?? '*');
    res.json({ schemas: schemaList(ctx().version, apiPathOf(req, res)).map((s) => applyFields(s, tree)) });
  });

  router.get('/schemas/:type', (req, res) => {
    const type = String(req.params.type);
    const schema = schemaBySingular(ctx().version, type, apiPathOf(req, res));
    if (!schema) throw missing(`Type ${type.slice(0, 100)} does not exist.`);
    res.json(applyFields(schema, parseFields(fieldsParam(req.query.fields) ?? '*')));
  });

  router.get('/schemas/:type/:property', (req, res) => {
    const type = String(req.params.type);
    const name = String(req.params.property);
    const schema = schemaBySingular(ctx().version, type, apiPathOf(req, res));
    if (!schema) throw missing(`Type ${type.slice(0, 100)} does not exist.`);
    const property = (schema.properties as Record<string, unknown>[]).find((p) => p.name === name || p.fieldName === name);
    if (!property) throw missing(`Property ${name.slice(0, 100)} does not exist on type ${type.slice(0, 100)}.`);
    res.json(property);
  });

  return router;
}
