/**
 * The Korean and Chinese words of a text. Bigram search cannot tell a word the knowledge base lacks (账单, 요금) from
 * a seam between two words, so ranking asks here which whole words none of its terms cover. A Korean word is a run
 * of Hangul (spaces separate Korean words; a word carries its particle: 요금이); Chinese has no spaces, so its words
 * come from ICU's word segmentation (Intl.Segmenter, built into Node), which costs about 1 µs a character.
 */
/** How many characters of Korean words, and of Chinese text, are read: a question's words, not a 64 KB paste's. */
const MAX_CHARS = 4000;
const HANGUL_WORD = /\p{Script=Hangul}{2,}/gu;
const HAN_RUN = /\p{Script=Han}+(?:[\s\p{P}]+\p{Script=Han}+)*/gu;
const HAN_OR_HANGUL = /[\p{Script=Hangul}\p{Script=Han}]/u;
const chinese = new Intl.Segmenter('zh', { granularity: 'word' });
/**
 * The last code unit that may be Hangul or Han and the rest of the text: no code unit below U+1100 is either (both
 * scripts start there, and an astral character's units are surrogates). Linear: the tail run never backtracks past
 * the next such unit. On a one-byte string (a paste with no character past U+00FF) it fails without reading the text.
 */
// eslint-disable-next-line no-control-regex -- every code unit below U+1100, control characters included
const LAST_CJK_UNIT = /[\u1100-\uffff][\u0000-\u10ff]*$/;

/** The end of a text's last code unit that may be Hangul or Han (0 when it has none): no word lies past it. */
function cjkEnd(text: string): number {
  const m = LAST_CJK_UNIT.exec(text);
  return m ? m.index + 1 : 0;
}

/** Distinct words of two or more Hangul or Han characters of `full`, from the first MAX_CHARS of each script's text. */
export function cjkWords(full: string): string[] {
  // A pasted log around a Korean or Chinese question has its words in its first lines: the regexes below (Unicode
  // properties, ~2.5 ns a character each) read up to the last character that can be one, not the whole log.
  const end = cjkEnd(full);
  const text = end === full.length ? full : full.slice(0, end);
  if (!HAN_OR_HANGUL.test(text)) return [];
  const out = new Set<string>();
  let read = 0;
  for (const [word] of text.matchAll(HANGUL_WORD)) {
    if ((read += word.length) > MAX_CHARS) break;
    out.add(word);
  }
  read = 0;
  for (const [run] of text.matchAll(HAN_RUN)) {
    if ((read += run.length) > MAX_CHARS) break;
    for (const s of chinese.segment(run)) if (s.isWordLike && s.segment.length >= 2) out.add(s.segment);
  }
  return [...out];
}
