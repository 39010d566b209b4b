import { escapeHtml } from '../../render/escape.ts';

const ENTITY = /&(amp|lt|gt|quot|#39|#x27|#34);/g;
const DECODE: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#34': '"' };

/**
 * Re-escapes a search snippet so that <mark>…</mark> is its only markup: the text between
 * marks is decoded once (the engine may or may not have escaped it) and escaped again.
 */
export function safeSnippet(snippet: string): string {
  return snippet
    .split(/(<\/?mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : escapeHtml(part.replace(ENTITY, (_, e: string) => DECODE[e]!))))
    .join('');
}
