/** Server-rendered pages around the widget: the demo page, the topic index and one article page per topic. */
import type { TFunction } from 'i18next';
import { LANGS, type Article, type Engine, type Lang, type SearchResult } from '../../engine/types.ts';
import { snippetHtml } from '../../render/snippet.ts';
import { escapeHtml as e } from '../../render/escape.ts';
import { markdownToSafeHtml } from '../../render/markdown.ts';
import { isSafeUrl, noticeText } from '../../render/parts.ts';

/** Reader's areas in the order the topic index shows them (`area` of Engine.topics). */
export const AREAS = ['online-endpoints', 'kubernetes', 'scoring', 'batch-endpoints', 'sdk-v1'] as const;

/** URL path of a topic's article page; each segment of the id is encoded (ids contain '/'). */
export function articleUrl(lang: Lang, id: string): string {
  return `/kb/${lang}/${id.split('/').map(encodeURIComponent).join('/')}`;
}

export interface PageContext {
  lang: Lang;
  /** Translator for the `widget` namespace in `lang`. */
  t: TFunction;
  /** Translator for the `common` namespace in `lang`. */
  common: TFunction;
}

function layout(ctx: PageContext, title: string, body: string, langLinks: (l: Lang) => string): string {
  const others = LANGS.filter((l) => l !== ctx.lang)
    .map((l) => `<a href="${e(langLinks(l))}" lang="${l}" hreflang="${l}">${e(ctx.common(`lang.${l}`, { lng: l }))}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<link rel="stylesheet" href="/widget/page.css">
<link rel="icon" href="data:,">
</head>
<body>
<main>
${body}
<p class="langs">${e(ctx.t('page.otherLangs'))}${e(ctx.t('page.colon'))}${others}</p>
</main>
<script src="/widget.js" data-lang="${ctx.lang}" async></script>
</body>
</html>
`;
}

/** The demo page: what the widget is, the one tag that embeds it, and the widget itself. */
export function demoPage(ctx: PageContext, origin: string): string {
  const { t } = ctx;
  const tag = `<script src="${origin}/widget.js" data-lang="${ctx.lang}" data-title="${t('title')}" async></script>`;
  const examples = (t('page.examples', { returnObjects: true }) as unknown as string[])
    .map((x) => `<li><button type="button" class="example" data-stepwise-ask>${e(x)}</button></li>`)
    .join('');
  const body = `<h1>${e(t('page.demoTitle'))}</h1>
<p>${e(t('page.demoIntro'))}</p>
<h2>${e(t('page.embed'))}</h2>
<p>${e(t('page.embedHelp'))}</p>
<pre><code>${e(tag)}</code></pre>
<h2>${e(t('page.tryAsking'))}</h2>
<ul class="examples">${examples}</ul>
<p><a href="/kb/${ctx.lang}">${e(t('page.topics'))}</a></p>`;
  return layout(ctx, t('page.demoTitle'), body, (l) => `/?lang=${l}`);
}

/** The search box: a plain GET form to this page (no script, so the pages' strict CSP holds). */
function searchForm(ctx: PageContext, q: string): string {
  return `<form class="search" role="search" method="get" action="/kb/${ctx.lang}">
<label for="kb-q">${e(ctx.t('page.search'))}</label>
<input id="kb-q" name="q" type="search" value="${e(q)}" maxlength="500" placeholder="${e(ctx.t('page.searchHint'))}">
<button type="submit">${e(ctx.t('page.searchButton'))}</button>
</form>`;
}

/** Search hits (the engine's search, as GET /api/v1/search returns it): title, id and the <mark>ed snippet. */
function searchResults(ctx: PageContext, q: string, hits: SearchResult[]): string {
  const heading = `<h2>${e(ctx.t('page.results', { q }))}</h2>`;
  if (!hits.length) return `${heading}\n<p>${e(ctx.t('page.noResults', { q }))}</p>`;
  const items = hits.map(
    (h) =>
      `<li><a href="${e(articleUrl(ctx.lang, h.topicId))}" lang="${h.lang}">${e(h.title)}</a> <code>${e(h.topicId)}</code><br><small lang="${h.lang}">${snippetHtml(h.snippet)}</small></li>`,
  );
  return `${heading}\n<ol class="results">\n${items.join('\n')}\n</ol>`;
}

/** Every topic in one language, grouped by area (legacy v1 marked), each linking to its article page; `q` searches. */
export function topicIndexPage(ctx: PageContext, engine: Engine, q = ''): string {
  const topics = engine.topics(ctx.lang);
  const areas = [...AREAS, ...new Set(topics.map((t) => t.area).filter((a) => !(AREAS as readonly string[]).includes(a)))];
  const groups = areas
    .map((area) => {
      const inArea = topics.filter((t) => t.area === area);
      if (!inArea.length) return '';
      const items = inArea.map(
        (topic) =>
          `<li${topic.parent ? ' class="child"' : ''}><a href="${e(articleUrl(ctx.lang, topic.id))}">${e(topic.title)}</a> <code>${e(topic.id)}</code></li>`,
      );
      const legacy = inArea.every((t) => t.legacy) ? ` <span class="badge">${e(ctx.t('page.legacy'))}</span>` : '';
      return `<section class="area" data-area="${e(area)}">\n<h2>${e(ctx.t(`page.areas.${area}`, { defaultValue: area }))}${legacy}</h2>\n<ul class="topics">\n${items.join('\n')}\n</ul>\n</section>`;
    })
    .filter(Boolean)
    .join('\n');
  const query = q.trim().slice(0, 500);
  const results = query ? searchResults(ctx, query, engine.search(query, { lang: ctx.lang, limit: 10 })) : '';
  const body = `<h1>${e(ctx.t('page.topics'))}</h1>\n${searchForm(ctx, query)}\n${results}\n${groups}`;
  return layout(ctx, ctx.t('page.topics'), body, (l) => `/kb/${l}${query ? `?q=${encodeURIComponent(query)}` : ''}`);
}

/** One topic's article, rendered from its Markdown with marked; in-document anchors of other topics link to their pages. */
export function articlePage(ctx: PageContext, article: Article, engine: Engine): string {
  const { t } = ctx;
  const topics = engine.topics(ctx.lang);
  const anchors = new Map(topics.map((topic) => [topic.anchor, topic.id]));
  // The page's <h1> is the title: the article's own first heading would repeat it.
  const html = markdownToSafeHtml(article.markdown.replace(/^\s*#{1,6}[^\n]*\n/, ''), {
    headingIds: article.anchors.slice(1),
    resolveAnchor: (anchor) => {
      const id = anchors.get(anchor);
      return id ? articleUrl(ctx.lang, id) : undefined;
    },
  });
  const list = (refs: Array<{ id: string; title: string }>) =>
    `<ul>${refs.map((r) => `<li><a href="${e(articleUrl(ctx.lang, r.id))}">${e(r.title)}</a></li>`).join('')}</ul>`;
  const fallback = article.lang !== article.requestedLang ? `<p class="notice">${e(noticeText('language_fallback', article, ctx.common))}</p>` : '';
  const topic = topics.find((x) => x.id === article.id);
  // Sub-topics are listed once: a sub-topic the article's text links to is not listed again.
  const linked = new Set([...article.markdown.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]));
  const children = article.children.filter((c) => !linked.has(topics.find((x) => x.id === c.id)?.anchor ?? ''));
  const related = article.related.filter((r) => !article.children.some((c) => c.id === r.id));
  const body = `<nav><a href="/kb/${ctx.lang}">${e(t('page.backToTopics'))}</a></nav>
<article lang="${article.lang}" data-topic="${e(article.id)}">
<h1>${e(article.title)}</h1>
${topic?.legacy ? `<p class="badge">${e(t('page.legacy'))}</p>` : ''}
${article.codes.length ? `<p class="codes">${e(t('page.codes'))}${e(t('page.colon'))}${article.codes.map((c) => `<code>${e(c)}</code>`).join(' ')}</p>` : ''}
${fallback}
<div class="content">
${html}
</div>
${children.length ? `<h2>${e(t('page.children'))}</h2>${list(children)}` : ''}
${related.length ? `<h2>${e(ctx.common('answer.related'))}</h2>${list(related)}` : ''}
<p class="source">${e(ctx.common('answer.source'))}${e(t('page.colon'))}<a href="${e(isSafeUrl(article.source.url) ? article.source.url : '#')}" rel="noopener noreferrer">${e(article.source.title)}</a><br>${e(ctx.common('answer.license', { attribution: article.source.attribution }))}</p>
</article>`;
  return layout(ctx, article.title, body, (l) => articleUrl(l, article.id));
}

/** The page for a /kb language the knowledge base does not have (`ctx.lang` is the reader's language). */
export function unknownLanguagePage(ctx: PageContext, lang: string): string {
  const links = LANGS.map((l) => `<li><a href="/kb/${l}" lang="${l}" hreflang="${l}">${e(ctx.common(`lang.${l}`, { lng: l }))}</a></li>`).join('');
  const body = `<h1>${e(ctx.t('page.noLanguage', { lang }))}</h1>\n<ul>${links}</ul>`;
  return layout(ctx, ctx.t('page.noLanguage', { lang }), body, (l) => `/kb/${l}`);
}

/** The page while the knowledge base loads: served as a 503 with Retry-After and Refresh, so the browser comes back by itself. */
export function loadingPage(ctx: PageContext): string {
  const body = `<h1>${e(ctx.t('page.loadingTitle'))}</h1>\n<p>${e(ctx.t('page.loading'))}</p>`;
  return layout(ctx, ctx.t('page.loadingTitle'), body, (l) => `/kb/${l}`);
}

/** The page for a topic id the knowledge base does not have. */
export function notFoundPage(ctx: PageContext, id: string): string {
  const body = `<h1>${e(ctx.t('page.notFound', { id }))}</h1>\n<p><a href="/kb/${ctx.lang}">${e(ctx.t('page.topics'))}</a></p>`;
  return layout(ctx, ctx.t('page.notFound', { id }), body, (l) => `/kb/${l}`);
}

/** Styles of the server pages (served as a file: the pages' CSP allows no inline style). */
export const PAGE_CSS = `body{margin:0;font:16px/1.6 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b1b1f;background:#fafafa}
:lang(ko){font-family:"Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR","Noto Sans CJK KR",sans-serif;word-break:keep-all;overflow-wrap:anywhere}
:lang(zh){font-family:"PingFang SC","Microsoft YaHei","Noto Sans SC","Noto Sans CJK SC",sans-serif;line-break:strict;overflow-wrap:anywhere}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1.5rem 8rem}
a{color:#08419c}
pre{background:#1f2329;color:#f1f3f5;padding:.75rem 1rem;border-radius:8px;overflow-x:auto}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
:not(pre)>code{background:#eef0f3;padding:0 3px;border-radius:4px}
table{border-collapse:collapse}th,td{border:1px solid #c4c7cf;padding:.25rem .5rem;text-align:left;vertical-align:top}
blockquote,.notice{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #8a6d00;background:#fff8e1}
.topics .child{margin-left:1.5rem}.badge{display:inline-block;padding:0 .5rem;border-radius:4px;background:#fff8e1;font-size:.8rem;font-weight:normal;vertical-align:middle}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}.search input{flex:1;min-width:12rem;padding:.4rem .6rem;font:inherit;border:1px solid #8a8f98;border-radius:6px}
.search button{padding:.4rem .9rem;font:inherit;border:1px solid #08419c;border-radius:6px;background:#08419c;color:#fff}
.results li{margin:.5rem 0}mark{background:#fff1a8}.area h2{margin-top:2rem}
.source,.langs{color:#4a4d55;font-size:.9rem}
.examples .example{font:inherit;text-align:left;padding:.3rem .7rem;margin:.15rem 0;border:1px solid #08419c;border-radius:6px;background:#fff;color:#08419c;cursor:pointer}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
`;
