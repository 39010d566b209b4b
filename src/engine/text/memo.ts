/**
 * A function's results by argument, at most `limit` of them kept (then the memo starts over): for work that repeats
 * across one question's texts and across questions (a word's coverage, a Han run's words), bounded however many
 * distinct arguments a stream of pasted logs brings.
 */
export function memoize<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size >= limit) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}
