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
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
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

export interface MarkdownOptions {
  /** Ids of the headings, in order (an article's section anchors): in-page `#anchor` links to them stay in-page. */
  headingIds?: readonly string[];
  /** Where an in-page `#anchor` that is not a heading here lives (another topic's page); undefined: not linked. Without it such links stay as written. */
  resolveAnchor?: (anchor: string) => string | undefined;
}

/** The options of the Markdown being rendered (marked's renderers are synchronous: one render at a time). */
let current: { ids: readonly string[]; next: number; resolve?: MarkdownOptions['resolveAnchor'] } = { ids: [], next: 0 };

const marked = new Marked({ gfm: true, async: false });
marked.use({
  renderer: {
    heading(this: Inline, { tokens, depth }: Tokens.Heading) {
      const id = current.ids[current.next++];
      return `<h${depth}${id ? ` id="${escapeAttribute(id)}"` : ''}>${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    // Raw HTML in the content is shown as text; HTML comments (editorial notes such as <!-- causes -->) are dropped.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      const trimmed = text.trim();
      if (/^<!--[\s\S]*-->$/.test(trimmed)) return '';
      return escapeText(text);
    },
    link(this: Inline, { href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      const anchor = href.startsWith('#') ? href.slice(1) : undefined;
      const elsewhere = anchor !== undefined && current.resolve && !current.ids.includes(anchor);
      const target = safeHref(elsewhere ? (current.resolve!(anchor) ?? '') : href);
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

/** DocFX callouts (`> [!NOTE]`) read as a bold label. */
const CALLOUT = /^(\s*>\s*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$/gm;

/** Article Markdown (as the engine gives it: anchors are data, not in the text) to safe HTML. */
export function markdownToSafeHtml(markdown: string, options: MarkdownOptions = {}): string {
  current = { ids: options.headingIds ?? [], next: 0, resolve: options.resolveAnchor };
  try {
    return marked.parse(markdown.replace(CALLOUT, (_m, prefix: string, kind: string) => `${prefix}**${kind[0]}${kind.slice(1).toLowerCase()}**`)) as string;
  } finally {
    current = { ids: [], next: 0 };
  }
}
