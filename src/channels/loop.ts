/** Spreading a channel's CPU over event-loop iterations, so no two large pieces of work (a bot turn, a long /ask) run in one. */

let queue: Promise<void> = Promise.resolve();

/**
 * Resolves in a later event-loop iteration, one caller per iteration. A bot turn runs synchronously up to its first
 * I/O (mention removal, fitting a paste, the engine): activities whose bodies complete together would otherwise run
 * their turns back to back in one iteration (setImmediate callbacks queued together all run in one check phase), with
 * timers and other requests waiting behind all of them. Chained, each caller waits for the previous one's iteration.
 */
export function nextLoopIteration(): Promise<void> {
  const mine = queue.then(() => new Promise<void>((resume) => setImmediate(resume)));
  queue = mine;
  return mine;
}
