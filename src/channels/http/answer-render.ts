import type { i18n, TFunction } from 'i18next';
import type { Answer, Lang } from '../../engine/types.ts';
import { htmlTopic, markdownTopic, renderHtml, renderMarkdown, type TopicBlocks } from '../../render/answer.ts';
import { rememberingT } from '../../render/translate.ts';
import { apiAnswerHead, apiAnswerQuestion, apiAnswerTopic, type ApiContentVersion } from './shape.ts';

/** An answer's renderings: Markdown, HTML, and the `{"answer": …}` body after the id, UTF-8 encoded. */
export interface AnswerRenderings {
  markdown: string;
  html: string;
  /** The `{"answer": …}` body after the id, serialized and UTF-8 encoded once: responses only add the id. */
  tail: Buffer;
}

/** What an answered answer's topic and languages decide alone, rendered: Markdown and HTML blocks, the API fields' JSON. */
interface TopicRendering {
  markdown: TopicBlocks;
  html: TopicBlocks;
  /** `apiAnswerTopic` serialized, without its braces. */
  json: string;
}

/** A JSON object's members without the braces around them. */
const members = (value: object) => JSON.stringify(value).slice(1, -1);

/**
 * A string equal for two answers of one engine exactly when they are equal, so render to the same bytes. An answered
 * answer's topic and languages stand for the fields they decide (as for the kept topic renderings), so its key holds
 * only the question's fields beside them, not the whole answer serialized.
 */
export function answerKey(a: Answer): string {
  if (a.status !== 'answered' || !a.topic) return JSON.stringify(a);
  return `topic\u0000${a.topic.id}\u0000${a.lang}\u0000${a.requestedLang}\u0000${JSON.stringify([a.confidence, a.notices, a.evidence, a.related, a.alternatives, a.suggestions])}`;
}

/**
 * Renders answers of one engine in the asker's language. With `reuse`, the parts of an answered answer that come
 * from its topic and languages alone (summary, causes, steps, commands, code, tables, notes, source, license: see
 * the engine's composer) are rendered and serialized once per topic and language pair and kept as long as the
 * renderer; only the question's parts (title, notices, evidence, related, confidence, alternatives) are made per
 * answer. The bytes are the same as a fresh rendering's. At most topics × languages² entries: content bounds them.
 */
export function createAnswerRenderer(i18n: i18n, reuse: boolean) {
  const translators = new Map<Lang, TFunction>();
  const topics = new Map<string, TopicRendering>();
  const translator = (lang: Lang): TFunction => {
    let t = translators.get(lang);
    if (!t) translators.set(lang, (t = rememberingT(i18n.getFixedT(lang))));
    return t;
  };
  const topicRendering = (answer: Answer, t: TFunction): TopicRendering | undefined => {
    if (!reuse || answer.status !== 'answered' || !answer.topic) return undefined;
    const key = `${answer.topic.id}\u0000${answer.lang}\u0000${answer.requestedLang}`;
    let kept = topics.get(key);
    if (!kept) topics.set(key, (kept = { markdown: markdownTopic(answer, t), html: htmlTopic(answer, t), json: members(apiAnswerTopic(answer)) }));
    return kept;
  };
  return {
    /** Markdown, HTML and the encoded body of `answer`: functions of the answer, its language's texts and `content` alone. */
    render(answer: Answer, content?: ApiContentVersion): AnswerRenderings {
      const t = translator(answer.requestedLang);
      const topic = topicRendering(answer, t);
      const markdown = renderMarkdown(answer, t, topic?.markdown);
      const html = renderHtml(answer, t, topic?.html);
      // `{"id":"",` is written per response; the last brace closes the `{"answer": …}` wrapper.
      const json = `${members(apiAnswerHead(answer))},${topic?.json ?? members(apiAnswerTopic(answer))},${members(apiAnswerQuestion(answer, markdown, html, content))}}}`;
      return { markdown, html, tail: Buffer.from(json) };
    },
    /** Forgets the kept topic renderings (the content they came from is gone). */
    clear(): void {
      topics.clear();
    },
  };
}
