import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';

/** Route template for metrics labels (`/api/v1/topics/*id`), never the raw path: keeps label cardinality bounded. */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : 'unmatched';
}

/**
 * Logs one line per request and observes its duration. Handlers add safe fields through
 * `res.locals.log`; question text only gets there when the operator allowed it.
 */
export function accessLog(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // 'finish' fires once; `on` spares the once-wrapper per request.
    res.on('finish', () => {
      const seconds = (performance.now() - start) / 1e3;
      const route = routeLabel(req);
      const status = res.statusCode;
      metrics?.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      if (!logger.isLevelEnabled('info')) return;
      logger.info(
        {
          requestId: req.ids?.requestId,
          clientRequestId: req.ids?.clientRequestId,
          method: req.method,
          route,
          status,
          ms: Math.round(seconds * 1e6) / 1e3,
          ...(res.locals.log as Record<string, unknown> | undefined),
        },
        'request',
      );
    });
    next();
  };
}
