import type { TFunction } from 'i18next';

/** Distinct (key, options) results kept per translator; labels and notices need a few dozen. */
const KEPT = 500;

/**
 * A translator that remembers what it returned for each key and options, so rendering an answer
 * does not run i18next's lookup and interpolation for the same few labels on every request.
 * Resources are loaded once at start-up, so a result never changes.
 */
export function rememberingT(t: TFunction): TFunction {
  const seen = new Map<string, string>();
  const remembering = (key: string, options?: Record<string, unknown>): string => {
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    let text = seen.get(id);
    if (text === undefined) {
      text = String((t as (key: string, options?: Record<string, unknown>) => unknown)(key, options));
      if (seen.size >= KEPT) seen.clear();
      seen.set(id, text);
    }
    return text;
  };
  return remembering as unknown as TFunction;
}
