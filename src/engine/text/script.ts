/**
 * The scripts Stepwise reads, in one place: the Hangul and Han character ranges and the language a
 * text's script implies. Used by the tokenizer, language detection, alias matching and the widget.
 */
import type { Lang } from '../types.ts';

/** Hangul syllables, jamo and compatibility jamo. */
const HANGUL_RANGES = '\\uac00-\\ud7af\\u1100-\\u11ff\\u3130-\\u318f';
/** CJK unified ideographs (with extension A) and compatibility ideographs. */
const HAN_RANGES = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';

export const HANGUL = new RegExp(`[${HANGUL_RANGES}]`);
export const HAN = new RegExp(`[${HAN_RANGES}]`);
/** Either CJK script. */
export const CJK = new RegExp(`[${HANGUL_RANGES}${HAN_RANGES}]`);
/**
 * The last code unit that may be Hangul or Han and the rest of the text: no code unit below U+1100 is either (both
 * scripts start there, and an astral character's units are surrogates). Linear: the tail run never backtracks past
 * the next such unit. On a one-byte string (a paste with no character past U+00FF) it fails without reading the text.
 */
// eslint-disable-next-line no-control-regex -- every code unit below U+1100, control characters included
const LAST_HIGH_UNIT = /[\u1100-\uffff][\u0000-\u10ff]*$/;

/** The index of a text's last code unit at or above U+1100, the only ones that may be Hangul or Han (-1 when none is). */
export function lastHighUnit(text: string): number {
  return LAST_HIGH_UNIT.exec(text)?.index ?? -1;
}
/** One token's worth of text: a Hangul run, a Han run, or a run of other letters and digits. */
export const SCRIPT_RUN = new RegExp(`([${HANGUL_RANGES}]+)|([${HAN_RANGES}]+)|((?:(?![${HANGUL_RANGES}${HAN_RANGES}])[\\p{L}\\p{N}])+)`, 'gu');
const HANGUL_G = new RegExp(HANGUL.source, 'g');
const HAN_G = new RegExp(HAN.source, 'g');
const CJK_G = new RegExp(CJK.source, 'g');

/** How many Hangul and Han characters a text has. */
export function countCjk(text: string): number {
  return text.match(CJK_G)?.length ?? 0;
}

/** The language a text's script implies (any Hangul → ko, else any Han → zh); undefined for other text. */
export function scriptLang(text: string): Lang | undefined {
  if (HANGUL.test(text)) return 'ko';
  if (HAN.test(text)) return 'zh';
  return undefined;
}

/** Hangul → ko, Han → zh, else en, by counting: Korean with an English log or a few Hanja in it is still Korean. */
export function detectLang(text: string): Lang {
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const hangul = sample.match(HANGUL_G)?.length ?? 0;
  const han = sample.match(HAN_G)?.length ?? 0;
  if (hangul > 0 && hangul * 4 >= han) return 'ko';
  if (han > 0) return 'zh';
  return 'en';
}
