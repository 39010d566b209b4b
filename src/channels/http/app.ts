import express, { type Express, type RequestHandler } from 'express';
import { accessLog } from '../../observability/access-log.ts';
import { requestId } from '../../observability/request-id.ts';
import { createContext, type HttpAppDeps } from './context.ts';
import { notFoundHandler, problemHandler, unparsableRequestBody } from './problem.ts';
import { methodNotAllowed } from './methods.ts';
import { parseQuery, rejectMalformedQuery } from './query.ts';
import { cors, keyMatcher, rateLimiter, requireKey, securityHeaders, widgetKeyCheck } from './security.ts';
import { openApiDocument } from './openapi.ts';
import { askRoute } from './routes/ask.ts';
import { searchRoute } from './routes/search.ts';
import { topicsRoute } from './routes/topics.ts';
import { feedbackRoute } from './routes/feedback.ts';
import { insightsRoute } from './routes/insights.ts';
import { healthRoutes } from './routes/health.ts';
import { adminRoutes } from './routes/admin.ts';

/** Builds the express app: the /api/v1 Q&A API, health and metrics, then other channels' mounts. Does not listen. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const ctx = createContext(deps);
  const { options } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);
  app.set('query parser', parseQuery);
  // For the server (createDrainableServer): what to answer a request Node cannot parse into one for this app.
  app.locals.unparsableRequest = unparsableRequestBody(ctx.i18n);

  // One router layer for the three: every layer a request passes costs it a match and a few allocations.
  app.use(inSequence(requestId({ newId: deps.newId }), accessLog(ctx.logger, ctx.metrics), securityHeaders(), rejectMalformedQuery()));
  healthRoutes(app, ctx);

  const anyKey = keyMatcher([...options.apiKeys, ...options.adminKeys]);
  // A widget key's origin may call the API from a browser: that is what the key is for.
  app.use('/api/v1', cors([...new Set([...options.corsOrigins, ...options.widgetKeys.map((k) => k.origin)])]));
  // A check that cannot refuse anything (limit 0, no keys) is not mounted: each layer costs every request.
  if (options.rateLimit.max > 0) app.use('/api/v1', rateLimiter({ ...options.rateLimit, isKnownKey: (key) => anyKey(key) }));
  const openApi = JSON.stringify(openApiDocument());
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(openApi);
  });
  // Admin keys also open the API, so one key is enough for the insights page; a widget key opens only /ask and /feedback from its origin.
  if (options.apiKeys.length) app.use('/api/v1', requireKey([...options.apiKeys, ...options.adminKeys], true, widgetKeyCheck(options.widgetKeys)));
  askRoute(app, ctx);
  searchRoute(app, ctx);
  topicsRoute(app, ctx);
  feedbackRoute(app, ctx);
  insightsRoute(app, ctx);
  adminRoutes(app, ctx);

  for (const mount of deps.mounts ?? []) mount(app, ctx);

  app.use(methodNotAllowed(app));
  app.use(notFoundHandler());
  app.use(problemHandler(ctx.i18n, ctx.logger));
  return app;
}

/** Runs `handlers` in order as one middleware; an error (or a handler not calling next) stops the sequence. */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined || i === handlers.length) return next(err);
      void handlers[i++](req, res, step);
    };
    step();
  };
}
