import type { Express } from 'express';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { requireKey } from '../security.ts';

/** GET /api/v1/insights (admin key): not_found and 👎 answers per topic and language, aggregated by the store. */
export function insightsRoute(app: Express, ctx: HttpContext): void {
  app.get('/api/v1/insights', requireKey(ctx.options.adminKeys, false), async (req, res) => {
    const fields = new FieldReader(req.query, true);
    const lang = fields.lang();
    const examples = fields.integer('examples', { min: 0, max: 100 }) ?? 5;
    fields.done();
    const insights = await ctx.store.insights({ lang, examples });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ generatedAt: ctx.now().toISOString(), ...insights });
  });
}
