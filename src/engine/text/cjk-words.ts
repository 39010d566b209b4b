/**
 * The Korean and Chinese words of a text, as ICU's word segmentation finds them (Chinese has no spaces; a
 * Korean word carries its particle: 요금이). Bigram search cannot tell a word the knowledge base lacks
 * (账单, 요금) from a seam between two words, so ranking asks here which whole words none of its terms cover.
 */
import { CJK } from './script.ts';

const MAX_CHARS = 4000;
const segmenters = { ko: new Intl.Segmenter('ko', { granularity: 'word' }), zh: new Intl.Segmenter('zh', { granularity: 'word' }) };
const HAN_ONLY = /^[\u3400-\u9fff\uf900-\ufaff]+$/;

/** Distinct word-like segments of two or more Hangul or Han characters, from the first MAX_CHARS of CJK text. */
export function cjkWords(text: string): string[] {
  if (!CJK.test(text)) return [];
  const out = new Set<string>();
  let read = 0;
  for (const run of text.match(/[\p{Script=Hangul}\p{Script=Han}]+(?:\s+[\p{Script=Hangul}\p{Script=Han}]+)*/gu) ?? []) {
    if (read > MAX_CHARS) break;
    read += run.length;
    for (const s of segmenters[HAN_ONLY.test(run.replace(/\s/g, '')) ? 'zh' : 'ko'].segment(run)) {
      if (s.isWordLike && s.segment.length >= 2) out.add(s.segment);
    }
  }
  return [...out];
}
