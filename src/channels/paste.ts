/**
 * Fitting a pasted question into what the HTTP API accepts. A log pasted whole can pass the API's
 * body limit; cutting it at a length would lose its end, where a build or deployment log states its
 * error. So a paste that does not fit keeps its first lines, its last lines and, between them, the
 * lines that look like errors. No imports: the browser widget bundles this module and the bot uses it.
 */

/** The HTTP API's JSON body limit in bytes (express.json answers 413 above it). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** How a paste that does not fit is cut. */
export interface PastePolicy {
  /**
   * UTF-8 bytes the question may take as a JSON string, quotes and escapes included. Default: the body
   * limit less 1 KB for the rest of an ask body (`{"question":…,"lang":"ko","topic":…}`, a topic id being
   * at most 200 characters).
   */
  maxBytes: number;
  /** Share of `maxBytes` kept from the start: the title and the story typed above the log. Default 1/8. */
  headShare: number;
  /** Share kept from the end, where a log states its final error; budget the error lines leave goes here too. Default 1/4. */
  tailShare: number;
  /** Characters of a line taken as one unit; a longer line is split, so one huge line cannot use the budget alone. At least 2. Default 2,000. */
  pieceChars: number;
}

/** The policy every channel uses. */
export const DEFAULT_PASTE_POLICY: Readonly<PastePolicy> = { maxBytes: BODY_LIMIT_BYTES - 1024, headShare: 1 / 8, tailShare: 1 / 4, pieceChars: 2000 };

/**
 * A line worth keeping from the middle of a long paste: words errors are written with, in English,
 * Korean and Chinese. Literal alternatives and single optional characters only, so linear in the line.
 */
export const ERROR_LINE =
  /error|exception|fail|fatal|traceback|denied|refused|forbidden|unauthori[sz]ed|invalid|timed? ?out|not found|quota|code|status|reason|message|오류|에러|실패|错误|失败|异常/i;

/** The line put where lines were dropped. */
export const CUT_MARK = '…';
// "\n…\n" as JSON: the escaped newlines around the marker take 2 bytes each, the ellipsis 3.
const MARK_BYTES = 7;

/** A question as it is sent; `cut` says lines were dropped to fit. */
export interface FittedPaste {
  text: string;
  cut: boolean;
}

/**
 * UTF-8 bytes of `text` as a JSON string, quotes and escapes included, counted as JSON.stringify writes
 * it (short escapes for " \\ \b \f \n \r \t, \u00XX for other controls and for lone surrogates) —
 * without building the string: a paste of 30,000 short lines is counted line by line.
 */
export function jsonBytes(text: string): number {
  let n = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : c < 0x20 ? 6 : 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}

/** Lines with their newline, a line longer than `size` split (never inside a surrogate pair). */
function pieces(text: string, size: number): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, n) => {
    if (n < lines.length - 1) line += '\n';
    for (let i = 0; i < line.length;) {
      let end = Math.min(i + size, line.length);
      if ((line.charCodeAt(end) & 0xfc00) === 0xdc00) end--;
      out.push(line.slice(i, end));
      i = end;
    }
  });
  return out;
}

/** `text` as it is when it fits `maxBytes`; otherwise its head, its tail and the error lines between, in order, with a `…` line for each gap. */
export function fitPaste(text: string, policy: Partial<PastePolicy> = {}): FittedPaste {
  const { maxBytes, headShare, tailShare, pieceChars } = { ...DEFAULT_PASTE_POLICY, ...policy };
  if (jsonBytes(text) <= maxBytes) return { text, cut: false };
  const parts = pieces(text, pieceChars);
  const cost = parts.map((p) => jsonBytes(p) - 2);
  const keep = parts.map(() => false);
  // Each gap costs a marker. Kept pieces form at most (middle pieces + 2) runs, so there are at most
  // (middle pieces + 3) gaps: three markers are reserved here, one more with each middle piece taken.
  let left = maxBytes - 2 - 3 * MARK_BYTES;
  const take = (i: number, extra: number, cap = left) => {
    const fits = !keep[i] && cost[i] + extra <= Math.min(cap, left);
    if (fits) left -= cost[i] + extra;
    return (keep[i] = keep[i] || fits);
  };
  let head = 0;
  for (let share = maxBytes * headShare; head < parts.length && take(head, 0, share); head++) share -= cost[head];
  let tail = parts.length;
  for (let share = maxBytes * tailShare; tail > head && take(tail - 1, 0, share); tail--) share -= cost[tail - 1];
  for (let i = head; i < tail; i++) if (ERROR_LINE.test(parts[i])) take(i, MARK_BYTES);
  // Budget left over widens the tail: the lines leading to the final error.
  while (tail > head && (keep[tail - 1] || take(tail - 1, 0))) tail--;
  // Pieces joined once at the end (asking a growing string how it ends flattens it every time).
  const out: string[] = [];
  let atLineStart = true;
  parts.forEach((part, i) => {
    if (keep[i]) {
      out.push(part);
      atLineStart = part.endsWith('\n');
    } else if (i === 0 || keep[i - 1]) {
      out.push((atLineStart ? '' : '\n') + CUT_MARK + '\n');
      atLineStart = true;
    }
  });
  const joined = out.join('');
  return { text: keep[parts.length - 1] ? joined : joined.slice(0, -1), cut: true };
}
