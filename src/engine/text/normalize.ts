/** Text normalization shared by ingestion and questions: NFKC, no zero-width or control characters. */
import type { PreparedQuestion } from '../types.ts';

const ZERO_WIDTH = /[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g;

/**
 * Longest question text read, in characters: a whole 64 KB paste (the API's body limit) is read for
 * error statements and codes; longer input (the bot, the CLI) is cut and the answer says so.
 */
export const MAX_QUESTION_CHARS = 65_536;

/** Characters of the question's beginning whose words all go to full-text search; past it, only error statements do. */
export const FULL_TEXT_CHARS = 20_000;

/** Printable ASCII, tab and line breaks: text that NFKC, ZERO_WIDTH and CONTROL all leave as it is. */
const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;

/**
 * Words users spell otherwise than the content does, as the content spells them: Korean users write product
 * names in Hangul (쿠버네티스; the Korean content writes Kubernetes), Chinese users the mainland's common words
 * (集群, 在线终结点; the content, from docs.azure.cn, has 群集, 联机终结点). Without it, the few
 * topics whose aliases had the user's spelling took every question that used it.
 */
const SPELLINGS: Record<string, string> = {
  쿠버네티스: 'Kubernetes',
  도커: 'Docker',
  콘다: 'conda',
  集群: '群集',
  在线终结点: '联机终结点',
  在线部署: '联机部署',
};
const USER_SPELLING = new RegExp(Object.keys(SPELLINGS).join('|'), 'g');

/** Curly quotes (as Teams, Outlook and Word type them: ‘Markup’, “text”) are the straight ones a printed message has. */
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033]/g;

/** NFKC (full-width → ASCII), zero-width and control characters removed, curly quotes straight, words spelled as the content spells them (SPELLINGS), whitespace runs kept. */
export function normalizeText(text: string): string {
  // Most of a pasted log: testing that nothing would change costs a third of normalizing it.
  if (PLAIN_ASCII.test(text)) return text;
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(CONTROL, ' ')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(USER_SPELLING, (word) => SPELLINGS[word]);
}

// A piece may end only before a character NFKC never joins to what precedes it: not a combining mark,
// a Hangul vowel or final jamo, or the second half of a surrogate pair. Normalizing piece by piece then
// gives what normalizing at once gives (but for a SPELLINGS word cut by a piece's end, which stays as written).
const NFKC_PIECE = 4096;
const JOINS_BACK = /[\p{M}\u1160-\u11ff\ud7b0-\ud7ff\udc00-\udfff]/u;

/** Where a piece starting at `start` ends: before the last character of its window that starts a new piece, else at the window's end. */
function pieceEnd(text: string, start: number): number {
  const end = start + NFKC_PIECE;
  if (end >= text.length) return text.length;
  for (let i = end; i > start; i--) if (!JOINS_BACK.test(String.fromCodePoint(text.codePointAt(i)!))) return i;
  return end;
}

/** normalizeText until `max` characters are out: one character can become 18 (U+FDFA), so the rest is never normalized. */
function normalizeUpTo(text: string, max: number): string {
  let out = '';
  let unchanged = true;
  let start = 0;
  while (start < text.length && out.length <= max) {
    const end = pieceEnd(text, start);
    const piece = text.slice(start, end);
    const normalized = normalizeText(piece);
    if (unchanged && normalized !== piece) unchanged = false;
    out += normalized;
    start = end;
  }
  // The text itself when no piece changed: one flat string, not a chain of pieces that the first read of a character
  // copies into one (a 20 KB paste: ~30 µs).
  return unchanged && start >= text.length ? text : out;
}

/**
 * True when `normalizeText(text) === text`, normalized piece by piece: a log pasted after a Korean question is plain
 * ASCII past its first piece, and those pieces cost only the test, not NFKC and two replaces over the whole paste.
 */
export function isNormalized(text: string): boolean {
  return PLAIN_ASCII.test(text) || normalizeUpTo(text, Infinity) === text;
}

/** Normalizes and caps a question; `truncated` says whether it was cut. */
export function prepareQuestion(raw: string, max = MAX_QUESTION_CHARS): PreparedQuestion {
  // Cut before NFKC so a huge paste costs O(max), not O(input), and again after it, since NFKC can expand.
  const cut = raw.length > max ? raw.slice(0, max) : raw;
  let text = normalizeUpTo(cut, max);
  const truncated = raw.length > max || text.length > max;
  if (text.length > max) text = text.slice(0, (text.charCodeAt(max) & 0xfc00) === 0xdc00 ? max - 1 : max);
  return { text: text.trim(), truncated };
}
