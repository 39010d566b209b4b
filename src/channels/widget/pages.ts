/** Server-rendered pages around the widget: the demo page, the topic index and one article page per topic. */
import type { TFunction } from 'i18next';
import type { Article, Engine, Lang } from '../../engine/types.ts';
import { escapeHtml as e, renderMarkdown } from './markdown.ts';

export const PAGE_LANGS: readonly Lang[] = ['en', 'ko', 'zh'];

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
  const others = PAGE_LANGS.filter((l) => l !== ctx.lang)
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
<p class="langs">${e(ctx.t('page.otherLangs'))}: ${others}</p>
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
  const examples = (t('page.examples', { returnObjects: true }) as unknown as string[]).map((x) => `<li>${e(x)}</li>`).join('');
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

/** Every topic in one language, each linking to its article page. */
export function topicIndexPage(ctx: PageContext, engine: Engine): string {
  const items = engine
    .topics(ctx.lang)
    .map((topic) => `<li${topic.parent ? ' class="child"' : ''}><a href="${e(articleUrl(ctx.lang, topic.id))}">${e(topic.title)}</a> <code>${e(topic.id)}</code></li>`)
    .join('\n');
  const body = `<h1>${e(ctx.t('page.topics'))}</h1>\n<ul class="topics">\n${items}\n</ul>`;
  return layout(ctx, ctx.t('page.topics'), body, (l) => `/kb/${l}`);
}

/** One topic's article, rendered from its Markdown with marked; in-document anchors of other topics link to their pages. */
export function articlePage(ctx: PageContext, article: Article, engine: Engine): string {
  const { t } = ctx;
  const anchors = new Map(engine.topics(ctx.lang).map((topic) => [topic.id.toLowerCase().replace(/\//g, '-'), topic.id]));
  const html = renderMarkdown(article.markdown, {
    resolveAnchor: (anchor) => {
      const id = anchors.get(anchor);
      return id ? articleUrl(ctx.lang, id) : undefined;
    },
  });
  const list = (refs: Array<{ id: string; title: string }>) => `<ul>${refs.map((r) => `<li><a href="${e(articleUrl(ctx.lang, r.id))}">${e(r.title)}</a></li>`).join('')}</ul>`;
  const fallback =
    article.lang !== article.requestedLang
      ? `<p class="notice">${e(ctx.common('answer.fallback', { requested: ctx.common(`lang.${article.requestedLang}`), lang: ctx.common(`lang.${article.lang}`) }))}</p>`
      : '';
  const topic = engine.topics(ctx.lang).find((x) => x.id === article.id);
  const body = `<nav><a href="/kb/${ctx.lang}">${e(t('page.backToTopics'))}</a></nav>
<article lang="${article.lang}" data-topic="${e(article.id)}">
<h1>${e(article.title)}</h1>
${topic?.legacy ? `<p class="badge">${e(t('page.legacy'))}</p>` : ''}
${article.codes.length ? `<p class="codes">${e(t('page.codes'))}: ${article.codes.map((c) => `<code>${e(c)}</code>`).join(' ')}</p>` : ''}
${fallback}
<div class="content">
${html}
</div>
${article.children.length ? `<h2>${e(t('page.children'))}</h2>${list(article.children)}` : ''}
${article.related.length ? `<h2>${e(ctx.common('answer.related'))}</h2>${list(article.related)}` : ''}
<p class="source">${e(ctx.common('answer.source'))}: <a href="${e(safeUrl(article.source.url))}" rel="noopener noreferrer">${e(article.source.title)}</a><br>${e(ctx.common('answer.license', { attribution: article.source.attribution }))}</p>
</article>`;
  return layout(ctx, article.title, body, (l) => articleUrl(l, article.id));
}

/** The page for a topic id the knowledge base does not have. */
export function notFoundPage(ctx: PageContext, id: string): string {
  const body = `<h1>${e(ctx.t('page.notFound', { id }))}</h1>\n<p><a href="/kb/${ctx.lang}">${e(ctx.t('page.topics'))}</a></p>`;
  return layout(ctx, ctx.t('page.notFound', { id }), body, (l) => `/kb/${l}`);
}

function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
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
.topics .child{margin-left:1.5rem}.badge{display:inline-block;padding:0 .5rem;border-radius:4px;background:#fff8e1}
.source,.langs{color:#4a4d55;font-size:.9rem}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
`;
