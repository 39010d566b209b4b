import type { Express, Request } from 'express';
import type { Lang } from '../../../engine/types.ts';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { fromAcceptLanguage } from '../lang.ts';
import { HttpProblem } from '../problem.ts';
import { apiArticle, apiTopic } from '../shape.ts';
import { markdownToSafeHtml } from '../../../render/markdown.ts';

function requestedLang(req: Request): Lang {
  const fields = new FieldReader(req.query, true);
  const lang = fields.lang();
  fields.done();
  return lang ?? fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}

/** GET /api/v1/topics (the catalog) and GET /api/v1/topics/{id} (one article; ids may hold raw or encoded '/'). */
export function topicsRoute(app: Express, ctx: HttpContext): void {
  const articleHtml = new Map<string, string>();

  app.get('/api/v1/topics', (req, res) => {
    const lang = requestedLang(req);
    const topics = ctx.engine().topics(lang).map(apiTopic);
    res.setHeader('Content-Language', lang);
    res.json({ lang, topics });
  });

  app.get('/api/v1/topics/*id', (req, res) => {
    const lang = requestedLang(req);
    const engine = ctx.engine();
    // Express decodes each segment, so `OutOfQuota%2Fcpu` and `OutOfQuota/cpu` both arrive as one id.
    const raw = ([] as string[]).concat((req.params as { id: string | string[] }).id).join('/');
    const id = ctx.canonicalTopicId(raw);
    const article = id === undefined ? undefined : engine.article(id, lang);
    if (!article) throw new HttpProblem('unknownTopic', { id: raw.slice(0, 200) });
    const key = `${article.lang}:${article.id}`;
    let html = articleHtml.get(key);
    if (html === undefined) {
      html = markdownToSafeHtml(article.markdown, { headingIds: article.anchors });
      articleHtml.set(key, html);
    }
    res.setHeader('Content-Language', article.lang);
    res.json({ article: apiArticle(article, html) });
  });
}
