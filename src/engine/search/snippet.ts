const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * A window of `body` around the first matched term, HTML-escaped, matches wrapped in <mark>.
 * Overlapping CJK bigrams are merged into one highlighted run.
 */
export function snippet(body: string, terms: string[], width = 160): string {
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
  let out = start > 0 ? '…' : '';
  let i = 0;
  while (i < window.length) {
    let j = i;
    while (j < window.length && mask[j] === mask[i]) j++;
    const part = escapeHtml(window.slice(i, j));
    out += mask[i] ? `<mark>${part}</mark>` : part;
    i = j;
  }
  return out + (start + width < flat.length ? '…' : '');
}
