/**
 * The Korean and Chinese words of a text. Bigram search cannot tell a word the knowledge base lacks (账单, 요금) from
 * a seam between two words, so ranking asks here which whole words none of its terms cover. A Korean word is a run
 * of Hangul (spaces separate Korean words; a word carries its particle: 요금이); Chinese has no spaces, so its words
 * come from ICU's word segmentation (Intl.Segmenter, built into Node), which costs about 1 µs a character.
 */
import { lastHighUnit } from './script.ts';
import { memoize } from './memo.ts';

/** How many characters of Korean words, and of Chinese text, are read: a question's words, not a 64 KB paste's. */
const MAX_CHARS = 4000;
const HANGUL_WORD = /\p{Script=Hangul}{2,}/gu;
const HAN_RUN = /\p{Script=Han}+(?:[\s\p{P}]+\p{Script=Han}+)*/gu;
const HAN_OR_HANGUL = /[\p{Script=Hangul}\p{Script=Han}]/u;
const chinese = new Intl.Segmenter('zh', { granularity: 'word' });

/** Han runs' words kept at most (then the memo starts over): a few hundred KB of short strings. */
const SEGMENTED_RUNS = 2000;
/**
 * The words of two or more characters ICU's segmentation finds in one Han run, in order, by run: ranking asks for the
 * words of the whole post, of its title and statements, and of its title, so a Chinese title's runs were segmented
 * three times (most of the cost of a Chinese question here).
 */
const hanWords = memoize(SEGMENTED_RUNS, (run: string): string[] => {
  const words: string[] = [];
  for (const s of chinese.segment(run)) if (s.isWordLike && s.segment.length >= 2) words.push(s.segment);
  return words;
});

/** Distinct words of two or more Hangul or Han characters of `full`, from the first MAX_CHARS of each script's text. */
export function cjkWords(full: string): string[] {
  // A pasted log around a Korean or Chinese question has its words in its first lines: the regexes below (Unicode
  // properties, ~2.5 ns a character each) read up to the last character that can be one, not the whole log.
  const end = lastHighUnit(full) + 1;
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
    for (const word of hanWords(run)) out.add(word);
  }
  return [...out];
}
