/** Text normalization shared by ingestion and questions: NFKC, no zero-width or control characters. */

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

/** NFKC (full-width → ASCII), zero-width and control characters removed, whitespace runs kept. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(ZERO_WIDTH, '').replace(CONTROL, ' ');
}

/** Normalizes and caps a question; `truncated` says whether it was cut. */
export function prepareQuestion(raw: string, max = MAX_QUESTION_CHARS): { text: string; truncated: boolean } {
  // Cut before NFKC so a huge paste costs O(max), not O(input).
  const truncated = raw.length > max;
  const cut = truncated ? raw.slice(0, max) : raw;
  return { text: normalizeText(cut).trim(), truncated };
}
