/** The widget's express mount: `/` (demo page), `/widget.js`, `/kb/:lang` and `/kb/:lang/:topicId` (ids contain '/'). */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Express, NextFunction, Request, Response } from 'express';
import { createI18n } from '../../i18n.ts';
import { isLang, LANGS, type Engine, type Lang } from '../../engine/types.ts';
import { buildWidget, describeBundle, DEFAULT_LOCALES_DIR, type WidgetBundle } from './bundle.ts';
import { articlePage, articleUrl, demoPage, loadingPage, notFoundPage, PAGE_CSS, topicIndexPage, unknownLanguagePage, type PageContext } from './pages.ts';
import { LOADING_RETRY_SECONDS, readiness } from '../readiness.ts';

export interface WidgetDeps {
  /** The engine, or a promise of it (main.ts builds the index after listening). */
  engine: Engine | Promise<Engine>;
  /** The locales/ folder (widget and common namespaces); the repository's by default. */
  localesDir?: string;
  /** A prebuilt bundle (dist/widget.js from `npm run build`); when missing, widget.js is built in memory on its first request. */
  bundleFile?: string;
  /** Told how widget.js was obtained, once. */
  log?: (message: string) => void;
}

/** The pages' Content-Security-Policy: strict, so the demo page also proves the widget needs no inline script or style. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type Served = WidgetBundle & { gzip: Buffer };

async function loadBundle(deps: WidgetDeps): Promise<Served> {
  const prebuilt = deps.bundleFile && existsSync(deps.bundleFile);
  const bundle = prebuilt ? describeBundle(readFileSync(deps.bundleFile!, 'utf8')) : await buildWidget({ localesDir: deps.localesDir });
  deps.log?.(`widget.js ${prebuilt ? `read from ${deps.bundleFile}` : 'built in memory'}: ${bundle.bytes} bytes, ${bundle.gzipBytes} gzipped`);
  return { ...bundle, gzip: gzipSync(bundle.code, { level: 9 }) };
}

/** Creates the mount that adds the widget's routes to the HTTP app (see createHttpApp's `mounts`). */
export function createWidgetMount(deps: WidgetDeps): (app: Express) => void {
  // Read (and gzipped, or built) on the first request for widget.js, not at start-up: gzip level 9 alone costs
  // tens of milliseconds before /readyz could answer. A failure is reported through the app's error handler.
  let bundle: Promise<Served> | undefined;
  const i18n = createI18n(deps.localesDir ?? DEFAULT_LOCALES_DIR);
  const context = (lang: Lang): PageContext => ({ lang, t: i18n.getFixedT(lang, 'widget'), common: i18n.getFixedT(lang, 'common') });
  const pageLang = (req: Request): Lang => {
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    return isLang(asked) ? asked : ((req.acceptsLanguages(...LANGS) || 'en') as Lang);
  };
  const html = (res: Response, status: number, body: string) => {
    res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache' }).send(body);
  };
  const gate = readiness(deps.engine);
  // While the knowledge base loads: a page that says so and comes back by itself (the browser honours Refresh).
  const loading = (res: Response, lang: Lang) => {
    res.set({ 'retry-after': String(LOADING_RETRY_SECONDS), refresh: String(LOADING_RETRY_SECONDS) });
    html(res, 503, loadingPage(context(lang)));
  };

  return (app) => {
    app.get('/widget.js', async (req: Request, res: Response, next: NextFunction) => {
      let served: Served;
      try {
        served = await (bundle ??= loadBundle(deps));
      } catch (error) {
        return next(error);
      }
      res.set({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        etag: `"${served.hash}"`,
        vary: 'Accept-Encoding',
        // Portals on other origins load this script; helmet's default same-origin policy would block it.
        'cross-origin-resource-policy': 'cross-origin',
      });
      if (req.fresh) return void res.status(304).end();
      if (req.acceptsEncodings('gzip', 'identity') === 'gzip') return void res.set('content-encoding', 'gzip').send(served.gzip);
      res.send(served.code);
    });
    app.get('/widget/page.css', (_req, res) => {
      res.set({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }).send(PAGE_CSS);
    });
    app.get('/', (req, res) => html(res, 200, demoPage(context(pageLang(req)), `${req.protocol}://${req.get('host')}`)));
    // A language we do not have: a browser gets an HTML page in its own language, an API client the JSON 404.
    const unknownLang = (req: Request, res: Response, next: NextFunction) => {
      if (!/\btext\/html\b/.test(req.get('accept') ?? '')) return next();
      html(res, 404, unknownLanguagePage(context(pageLang(req)), String(req.params.lang ?? '')));
    };
    app.get(['/kb/:lang', '/kb/:lang/'], (req, res, next) => {
      const lang = req.params.lang;
      if (!isLang(lang)) return unknownLang(req, res, next);
      const q = typeof req.query.q === 'string' ? req.query.q : '';
      const engine = gate.engine();
      if (!engine) return loading(res, lang);
      html(res, 200, topicIndexPage(context(lang), engine, q));
    });
    app.get('/kb/:lang/*topicId', (req, res, next) => {
      const lang = req.params.lang;
      if (!isLang(lang)) return unknownLang(req, res, next);
      const asked = (req.params as unknown as { topicId: string[] }).topicId.join('/');
      const engine = gate.engine();
      if (!engine) return loading(res, lang);
      // Ids are case-insensitive, as in the API: /kb/ko/outofquota/CPU is OutOfQuota/cpu, at its own address.
      const id = engine.topics(lang).find((t) => t.id.toLowerCase() === asked.toLowerCase())?.id;
      if (id && id !== asked) return res.redirect(301, articleUrl(lang, id));
      const article = id ? engine.article(id, lang) : undefined;
      if (!article) return html(res, 404, notFoundPage(context(lang), asked));
      html(res, 200, articlePage(context(lang), article, engine));
    });
  };
}
