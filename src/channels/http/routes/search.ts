import type { Express } from 'express';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { fromAcceptLanguage } from '../lang.ts';
import { snippetHtml } from '../../../render/snippet.ts';

export const SEARCH_Q_MAX = 500;
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_LIMIT_DEFAULT = 10;

/** GET /api/v1/search: ranked topic hits with <mark>-highlighted snippets. */
export function searchRoute(app: Express, ctx: HttpContext): void {
  app.get('/api/v1/search', (req, res) => {
    const fields = new FieldReader(req.query, true);
    const q = fields.string('q', { required: true, maxLength: SEARCH_Q_MAX });
    const queryLang = fields.lang();
    const limit = fields.integer('limit', { min: 1, max: SEARCH_LIMIT_MAX }) ?? SEARCH_LIMIT_DEFAULT;
    fields.done();
    const engine = ctx.engine();
    const lang = queryLang ?? fromAcceptLanguage(req.headers['accept-language']) ?? engine.detectLang(q!);
    const hits = engine.search(q!, { lang, limit }).map((h) => ({ ...h, snippet: snippetHtml(h.snippet) }));
    res.locals.log = { hits: hits.length, lang, ...(ctx.options.logQuestions ? { q } : {}) };
    res.setHeader('Content-Language', lang);
    res.json({ query: q, lang, hits });
  });
}
