import type { Snippet } from '../engine/types.ts';
import { escapeHtml } from './escape.ts';

/** A search snippet as HTML: escaped text, the matched ranges wrapped in <mark> (its only markup). */
export function snippetHtml(s: Snippet): string {
  let out = '';
  let at = 0;
  for (const [from, to] of s.marks) {
    out += `${escapeHtml(s.text.slice(at, from))}<mark>${escapeHtml(s.text.slice(from, to))}</mark>`;
    at = to;
  }
  return out + escapeHtml(s.text.slice(at));
}
