import { hash } from 'node:crypto';
import type { i18n } from 'i18next';
import { prepareQuestion } from '../../engine/index.ts';
import type { Answer, AskOptions, Engine, PreparedQuestion } from '../../engine/types.ts';
import { answerKey, createAnswerRenderer, type AnswerRenderings } from './answer-render.ts';
import type { ApiContentVersion } from './shape.ts';

/** An engine answer with its renderings. Holds no answer id: every response gets its own. */
export interface RenderedAnswer extends AnswerRenderings {
  answer: Answer;
}

/** The `{"answer": …}` body for one answer id, as the id part and the shared encoded rest. */
export function answerBody(id: string, rendered: RenderedAnswer): [head: string, tail: Buffer] {
  return [`{"answer":{"id":${JSON.stringify(id)},`, rendered.tail];
}

/**
 * The cache key: a digest of the question as the engine reads it (cut, NFKC, zero-width and control
 * characters removed, trimmed), whether it was cut, the language asked for and the topic picked.
 * The engine sees the question only through that same preparation, so equal keys mean equal answers;
 * the digest keeps a 64 KB question from costing 64 KB of key.
 */
export function cacheKey(question: string, options: AskOptions, prepared: PreparedQuestion = prepareQuestion(question)): string {
  const { text, truncated } = prepared;
  // One-shot: no Hash object per question (same digest as createHash(...).update(...).digest()).
  return hash('sha256', `${options.lang ?? ''}\u0000${options.topic ?? ''}\u0000${truncated ? 1 : 0}\u0000${text}`, 'base64');
}

/**
 * Memoizes ask + render in a least-recently-used map of at most `size` entries (0 turns it off).
 * The engine is pure over a loaded knowledge base, and most traffic repeats a few errors. Questions met for the
 * first time (pasted logs never repeat) still mostly get an answer given before, word for word: renderings are
 * kept too, keyed by the answer itself, so such a question costs the engine but not the rendering again. A new
 * answer on a topic met before renders only what its question decides (see `createAnswerRenderer`).
 * An entry is the rendering itself, answer included: equal answers share one object, so a question met once keeps
 * only its key alive, not an answer of its own (retained answers outlived the young generation and made the
 * garbage collector copy and mark them).
 */
export function createAnswerCache(i18n: i18n, size = 1000) {
  const entries = new Map<string, RenderedAnswer>();
  const renderings = new Map<string, RenderedAnswer>();
  // A different answer on the same topic reuses the topic's part of the rendering (nothing is kept with size 0).
  const renderer = createAnswerRenderer(i18n, size > 0);
  // Entries belong to one engine: a content reload swaps the engine and starts the cache over.
  let owner: Engine | undefined;
  const render = (engine: Engine, question: string, options: AskOptions, content?: ApiContentVersion): RenderedAnswer => {
    const answer = engine.ask(question, options);
    if (size <= 0) return { answer, ...renderer.render(answer, content) };
    // Equal answers (and content version) render to equal bytes; the first of them stands for the others.
    const shape = `${content ? `${content.hash}\u0000${content.loadedAt}` : ''}\u0000${answerKey(answer)}`;
    return remember(renderings, shape, () => ({ answer, ...renderer.render(answer, content) }));
  };
  /** `map`'s value for `key`, made by `make` when missing; least recently used out beyond `size`. */
  function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
    const hit = map.get(key);
    // Re-insert so Map order works as least-recently-used.
    if (hit !== undefined) map.delete(key);
    const value = hit ?? make();
    map.set(key, value);
    if (map.size > size) map.delete(map.keys().next().value!);
    return value;
  }
  return {
    /** Asks the engine (or the cache) and renders in the asker's language; `content` is the version `engine` serves. */
    get(engine: Engine, question: string, options: AskOptions, content?: ApiContentVersion): RenderedAnswer {
      if (engine !== owner) {
        entries.clear();
        renderings.clear();
        renderer.clear();
        owner = engine;
      }
      if (size <= 0) return render(engine, question, options, content);
      // Prepared once, for the key and (on a miss) the engine: a 20 KB paste is normalized once, not twice.
      const prepared = prepareQuestion(question);
      return remember(entries, cacheKey(question, options, prepared), () => render(engine, question, { ...options, prepared }, content));
    },
    /** Entries held (for tests). */
    get size(): number {
      return entries.size;
    },
  };
}
