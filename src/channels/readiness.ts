import type { Engine } from '../engine/types.ts';

/**
 * Whether the knowledge base is loaded: one gate every channel reads while main.ts builds the index after
 * listening. While it loads, the API answers 503 with Retry-After, the widget's pages a 503 page that says so and
 * reloads itself, and the Teams bot holds the activity until the engine is there (the Bot Framework waits for the
 * reply; a refused activity would lose the question).
 */
export interface Readiness {
  /** The engine once it is loaded; undefined while it loads. */
  engine(): Engine | undefined;
  /** Resolves with the engine once it is loaded. */
  ready: Promise<Engine>;
}

/** Seconds a client is told to wait (Retry-After) while the knowledge base loads. */
export const LOADING_RETRY_SECONDS = 1;

/** The gate over an engine or the promise of one; a gate given again is returned as it is. */
export function readiness(engine: Engine | Promise<Engine> | Readiness): Readiness {
  if (isReadiness(engine)) return engine;
  let loaded: Engine | undefined;
  const ready = Promise.resolve(engine).then((e) => (loaded = e));
  if (typeof (engine as { then?: unknown }).then !== 'function') loaded = engine as Engine;
  return { engine: () => loaded, ready };
}

function isReadiness(value: unknown): value is Readiness {
  return typeof value === 'object' && value !== null && 'ready' in value && typeof (value as Readiness).engine === 'function';
}
