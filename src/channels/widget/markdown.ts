/** Article Markdown → safe HTML with marked: raw HTML escaped, only http(s)/relative links, `{#anchor}` headings as ids. */
import { Marked, type Tokens } from 'marked';

import { escapeHtml } from '../../render/escape.ts';

export { escapeHtml };

const SAFE_HREF = /^(?:https?:\/\/|\/(?!\/)|#)/i;

export interface MarkdownOptions {
  /** Maps an in-document `#anchor` to the URL of the topic page that holds it, when it is not on this page. */
  resolveAnchor?: (anchor: string) => string | undefined;
}

/** Renders article Markdown to HTML that is safe to serve: nothing in the content can inject markup or script. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const ids = new Set([...markdown.matchAll(/\{#([\w.-]+)\}/g, ), ...markdown.matchAll(/<a\s+(?:name|id)="([\w.-]+)"/g)].map((m) => m[1]));
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      heading(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, { tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const m = /\s*\{#([\w.-]+)\}\s*$/.exec(inner);
        const id = m ? ` id="${escapeHtml(m[1])}"` : '';
        return `<h${depth}${id}>${m ? inner.slice(0, m.index) : inner}</h${depth}>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        // Microsoft Learn pages mark anchors with <a name="…"></a>; keep those as ids, escape every other piece of raw HTML.
        const anchor = /^<a\s+(?:name|id)="([\w.-]+)"\s*>\s*(?:<\/a>)?\s*$/i.exec(text.trim());
        if (anchor) return `<a id="${escapeHtml(anchor[1])}"></a>`;
        if (/^<\/a>$/i.test(text.trim())) return '';
        return escapeHtml(text);
      },
      link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link) {
        const text = this.parser.parseInline(tokens);
        let target = href.trim();
        if (target.startsWith('#') && !ids.has(target.slice(1))) target = options.resolveAnchor?.(target.slice(1)) ?? '';
        if (!SAFE_HREF.test(target)) return text;
        const external = /^https?:/i.test(target) ? ' rel="noopener noreferrer"' : '';
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ''}${external}>${text}</a>`;
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
    },
  });
  // DocFX callouts (> [!NOTE]) read as a bold label.
  const source = markdown.replace(/^(\s*>\s*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$/gm, (_m, prefix: string, kind: string) => `${prefix}**${kind[0]}${kind.slice(1).toLowerCase()}**`);
  return marked.parse(source) as string;
}
