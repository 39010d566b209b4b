import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { HttpProblem } from './problem.ts';

/**
 * helmet with a CSP that lets the widget page run its own bundle (`/widget.js`, same origin)
 * and lets other sites embed that script (cross-origin resource policy).
 * With these options helmet's headers depend on nothing in the request, so they are recorded once and set as a list:
 * helmet's chain of thirteen middlewares per request cost more than the headers themselves.
 */
export function securityHeaders(): RequestHandler {
  const { set, removed } = recordHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Would send a plain-http local server's own /widget.js to https and break it.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** The headers a request-independent middleware sets and removes, in order; throws if it does not finish at once without error. */
export function recordHeaders(middleware: RequestHandler): { set: Array<[string, string]>; removed: string[] } {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const res = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let done = false;
  void middleware({} as Request, res as unknown as Response, (err?: unknown) => {
    if (err !== undefined) throw new Error('securityHeaders: helmet refused its options', { cause: err });
    done = true;
  });
  if (!done) throw new Error('securityHeaders: helmet did not finish synchronously');
  return { set, removed };
}

const EXPOSED = 'x-request-id, x-ms-client-request-id, content-language, retry-after';
const ALLOWED_HEADERS =
  'content-type, accept-language, authorization, x-api-key, x-ms-client-request-id, x-stepwise-channel, x-stepwise-widget-key, x-stepwise-ticket-token';

/** CORS for an origin allowlist: allowed origins get the headers, others get none (the browser blocks). */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && allowed.has(origin);
    if (allowed.size) res.vary('Origin');
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    }
    if (req.method === 'OPTIONS' && typeof origin === 'string' && req.headers['access-control-request-method']) {
      if (ok) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}

/** The key a request presents in `x-api-key` or `Authorization: Bearer …`, if any. */
export function presentedKey(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = req.headers.authorization;
  const match = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time membership test for a key list. */
export function keyMatcher(keys: readonly string[]): (key: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (key) => {
    if (key === undefined) return false;
    const d = digest(key);
    // Compare against every key so timing does not reveal which one (or whether any) matched.
    return digests.reduce((found, k) => timingSafeEqual(k, d) || found, false);
  };
}

/**
 * A key a site puts in the widget's script tag (`data-key`). It is public, so it is bound to the site's
 * origin and opens only what the widget calls: a browser on another site cannot use it.
 */
export interface WidgetKey {
  key: string;
  origin: string;
}

/** The request header the widget sends its key in. */
export const WIDGET_KEY_HEADER = 'x-stepwise-widget-key';
const WIDGET_ROUTES = new Set(['/ask', '/feedback', '/tickets']);
/** A ticket's own address: the widget reads its ticket with the ticket's token (checked by the route). */
const WIDGET_TICKET = /^\/tickets\/[A-Za-z0-9-]{1,100}$/;

/** True for a POST to /ask, /feedback or /tickets, or a GET of one ticket (under /api/v1), carrying a widget key bound to the request's Origin. */
export function widgetKeyCheck(widgetKeys: readonly WidgetKey[]): (req: Request) => boolean {
  const byOrigin = new Map<string, string[]>();
  for (const { key, origin } of widgetKeys) byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), key]);
  const matchers = new Map([...byOrigin].map(([origin, keys]) => [origin, keyMatcher(keys)]));
  return (req) => {
    const widgetRoute = req.method === 'POST' ? WIDGET_ROUTES.has(req.path) : req.method === 'GET' && WIDGET_TICKET.test(req.path);
    if (!widgetRoute) return false;
    const origin = req.headers.origin;
    const key = req.headers[WIDGET_KEY_HEADER];
    const matches = typeof origin === 'string' ? matchers.get(origin) : undefined;
    return matches !== undefined && typeof key === 'string' && matches(key);
  };
}

/**
 * 401 unless the request presents one of `keys` (or `alsoAllowed` accepts it). With no keys configured, `openWhenEmpty`
 * opens the route; otherwise (admin routes) it is a 403 `adminDisabled` saying so, since no key could open it.
 */
export function requireKey(keys: readonly string[], openWhenEmpty = true, alsoAllowed?: (req: Request) => boolean): RequestHandler {
  const matches = keyMatcher(keys);
  if (keys.length === 0 && !openWhenEmpty) return (_req, _res, next) => next(new HttpProblem('adminDisabled'));
  return (req, res, next) => {
    if (keys.length === 0 || matches(presentedKey(req)) || alsoAllowed?.(req)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer');
    next(new HttpProblem('unauthorized'));
  };
}

/** Per-client rate limit (API key when one is valid, else IP); 429 problem with Retry-After. */
export function rateLimiter(opts: { max: number; windowMs: number; isKnownKey: (key: string | undefined) => boolean }): RequestHandler {
  if (opts.max === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: opts.windowMs,
    limit: opts.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const key = presentedKey(req);
      return opts.isKnownKey(key) ? `key:${digest(key!).toString('hex')}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, res, next) => {
      const seconds = Number(res.getHeader('Retry-After')) || Math.ceil(opts.windowMs / 1000);
      next(new HttpProblem('rateLimited', { seconds }));
    },
  });
}
