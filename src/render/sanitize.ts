import sanitize from 'sanitize-html';
import { Marked } from 'marked';

/** Tags and attributes an answer or article may carry; everything else is dropped. */
const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'article', 'section', 'aside', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr',
    'ul', 'ol', 'li', 'pre', 'code', 'kbd', 'strong', 'em', 'b', 'i', 'del', 'blockquote', 'a', 'mark',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div', 'small',
  ],
  allowedAttributes: {
    '*': ['class', 'lang', 'data-topic-id', 'data-status', 'data-step', 'data-notice', 'id'],
    a: ['href', 'title', 'rel', 'target'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links leave the page: never hand the opener to the target.
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:/i.test(href);
      return {
        tagName,
        attribs: external ? { ...attribs, rel: 'noopener noreferrer', target: '_blank' } : attribs,
      };
    },
  },
};

/** Removes every tag, attribute and URL scheme outside the allowlist. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}

const marked = new Marked({ gfm: true, async: false });

/** Markdown (an article or an answer rendering) to HTML that is safe to insert into a page. */
export function markdownToSafeHtml(markdown: string): string {
  // Heading anchors such as {#outofquota-cpu} are for linking, not for display.
  const cleaned = markdown.replace(/^(#{1,6} .*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$/gm, '$1');
  return sanitizeHtml(marked.parse(cleaned) as string);
}
