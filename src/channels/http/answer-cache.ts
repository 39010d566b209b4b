import type { i18n } from 'i18next';
import type { Answer, AskOptions, Engine } from '../../engine/types.ts';
import { renderHtml, renderMarkdown } from '../../render/answer.ts';
import { apiAnswer } from './shape.ts';

/** An engine answer with its renderings. */
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
 * Memoizes ask + render. The engine is pure over a loaded knowledge base, so the same
 * (question, lang, topic) always gives the same answer; most traffic repeats a few errors.
 */
export function createAnswerCache(i18n: i18n, size = 1000) {
  const entries = new Map<string, RenderedAnswer>();
  return {
    /** Asks the engine (or the cache) and renders in the asker's language. */
    get(engine: Engine, question: string, options: AskOptions): RenderedAnswer {
      const key = `${options.lang ?? ''}\u0000${options.topic ?? ''}\u0000${question}`;
      const hit = entries.get(key);
      if (hit) {
        // Re-insert so Map order works as least-recently-used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const answer = engine.ask(question, options);
      const t = i18n.getFixedT(answer.requestedLang);
      const markdown = renderMarkdown(answer, t);
      const html = renderHtml(answer, t);
      const full = JSON.stringify(apiAnswer('', answer, markdown, html));
      const rendered = { answer, markdown, html, jsonTail: full.slice(full.indexOf(',') + 1) };
      entries.set(key, rendered);
      if (entries.size > size) entries.delete(entries.keys().next().value!);
      return rendered;
    },
  };
}
