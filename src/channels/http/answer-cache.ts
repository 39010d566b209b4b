import { createHash } from 'node:crypto';
import type { i18n } from 'i18next';
import { prepareQuestion } from '../../engine/understand/normalize.ts';
import type { Answer, AskOptions, Engine } from '../../engine/types.ts';
import { renderHtml, renderMarkdown } from '../../render/answer.ts';
import { apiAnswer } from './shape.ts';

/** An engine answer with its renderings. Holds no answer id: every response gets its own. */
export interface RenderedAnswer {
  answer: Answer;
  markdown: string;
  html: string;
  /** The API form serialized once, minus its leading `{"id":…,`: responses splice the id in. */
  jsonTail: string;
}

/** The `{"answer": …}` body for one answer id, without serializing the answer again. */
export function answerBody(id: string, rendered: RenderedAnswer): string {
  return `{"answer":{"id":${JSON.stringify(id)},${rendered.jsonTail}}`;
}

/**
 * The cache key: a digest of the question as the engine reads it (cut, NFKC, zero-width and control
 * characters removed, trimmed), whether it was cut, the language asked for and the topic picked.
 * The engine sees the question only through that same preparation, so equal keys mean equal answers;
 * the digest keeps a 64 KB question from costing 64 KB of key.
 */
export function cacheKey(question: string, options: AskOptions): string {
  const { text, truncated } = prepareQuestion(question);
  return createHash('sha256')
    .update(`${options.lang ?? ''}\u0000${options.topic ?? ''}\u0000${truncated ? 1 : 0}\u0000${text}`)
    .digest('base64');
}

/**
 * Memoizes ask + render in a least-recently-used map of at most `size` entries (0 turns it off).
 * The engine is pure over a loaded knowledge base, and most traffic repeats a few errors.
 */
export function createAnswerCache(i18n: i18n, size = 1000) {
  const entries = new Map<string, RenderedAnswer>();
  const render = (engine: Engine, question: string, options: AskOptions): RenderedAnswer => {
    const answer = engine.ask(question, options);
    const t = i18n.getFixedT(answer.requestedLang);
    const markdown = renderMarkdown(answer, t);
    const html = renderHtml(answer, t);
    const full = JSON.stringify(apiAnswer('', answer, markdown, html));
    return { answer, markdown, html, jsonTail: full.slice(full.indexOf(',') + 1) };
  };
  return {
    /** Asks the engine (or the cache) and renders in the asker's language. */
    get(engine: Engine, question: string, options: AskOptions): RenderedAnswer {
      if (size <= 0) return render(engine, question, options);
      const key = cacheKey(question, options);
      const hit = entries.get(key);
      if (hit) {
        // Re-insert so Map order works as least-recently-used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const rendered = render(engine, question, options);
      entries.set(key, rendered);
      if (entries.size > size) entries.delete(entries.keys().next().value!);
      return rendered;
    },
    /** Entries held (for tests). */
    get size(): number {
      return entries.size;
    },
  };
}
