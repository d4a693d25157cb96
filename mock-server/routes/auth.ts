import type { NextFunction, Request, Response } from 'express';
import type { MetadataIndex } from '../dhis2/metadata-index.js';
import type { User } from '../dhis2/types.js';
import type { Dhis2Version } from '../dhis2/versions.js';
import { webMessage } from '../dhis2/web-message.js';

const TOKEN_FORMAT = /^[a-zA-Z0-9\-._~+/]+=*$/;

/**
 * DHIS2's authentication on /api (spec §5): Basic with the fixture's users; ApiToken from 2.37;
 * with no credentials and no XHR header, a 302 to the login page (FormLoginBasicAuthenticationEntryPoint).
 */
export function authenticate(meta: () => MetadataIndex, version: () => Dhis2Version) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.dhis2Version = version();
    const header = req.headers.authorization;
    const unauthorized = (message = 'Unauthorized', extra: Record<string, string> = {}) => {
      res.status(401).set(extra).json(webMessage(401, message));
    };
    if (!header) {
      if (req.headers['x-requested-with'] === 'XMLHttpRequest') return unauthorized();
      const login = version().atLeast('2.41') ? '/dhis-web-login/' : '/dhis-web-commons/security/login.action';
      return res.redirect(302, login);
    }
    const [scheme, ...rest] = header.split(' ');
    const credentials = rest.join(' ').trim();
    let user: User | undefined;
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const candidate = colon >= 0 ? meta().users.get(decoded.slice(0, colon)) : undefined;
      if (candidate && candidate.password === decoded.slice(colon + 1)) user = candidate;
      if (!user) return unauthorized();
    } else if (/^apitoken$/i.test(scheme) && version().atLeast('2.37')) {
      const challenge = { 'WWW-Authenticate': 'ApiToken error="invalid_token", error_description="Invalid api token"' };
      if (!TOKEN_FORMAT.test(credentials)) return unauthorized('Api token is malformed', challenge);
      user = meta().userByToken(credentials);
      if (!user) return unauthorized('The API token does not exists.', challenge);
    } else {
      return unauthorized();
    }
    res.locals.user = user;
    next();
  };
}
