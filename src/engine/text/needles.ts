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

/** Finds which of `needles` a text contains; built once per list. */
export function createNeedleFinder(needles: readonly string[]): (text: string) => boolean[] {
  const windows = needles.map((needle) => {
    const hashes = new Set<number>();
    for (let i = 0; i + 3 <= needle.length; i++) hashes.add(windowHash(needle, i));
    return Int32Array.from(hashes);
  });
  const seen = new Uint32Array(BITS / 32);
  return (text) => {
    if (text.length < SHORT) return needles.map((needle) => text.includes(needle));
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
    return needles.map((needle, k) => {
      if (needle.length > text.length) return false;
      for (const h of windows[k]) if ((seen[h >>> 5] & (1 << (h & 31))) === 0) return false;
      return text.includes(needle);
    });
  };
}
