/**
 * A bitmap over a fixed set of terms (an index's vocabulary) that answers "not one of them" for most other strings
 * without a look-up in the set itself. A pasted log's hundreds of distinct terms are mostly ids, timings and numbers
 * no document contains; each look-up in the vocabulary's Map reads memory the rest of a request has pushed out of the
 * cache, while this bitmap is 16 KB. A string it lets through may still be unknown (about 1 in 20 at 8,000 terms).
 */

const BITS = 1 << 17;
const MASK = BITS - 1;

/** FNV-1a over the UTF-16 code units: two bit positions come from its low and high bits. */
function hash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A test that is false for every string not in `terms` whose bits are not all set, and true for every one in it. */
export function createTermFilter(terms: Iterable<string>): (term: string) => boolean {
  const bits = new Uint32Array(BITS / 32);
  const set = (bit: number) => (bits[bit >>> 5] |= 1 << (bit & 31));
  for (const term of terms) {
    const h = hash(term);
    set(h & MASK);
    set((h >>> 15) & MASK);
  }
  return (term) => {
    const h = hash(term);
    const a = h & MASK;
    const b = (h >>> 15) & MASK;
    return (bits[a >>> 5] & (1 << (a & 31))) !== 0 && (bits[b >>> 5] & (1 << (b & 31))) !== 0;
  };
}

/** The slot of a string's first two code units (0 for a missing one). */
function startSlot(s: string): number {
  const a = s.length > 0 ? s.charCodeAt(0) : 0;
  const b = s.length > 1 ? s.charCodeAt(1) : 0;
  return (a * 31 + b) & 0xffff;
}

/**
 * A test that is false for a string whose first two code units no string of `strings` begins with (as a whole string:
 * a one-character string by its one), and true for every one in it. A pasted log's thousands of words are each asked
 * whether they are a code or an alias's first word: a Set look-up hashes each new word, this reads two characters.
 */
export function createStartFilter(strings: Iterable<string>): (s: string) => boolean {
  const slots = new Uint8Array(0x10000);
  for (const s of strings) slots[startSlot(s)] = 1;
  return (s) => slots[startSlot(s)] === 1;
}
