import type { NextFunction, Request, Response } from 'express';
import { isApiTokenHeader, resolveApiToken } from '../dhis2/api-token.js';
import type { MetadataIndex } from '../dhis2/metadata-index.js';
import type { User } from '../dhis2/types.js';
import type { Dhis2Version } from '../dhis2/versions.js';
import { webMessage } from '../dhis2/web-message.js';

/**
 * DHIS2's authentication on /api (spec §5):
 * - Basic with the fixture's users; a Basic header that does not authenticate is a 401 WebMessage
 *   (FormLoginBasicAuthenticationEntryPoint).
 * - ApiToken from 2.37 (see dhis2/api-token.ts); its failures carry `WWW-Authenticate: ApiToken`
 *   (DhisApiTokenAuthenticationEntryPoint) and the status of the ApiTokenError (400 or 401).
 * - Anything else (no header, `Bearer …` with JWT authentication off, `ApiToken …` before 2.37)
 *   authenticates nobody: Http401LoginUrlAuthenticationEntryPoint answers 401 JSON to
 *   `X-Requested-With: XMLHttpRequest` and otherwise redirects to the login page with an absolute
 *   URL (LoginUrlAuthenticationEntryPoint), whatever the Accept header asks for.
 */
export function authenticate(meta: () => MetadataIndex, version: () => Dhis2Version) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.dhis2Version = version();
    const header = req.headers.authorization;
    const fail = (status: number, message: string, extra: Record<string, string> = {}) => {
      res.status(status).set(extra).json(webMessage(status, message));
    };
    const anonymous = () => {
      if (req.headers['x-requested-with'] === 'XMLHttpRequest') return fail(401, 'Unauthorized');
      const login = version().atLeast('2.41') ? '/dhis-web-login/' : '/dhis-web-commons/security/login.action';
      return res.redirect(302, `${req.protocol}://${req.get('host') ?? 'localhost'}${login}`);
    };
    if (!header) return anonymous();
    let user: User | undefined;
    if (/^basic(\s|$)/i.test(header)) {
      const decoded = Buffer.from(header.slice(5).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const candidate = colon >= 0 ? meta().users.get(decoded.slice(0, colon)) : undefined;
      if (candidate && candidate.password === decoded.slice(colon + 1)) user = candidate;
      if (!user) return fail(401, 'Unauthorized');
    } else if (isApiTokenHeader(header) && version().atLeast('2.37')) {
      const challenge = { 'WWW-Authenticate': 'ApiToken' };
      const verdict = resolveApiToken(header, version());
      if (!verdict.ok) return fail(verdict.status, verdict.message, challenge);
      user = meta().userByToken(verdict.token);
      if (!user) return fail(401, 'The API token does not exists.', challenge);
    } else {
      return anonymous();
    }
    res.locals.user = user;
    next();
  };
}
