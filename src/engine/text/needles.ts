/**
 * Which of a fixed list of needles occur in a text, as `text.includes(needle)` says, without scanning a long text
 * once per needle: a needle whose three-character windows are not all in the text cannot be in it. The text's
 * windows are hashed into a bitmap in one pass; only needles whose every window hashes to a set bit are looked for.
 */

const BITS = 1 << 18;
const MASK = BITS - 1;
/** Below this length a text is searched once per needle: clearing and filling the bitmap would cost more. */
const SHORT = 2000;

/** Hash of the three UTF-16 code units at `i` (no collisions needed: a collision only costs an includes()). */
function windowHash(text: string, i: number): number {
  return (text.charCodeAt(i) * 961 + text.charCodeAt(i + 1) * 31 + text.charCodeAt(i + 2)) & MASK;
}

/** A text as signatures are matched: lower case, each run of whitespace one space. */
export function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** Per UTF-16 code unit, how `fold` treats it alone: 0 not asked yet, then one of the three below. */
const KIND = new Uint8Array(0x10000);
const SPACE = 1;
/** Folds to the one code unit in LOWER. */
const MAPPED = 2;
/** Not foldable alone: a surrogate, Σ (its lower case depends on the letters around it), or one that lower-cases to two units. */
const CONTEXT = 3;
const LOWER = new Uint16Array(0x10000);

function kindOf(code: number): number {
  let kind = KIND[code];
  if (kind === 0) {
    const ch = String.fromCharCode(code);
    const lower = ch.toLowerCase();
    if (/\s/.test(ch)) kind = SPACE;
    else if ((code >= 0xd800 && code <= 0xdfff) || code === 0x3a3 || lower.length !== 1) kind = CONTEXT;
    else {
      kind = MAPPED;
      LOWER[code] = lower.charCodeAt(0);
    }
    KIND[code] = kind;
  }
  return kind;
}

/** Sets the bit of every three-unit window of `text` in `seen` (cleared first). */
function fillWindows(text: string, seen: Uint32Array): void {
  seen.fill(0);
  // windowHash rolled along the text: each character is read once.
  let a = text.charCodeAt(0);
  let b = text.charCodeAt(1);
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const h = (a * 961 + b * 31 + c) & MASK;
    seen[h >>> 5] |= 1 << (h & 31);
    a = b;
    b = c;
  }
}

/**
 * Sets the bit of every three-unit window of `fold(text)` in `seen` (cleared first), folding each character as it is
 * read instead of making the folded copy (two passes and a 20 KB string a paste). Returns the folded length, or -1
 * when a character cannot be folded alone (then nothing is to be trusted and the caller folds the text itself).
 */
function fillFoldedWindows(text: string, seen: Uint32Array): number {
  seen.fill(0);
  let a = 0;
  let b = 0;
  let length = 0;
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    let kind = KIND[c];
    if (kind === 0) kind = kindOf(c);
    if (kind === SPACE) {
      if (inSpace) continue;
      inSpace = true;
      c = 32;
    } else if (kind === MAPPED) {
      inSpace = false;
      c = LOWER[c];
    } else return -1;
    if (length >= 2) {
      const h = (a * 961 + b * 31 + c) & MASK;
      seen[h >>> 5] |= 1 << (h & 31);
    }
    a = b;
    b = c;
    length++;
  }
  return length;
}

/** Which needles may be in a text whose windows are in `seen` and whose length is `length`: includes() decides. */
function lookFor(needles: readonly string[], windows: Int32Array[], seen: Uint32Array, length: number, text: () => string): boolean[] {
  return needles.map((needle, k) => {
    if (needle.length > length) return false;
    for (const h of windows[k]) if ((seen[h >>> 5] & (1 << (h & 31))) === 0) return false;
    return text().includes(needle);
  });
}

function windowsOf(needles: readonly string[]): Int32Array[] {
  return needles.map((needle) => {
    const hashes = new Set<number>();
    for (let i = 0; i + 3 <= needle.length; i++) hashes.add(windowHash(needle, i));
    return Int32Array.from(hashes);
  });
}

/** Finds which of `needles` a text contains; built once per list. */
export function createNeedleFinder(needles: readonly string[]): (text: string) => boolean[] {
  const windows = windowsOf(needles);
  const seen = new Uint32Array(BITS / 32);
  return (text) => {
    if (text.length < SHORT) return needles.map((needle) => text.includes(needle));
    fillWindows(text, seen);
    return lookFor(needles, windows, seen, text.length, () => text);
  };
}

/**
 * Finds which of `needles` (folded already) `fold(text)` contains; built once per list. The folded text is made only
 * when a needle's windows are all in it: a pasted log mostly holds none of them.
 */
export function createFoldedNeedleFinder(needles: readonly string[]): (text: string) => boolean[] {
  const windows = windowsOf(needles);
  const seen = new Uint32Array(BITS / 32);
  return (text) => {
    let folded: string | undefined;
    const foldedText = () => (folded ??= fold(text));
    if (text.length < SHORT) return needles.map((needle) => foldedText().includes(needle));
    let length = fillFoldedWindows(text, seen);
    if (length < 0) {
      fillWindows(foldedText(), seen);
      length = foldedText().length;
    }
    return lookFor(needles, windows, seen, length, foldedText);
  };
}
