/**
 * A text lower-cased with its whitespace and punctuation taken out, as CJK aliases are matched (no spaces in
 * Chinese, and a Korean alias may be written with or without them): `text.toLowerCase().replace(/[\s\p{P}]+/gu, '')`.
 */

import { Buffer } from 'node:buffer';

const SPACE_OR_PUNCT = /^[\s\p{P}]$/u;

/** 1 for an ASCII character SPACE_OR_PUNCT drops, from the regex itself. */
const DROPPED_ASCII = Uint8Array.from({ length: 0x80 }, (_, c) => (SPACE_OR_PUNCT.test(String.fromCharCode(c)) ? 1 : 0));

/** Per UTF-16 code unit of the BMP: 0 not asked yet, 1 kept, 2 dropped; the regex is asked once per code unit. */
const BMP = new Uint8Array(0x10000);

/** True when SPACE_OR_PUNCT drops the (non-surrogate-pair) code unit `code`. */
function droppedUnit(code: number): boolean {
  let verdict = BMP[code];
  if (verdict === 0) BMP[code] = verdict = SPACE_OR_PUNCT.test(String.fromCharCode(code)) ? 2 : 1;
  return verdict === 2;
}

/** Code units kept so far by `squash`, grown as needed (one buffer serves every call: squash does not re-enter). */
let kept = new Uint16Array(1 << 15);

/**
 * The same string as `text.toLowerCase().replace(/[\s\p{P}]+/gu, '')`, each character tested through a table filled
 * from the regex on first sight, the kept code units copied into one buffer and made a string once: the Unicode-aware
 * replace cost a 20 KB paste ~0.3 ms, and joining the runs between dropped characters one slice at a time ~0.2 ms.
 */
export function squash(text: string): string {
  const lower = text.toLowerCase();
  const n = lower.length;
  if (kept.length < n) kept = new Uint16Array(n);
  const out = kept;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const code = lower.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const next = lower.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A character beyond the BMP: asked of the regex itself (rare).
        if (!SPACE_OR_PUNCT.test(lower.slice(i, i + 2))) {
          out[k++] = code;
          out[k++] = next;
        }
        i++;
        continue;
      }
    }
    if (code < 0x80 ? DROPPED_ASCII[code] === 0 : !droppedUnit(code)) out[k++] = code;
  }
  // UTF-16LE from the buffer's bytes keeps every code unit as it is, a lone surrogate too.
  return k === n ? lower : Buffer.from(out.buffer, 0, k * 2).toString('utf16le');
}
