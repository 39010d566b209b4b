/**
 * Markdown (an article) to HTML that is safe to insert into a page by construction: marked renders it with raw
 * HTML escaped, links and images kept only for allowlisted URLs, and no element but the ones its renderers write.
 * Nothing is cleaned afterwards, so there is no sanitizer to keep in step with the renderer.
 */
import { Marked, type Tokens } from 'marked';
import { escapeAttribute, escapeText } from './escape.ts';

/**
 * A link's target when it may be linked, else undefined: http(s) and mailto URLs, and paths, queries and fragments
 * on this site. Any other scheme (javascript:, data:, vbscript:), a protocol-relative `//host` and any control or
 * space character (browsers drop them, so `java\tscript:` would still run) are refused.
 */
export function safeHref(href: string): string | undefined {
  const target = href.trim();
  if (!target || /[\u0000-\u0020\u007f-\u009f\\]/.test(target) || target.startsWith('//')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (!(scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto')) return undefined;
  // Percent-encoded as marked's own renderer does (an existing %xx is kept).
  try {
    return encodeURI(target).replace(/%25/g, '%');
  } catch {
    return undefined;
  }
}

type Inline = { parser: { parseInline(tokens: Tokens.Generic[]): string } };

const marked = new Marked({ gfm: true, async: false });
marked.use({
  renderer: {
    // Raw HTML in the content is shown as text; HTML comments (editorial notes such as <!-- causes -->) are dropped.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      const trimmed = text.trim();
      if (/^<!--[\s\S]*-->$/.test(trimmed)) return '';
      return escapeText(text);
    },
    link(this: Inline, { href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (target === undefined) return `<a>${text}</a>`;
      const titled = title ? ` title="${escapeAttribute(title)}"` : '';
      // Links that leave the site never hand the opener to the page they open.
      const away = /^https?:/i.test(target) ? ' rel="noopener noreferrer" target="_blank"' : '';
      return `<a href="${escapeAttribute(target)}"${titled}${away}>${text}</a>`;
    },
    // Articles carry no pictures (the pages' CSP would block other sites' images anyway): an image is its alt text.
    image({ text }: Tokens.Image) {
      return escapeText(text);
    },
    checkbox() {
      return '';
    },
    br() {
      return '<br />';
    },
    hr() {
      return '<hr />\n';
    },
  },
});

/** Article Markdown to safe HTML; heading anchors such as `{#outofquota-cpu}` are for linking, not for display. */
export function markdownToSafeHtml(markdown: string): string {
  const cleaned = markdown.replace(/^(#{1,6} .*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$/gm, '$1');
  return marked.parse(cleaned) as string;
}
