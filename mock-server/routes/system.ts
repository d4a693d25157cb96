import { Router, type Request, type Response } from 'express';
import type { DomainContext } from '../dhis2/context.js';
import { isSuperuser } from '../dhis2/access.js';
import { applyFields, parseFields } from '../dhis2/query/index.js';
import { generateUid } from '../dhis2/random.js';
import { integerParam } from '../dhis2/system-params.js';
import { dhis2Date } from '../store/clock.js';
import { fieldsParam } from './discovery.js';
import { randomUUID } from 'node:crypto';

// RFC 3986 host (reg-name or IP literal) with an optional port
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::(\d{1,5}))?$/;

/**
 * DHIS2's ContextUtils.getContextPath (dhis-web-api, webapi/utils/ContextUtils.java, unchanged
 * 2.35 → 2.42), which system/info's `contextPath` is: scheme (X-Forwarded-Proto when it says http
 * or https), `://`, the server name, `:port` unless the port is 80 or 443 (X-Forwarded-Port when it
 * is a number), then the servlet context path (empty here). Server name and port are Tomcat's: the
 * Host header's (the scheme's default port when it names none); without a usable Host (HTTP/1.0
 * needs none, HTTP/1.1 may send it empty) the address and port the request came in on. Never
 * `http://undefined`.
 */
function contextPath(req: Request): string {
  const forwardedProto = req.headers['x-forwarded-proto'];
  const scheme = typeof forwardedProto === 'string' && /^https?$/i.test(forwardedProto) ? forwardedProto : (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = HOST_HEADER.exec(req.headers.host ?? '');
  const local = req.socket.localAddress ?? '127.0.0.1';
  const name = host ? host[1] : local.includes(':') ? `[${local}]` : local;
  const serverPort = host ? (host[2] !== undefined ? Number(host[2]) : scheme.toLowerCase() === 'https' ? 443 : 80) : (req.socket.localPort ?? 80);
  const forwardedPort = req.headers['x-forwarded-port'];
  // Integer.parseInt: an optional sign and digits, within int range
  const port = typeof forwardedPort === 'string' && /^[+-]?\d{1,10}$/.test(forwardedPort) && Math.abs(Number(forwardedPort)) <= 2 ** 31 - 1 ? Number(forwardedPort) : serverPort;
  return `${scheme}://${name}${port !== 80 && port !== 443 ? `:${port}` : ''}`;
}

/** Does the client ask for CSV (the `produces = "application/csv"` mapping of /system/id)? */
const wantsCsv = (req: Request) => /\bapplication\/csv\b/i.test(req.get('accept') ?? '') && !/\bapplication\/json\b/i.test(req.get('accept') ?? '');

/**
 * /api/system/info, /api/system/id (alias uid), /api/system/uuid, /api/system/ping, /api/me
 * (spec §4, §5; SystemController, MeController).
 */
export function systemRoutes(ctx: () => DomainContext, systemName: string): Router {
  const router = Router();

  router.get('/system/info', (req, res) => {
    const c = ctx();
    const origin = contextPath(req);
    const info: Record<string, unknown> = {
      contextPath: origin,
      userAgent: req.get('user-agent'),
      calendar: 'iso8601',
      dateFormat: 'yyyy-mm-dd',
      serverDate: dhis2Date(c.clock()),
      serverTimeZoneId: 'Etc/UTC',
      serverTimeZoneDisplayName: 'Coordinated Universal Time',
      version: c.version.full,
      revision: 'emulator',
      buildTime: '2024-01-01T00:00:00.000',
      jasperReportsVersion: '6.20.1',
      environmentVariable: 'DHIS2_HOME',
      systemId: 'eed3d451-4ff5-4193-b951-ffcc68954299',
      systemName,
      instanceBaseUrl: origin,
      emailConfigured: false,
      redisEnabled: false,
      encryption: false,
    };
    if (isSuperuser(res.locals.user)) Object.assign(info, { javaVersion: '17.0.7', osName: 'Linux', memoryInfo: 'emulated', cpuCores: 2 });
    // 2.38 renders SystemInfo through the field filter (`fields`, default `*`); earlier releases ignore it
    const fields = c.version.atLeast('2.38') ? fieldsParam(req.query.fields) : undefined;
    res.set('Cache-Control', 'no-store').json(fields ? applyFields(info, parseFields(fields)) : info);
  });

  /**
   * `limit` (Integer, default 1) is capped at 10000 and a zero or negative limit gives no codes
   * (the generator loops `i < limit`); a non-integer is a 400. The CSV variant (`Accept:
   * application/csv`) writes a `uid` header line and sets no Cache-Control (SystemController).
   */
  const ids = (req: Request, res: Response, make: () => string, csv: boolean) => {
    const limit = Math.min(integerParam(req.query.limit, 'limit', 1, ctx().version), 10000);
    const codes = Array.from({ length: Math.max(limit, 0) }, make);
    if (csv && wantsCsv(req)) return res.type('application/csv').send(['uid', ...codes].map((c) => `${c}\n`).join(''));
    res.set('Cache-Control', 'no-store').json({ codes });
  };
  router.get(['/system/id', '/system/uid'], (req, res) => ids(req, res, () => generateUid(ctx().rng), true));
  router.get('/system/uuid', (req, res) => ids(req, res, () => randomUUID(), false));
  // SystemController#ping: a @ResponseBody String, no-store; clients use it as a liveness probe
  router.get('/system/ping', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('pong');
  });

  router.get('/me', (req, res) => {
    const c = ctx();
    const u = res.locals.user;
    const ref = (id: string) => ({ id });
    const legacyShape = c.version.below('2.38');
    const me: Record<string, unknown> = {
      id: u.id,
      ...(legacyShape ? {} : { username: u.username }),
      firstName: u.firstName,
      surname: u.surname,
      name: `${u.firstName} ${u.surname}`,
      displayName: `${u.firstName} ${u.surname}`,
      userCredentials: { username: u.username, userRoles: [] },
      organisationUnits: u.organisationUnits.map(ref),
      dataViewOrganisationUnits: u.dataViewOrganisationUnits.map(ref),
      teiSearchOrganisationUnits: u.teiSearchOrganisationUnits.map(ref),
      authorities: u.authorities,
      programs: [...c.meta.programs.keys()],
      dataSets: [],
      settings: { keyUiLocale: 'en', keyDbLocale: 'en' },
      userGroups: [],
      access: { manage: true, externalize: true, write: true, read: true, update: true, delete: true },
    };
    // MeController renders through the field filter: `fields` (every repeat) selects, default all
    const fields = fieldsParam(req.query.fields);
    res.json(fields ? applyFields(me, parseFields(fields)) : me);
  });

  return router;
}
