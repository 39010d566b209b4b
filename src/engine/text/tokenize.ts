/**
 * The one tokenizer used at index time, at query time and when a saved index is loaded.
 *
 * Latin text: words split on anything that is not a letter or digit, lower-cased; CamelCase
 * words also yield their parts ("ImageBuildFailure" → imagebuildfailure, image, build, failure)
 * so "image build failure" finds the code. Single characters and id-like words (a3f9b0c2) are dropped. Hangul and Han runs: overlapping character bigrams
 * (Lucene's CJK analyzer does the same): Korean particles stay in their own bigram (배포를 →
 * 배포, 포를) and Chinese needs no word segmenter. A run of one character is kept as a unigram.
 * Script changes split tokens, so "DNS가" → dns, 가.
 */

import { CJK, SCRIPT_RUN } from './script.ts';
import { isNormalized } from './normalize.ts';

const CAMEL = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g;
const MAX_TOKEN = 64;

/** True when a token is CJK (Hangul or Han) and must be matched exactly, never fuzzily. */
export function isCjkToken(token: string): boolean {
  return CJK.test(token);
}

function bigrams(run: string, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
}

const LETTER_DIGIT_EDGE = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu;

/** Hex ids, GUID pieces, hashes: letters and digits alternating three times or more (a3f9b0c2, 1d4e). */
export function idLike(word: string): boolean {
  if (word.length < 4) return false;
  // ASCII words (nearly all of a pasted log) are counted by character code: the regex's lookbehind per position
  // cost a 20 KB paste ~0.4 ms. Any other character leaves the count to the regex, which knows \p{L} and \p{N}.
  let edges = 0;
  let previous = 0; // 1 letter, 2 digit, 0 neither
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x80) return (word.match(LETTER_DIGIT_EDGE)?.length ?? 0) >= 3;
    const lower = c | 0x20;
    const kind = c >= 48 && c <= 57 ? 2 : lower >= 97 && lower <= 122 ? 1 : 0;
    if (kind !== 0 && previous !== 0 && kind !== previous) edges++;
    previous = kind;
  }
  return edges >= 3;
}

const ID_LIKE = 1;
const CAMEL_CASE = 2;
const BEYOND_ASCII = -1;

/**
 * ID_LIKE as `idLike` says and CAMEL_CASE when the word is ASCII letters only (/^[A-Za-z]+$/) with a CamelCase edge in
 * it (/[a-z][A-Z]|[A-Z]{2}[a-z]/), read as `asciiRun` reads a run; BEYOND_ASCII for a word with any other character
 * (left to idLike). A pasted log has thousands of words: two regex calls per word cost more than the loop.
 */
function asciiShape(word: string): number {
  const read = asciiRun(word, 0);
  const flags = read % 8;
  return (read - flags) / 8 === word.length ? flags & (ID_LIKE | CAMEL_CASE) : BEYOND_ASCII;
}

/** Adds a Latin word's terms to `out`; `lower` is `word.toLowerCase()` when the caller has it, `shape` its `asciiShape`. */
function latin(word: string, out: string[], lower?: string, shape = word.length < 2 ? 0 : asciiShape(word)): void {
  if (word.length < 2) return;
  // One character says nothing; ids and hashes only add noise and fuzzy-matching cost.
  if (shape === BEYOND_ASCII ? idLike(word) : shape & ID_LIKE) return;
  if (word.length > MAX_TOKEN) {
    out.push(word.slice(0, MAX_TOKEN).toLowerCase());
    return;
  }
  lower ??= word.toLowerCase();
  out.push(lower);
  // Only a word of ASCII letters is split at its CamelCase edges.
  if (shape !== BEYOND_ASCII && shape & CAMEL_CASE) {
    for (const part of word.match(CAMEL) ?? []) {
      const p = part.toLowerCase();
      if (p !== lower && p.length > 1) out.push(p);
    }
  }
}

/** SCRIPT_RUN with a lastIndex of its own (eachRun sets it). */
const RUN_AT = new RegExp(SCRIPT_RUN.source, SCRIPT_RUN.flags);

function asciiLetterOrDigit(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 48 && c <= 57) || (lower >= 97 && lower <= 122);
}

/** Set in what `asciiRun` returns when the run has an ASCII capital letter (its lower case is another string). */
const HAS_CAPITAL = 4;

/**
 * Reads the run of ASCII letters and digits that starts at `pos` (a letter or digit): returns its end times 8 plus
 * its `asciiShape` (ID_LIKE, CAMEL_CASE) and HAS_CAPITAL, worked out in the same read of each character. A pasted log
 * is thousands of such words: reading each twice (once to find it, once for its shape) cost more than the rest.
 */
function asciiRun(text: string, pos: number): number {
  const n = text.length;
  let end = pos;
  let edges = 0;
  let previous = 0; // 1 letter, 2 digit
  let letters = true;
  let camel = false;
  let capital = false;
  // The last two characters' kinds for the CamelCase edges (lower, upper; upper, upper, lower): 0 digit, 1 lower, 2 upper.
  let before = -1;
  let last = -1;
  for (; end < n; end++) {
    const c = text.charCodeAt(end);
    const lower = c | 0x20;
    let kind: number;
    let cased: number;
    if (c >= 48 && c <= 57) {
      kind = 2;
      cased = 0;
      letters = false;
    } else if (lower >= 97 && lower <= 122) {
      kind = 1;
      cased = c <= 90 ? 2 : 1;
      if (cased === 2) capital = true;
    } else break;
    if (previous !== 0 && kind !== previous) edges++;
    previous = kind;
    if (!camel && ((last === 1 && cased === 2) || (before === 2 && last === 2 && cased === 1))) camel = true;
    before = last;
    last = cased;
  }
  const flags = (end - pos >= 4 && edges >= 3 ? ID_LIKE : 0) | (letters && camel ? CAMEL_CASE : 0) | (capital ? HAS_CAPITAL : 0);
  return end * 8 + flags;
}

/**
 * Calls `visit` with each match of SCRIPT_RUN in `text`, in order, and which group matched (1 Hangul, 2 Han, 3 other
 * letters and digits). A word of ASCII letters and digits (nearly all of a pasted log) is found by character code
 * (`asciiRun`, which also gives its shape); the regex decides from any other character on, and for an ASCII word that
 * runs into one (café, DNS가). `lower` is the run's lower case when it is ASCII: the run itself without a capital (a
 * slice of a text with any Hangul or Han in it is a two-byte string, which `toLowerCase` converts through ICU even
 * when nothing changes, ~40 ns a word). `shape` is an ASCII run's `asciiShape`.
 */
function eachRun(text: string, visit: (run: string, group: 1 | 2 | 3, lower?: string, shape?: number) => void): void {
  const n = text.length;
  for (let pos = 0; pos < n;) {
    const c = text.charCodeAt(pos);
    if (c < 0x80) {
      if (!asciiLetterOrDigit(c)) {
        pos++;
        continue;
      }
      const read = asciiRun(text, pos);
      const flags = read % 8;
      const end = (read - flags) / 8;
      if (end === n || text.charCodeAt(end) < 0x80) {
        const run = text.slice(pos, end);
        visit(run, 3, flags & HAS_CAPITAL ? run.toLowerCase() : run, flags & (ID_LIKE | CAMEL_CASE));
        pos = end;
        continue;
      }
    }
    // The leftmost match from here: no ASCII letter or digit lies before it, or it would be that match.
    RUN_AT.lastIndex = pos;
    const m = RUN_AT.exec(text);
    if (!m) return;
    visit(m[0], m[1] ? 1 : m[2] ? 2 : 3);
    pos = m.index + m[0].length;
  }
}

/** Splits text into index/query terms (see the module comment). Input should be normalized first. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  eachRun(text, (run, group, lower, shape) => (group === 3 ? latin(run, out, lower, shape) : bigrams(run, out)));
  return out;
}

/** Splits text into plain lower-case words without CamelCase parts or bigrams (for code matching). */
export function words(text: string): string[] {
  const out: string[] = [];
  eachRun(text, (run, _group, lower) => void out.push(lower ?? run.toLowerCase()));
  return out;
}

/** A text's `words`, and its `tokenize` terms when normalizing would leave the text as it is (see `scan`). */
export interface Scanned {
  words: string[];
  /** `tokenize(normalizeText(text))`; absent when normalizing changes the text, so the tokens need a pass of their own. */
  tokens?: string[];
}

/**
 * `words(text)` and, for a text that `normalizeText` leaves unchanged (a question is normalized when read),
 * `tokenize(text)`, from one pass: a pasted log is long, and both read every word of it.
 */
export function scan(text: string): Scanned {
  if (!isNormalized(text)) return { words: words(text) };
  const ws: string[] = [];
  const tokens: string[] = [];
  eachRun(text, (run, group, known, shape) => {
    const lower = known ?? run.toLowerCase();
    ws.push(lower);
    if (group === 3) latin(run, tokens, lower, shape);
    else bigrams(run, tokens);
  });
  return { words: ws, tokens };
}
