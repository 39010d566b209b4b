import type { Snippet } from '../types.ts';

/**
 * A window of `body` around the first matched term, as plain text with the ranges the terms match
 * (overlapping CJK bigrams merge into one range); `…` marks a cut at either end. Presentation
 * (escaping, <mark>) is the renderer's.
 */
export function snippet(body: string, terms: string[], width = 160): Snippet {
  const flat = body.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const usable = terms.filter((t) => t.length > 0);
  let first = -1;
  for (const t of usable) {
    const i = lower.indexOf(t);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  const start = Math.max(0, first < 0 ? 0 : first - Math.floor(width / 3));
  const window = flat.slice(start, start + width);
  const lw = window.toLowerCase();
  const mask = new Uint8Array(window.length);
  for (const t of usable) {
    for (let i = lw.indexOf(t); i >= 0; i = lw.indexOf(t, i + 1)) mask.fill(1, i, i + t.length);
  }
  const before = start > 0 ? '…' : '';
  const marks: Array<[number, number]> = [];
  for (let i = 0; i < window.length;) {
    let j = i;
    while (j < window.length && mask[j] === mask[i]) j++;
    if (mask[i]) marks.push([before.length + i, before.length + j]);
    i = j;
  }
  return { text: before + window + (start + width < flat.length ? '…' : ''), marks };
}
