import type { NextFunction, Request, Response } from 'express';
import { isMetadataCollection } from '../dhis2/metadata/collections.js';
import type { Dhis2Version } from '../dhis2/versions.js';
import { notFoundRoute } from './errors.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The emulator's /api routes and the methods each serves, per release (`path` is below /api). */
function methodsFor(path: string, v: Dhis2Version): Method[] | undefined {
  const legacy = v.below('2.42');
  const tracker = v.atLeast('2.36');
  if (legacy && path === '/trackedEntityInstances') return ['GET', 'POST'];
  if (legacy && /^\/trackedEntityInstances\/(count|query)$/.test(path)) return ['GET'];
  if (legacy && /^\/trackedEntityInstances\/[^/]+$/.test(path)) return ['GET', 'PUT', 'DELETE'];
  if (path === '/tracker') return ['POST'];
  if (/^\/tracker\/jobs\/[^/]+(\/report)?$/.test(path)) return ['GET'];
  if (tracker && /^\/tracker\/trackedEntities(\/[^/]+)?$/.test(path)) return ['GET'];
  if (/^\/(me|resources|schemas(\/[^/]+){0,2}|system\/(info|id|uid|uuid|ping))$/.test(path)) return ['GET'];
  const m = /^\/([^/]+)(\/[^/]+)?$/.exec(path);
  if (m && isMetadataCollection(m[1])) return ['GET'];
  return undefined;
}

/**
 * `OPTIONS` on /api (after authentication: without credentials DHIS2's security chain answers
 * first). Spring MVC dispatches OPTIONS to its HttpOptionsHandler: 200, an empty body and an
 * `Allow` header naming the mapped methods, plus HEAD when GET is mapped, plus OPTIONS
 * (RequestMappingInfoHandlerMapping; DispatcherServlet dispatchOptionsRequest is on since Spring
 * 4.3). Express would answer "GET, HEAD" in the body instead, from any sub-router whose path
 * pattern matched; so an unknown path is answered 404 here.
 */
export function answerOptions(version: () => Dhis2Version) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'OPTIONS') return next();
    const methods = methodsFor(req.path.replace(/\/+$/, '') || '/', version());
    if (!methods) return notFoundRoute(req, res);
    const allow = methods.includes('GET') ? [...methods.slice(0, 1), 'HEAD', ...methods.slice(1)] : [...methods];
    res.status(200).set('Allow', [...allow, 'OPTIONS'].join(',')).end();
  };
}
