import type { Express } from 'express';
import type { HttpContext } from '../context.ts';
import { requireKey } from '../security.ts';

/**
 * POST /api/v1/admin/reload (admin key): parses and validates the content folder again and swaps the engine if the
 * content is valid and changed. 200 {status: reloaded | unchanged, content}; 422 {status: refused, errors[{file,
 * line, message}], content} when the content has errors (the loaded content keeps serving).
 */
export function adminRoutes(app: Express, ctx: HttpContext): void {
  const reload = ctx.reloadContent;
  if (!reload) return;
  app.post('/api/v1/admin/reload', requireKey(ctx.options.adminKeys, false), async (_req, res) => {
    const result = await reload();
    ctx.metrics.contentReloads.inc({ result: result.status });
    res.setHeader('Cache-Control', 'no-store');
    const content = { hash: result.version.hash, loadedAt: result.version.loadedAt };
    if (result.status === 'refused') {
      res
        .status(422)
        .json({ status: result.status, content, errors: result.errors.map(({ file, line, message }) => ({ file, line, message })), ms: result.ms });
      return;
    }
    res.json({ status: result.status, content, ms: result.ms });
  });
}
