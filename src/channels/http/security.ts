import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { HttpProblem } from './problem.ts';

/**
 * helmet with a CSP that lets the widget page run its own bundle (`/widget.js`, same origin)
 * and lets other sites embed that script (cross-origin resource policy).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
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
  });
}

const EXPOSED = 'x-request-id, x-ms-client-request-id, content-language, retry-after';
const ALLOWED_HEADERS = 'content-type, accept-language, authorization, x-api-key, x-ms-client-request-id, x-stepwise-channel';

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

/** 401 unless the request presents one of `keys`; with no keys configured, `openWhenEmpty` decides. */
export function requireKey(keys: readonly string[], openWhenEmpty = true): RequestHandler {
  const matches = keyMatcher(keys);
  return (req, res, next) => {
    if ((keys.length === 0 && openWhenEmpty) || matches(presentedKey(req))) return next();
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
