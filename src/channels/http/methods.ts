/** 405 with an `Allow` header for a known address asked with a method none of its routes answers. */
import type { Express, RequestHandler } from 'express';
import { HttpProblem } from './problem.ts';

interface RouteLayer {
  route?: { _methods(): string[] };
  match(path: string): unknown;
}

/**
 * Runs where every route and mount has declined the request (just before the 404): the methods of the app's routes
 * whose path matches, if any, make it a 405 `methodNotAllowed`; otherwise the request goes on to the 404. Routes of
 * mounted sub-apps (the Teams bot's) are not seen and stay 404.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    const allowed = new Set<string>();
    for (const layer of (app.router as unknown as { stack: RouteLayer[] }).stack) {
      if (!layer.route) continue;
      let matches: unknown;
      try {
        matches = layer.match(req.path);
      } catch {
        // A path with broken percent-encoding: the 404 (or the router's 400) stands.
        continue;
      }
      if (matches) for (const method of layer.route._methods()) allowed.add(method);
    }
    if (!allowed.size || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    // OPTIONS asks exactly this question (CORS preflights never get here: cors() answers them).
    if (req.method === 'OPTIONS') return void res.setHeader('Allow', `${allow}, OPTIONS`).status(204).end();
    res.setHeader('Allow', allow);
    next(new HttpProblem('methodNotAllowed', { method: req.method.slice(0, 20), allow }));
  };
}
