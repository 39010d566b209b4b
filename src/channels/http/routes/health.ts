import type { Express } from 'express';
import type { HttpContext } from '../context.ts';

/** /healthz (process alive), /readyz (index loaded and store writable, else 503) and /metrics (Prometheus text). */
export function healthRoutes(app: Express, ctx: HttpContext): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (!ctx.isReady()) {
      res.status(503).setHeader('Retry-After', '1');
      res.json({ status: 'loading' });
      return;
    }
    const store = ctx.store.health();
    if (!store.ready) {
      res.status(503).setHeader('Retry-After', '5');
      res.json({ status: 'store_unavailable' });
      return;
    }
    const content = ctx.contentVersion();
    res.json({
      status: 'ready',
      topics: ctx.engine().topics('en').length,
      ...(content ? { content: { hash: content.hash, loadedAt: content.loadedAt } } : {}),
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
