import type { Answer, Article, CodeBlock, Engine, TopicRef } from '../../engine/types.ts';

/** Copies only the documented fields, so an engine that grows a field cannot change the API by accident. */
const refs = (list: TopicRef[]) => list.map(({ id, title }) => ({ id, title }));

/** The content version an answer came from (see the OpenAPI `ContentVersion` schema). */
export interface ApiContentVersion {
  hash: string;
  loadedAt: string;
}

/** The API form of an answer (see the OpenAPI `Answer` schema). */
export function apiAnswer(id: string, a: Answer, markdown: string, html: string, content?: ApiContentVersion) {
  return { id, ...apiAnswerHead(a), ...apiAnswerTopic(a), ...apiAnswerQuestion(a, markdown, html, content) };
}

/** The API answer's fields after `id` and before the topic's. */
export function apiAnswerHead(a: Answer) {
  return { status: a.status, lang: a.lang, requestedLang: a.requestedLang };
}

/** The API answer's fields that its topic and languages decide alone (`topic` to `source`), in the schema's order. */
export function apiAnswerTopic(a: Answer) {
  return {
    ...(a.topic ? { topic: { id: a.topic.id, title: a.topic.title, codes: a.topic.codes, legacy: a.topic.legacy } } : {}),
    summary: a.summary,
    causes: a.causes,
    steps: a.steps.map((s) => ({ text: s.text, ...(s.command ? { command: s.command } : {}), ...(s.code ? { code: apiCode(s.code) } : {}) })),
    commands: a.commands,
    code: a.code.map(apiCode),
    tables: a.tables.map((t) => ({ header: t.header, rows: t.rows })),
    notes: a.notes,
    links: a.links.map((l) => ({ text: l.text, ...(l.href ? { href: l.href } : {}), ...(l.topic ? { topic: l.topic } : {}) })),
    ...(a.source ? { source: apiSource(a.source) } : {}),
  };
}

/** The API answer's fields after the topic's: those the question decides, the renderings and the content version. */
export function apiAnswerQuestion(a: Answer, markdown: string, html: string, content?: ApiContentVersion) {
  return {
    related: refs(a.related),
    alternatives: refs(a.alternatives),
    suggestions: refs(a.suggestions),
    confidence: a.confidence,
    notices: a.notices,
    evidence: a.evidence.slice(0, 3).map(({ kind, text, inOutput }) => ({ kind, text, inOutput })),
    markdown,
    html,
    ...(content ? { content: { hash: content.hash, loadedAt: content.loadedAt } } : {}),
  };
}

function apiCode(c: CodeBlock) {
  return { kind: c.kind, lang: c.lang, text: c.text };
}

function apiSource(s: NonNullable<Answer['source']>) {
  return { title: s.title, url: s.url, section: s.section, anchor: s.anchor, license: s.license, attribution: s.attribution };
}

/** The API form of a catalog entry. */
export function apiTopic(t: ReturnType<Engine['topics']>[number]) {
  return { id: t.id, title: t.title, codes: t.codes, ...(t.parent ? { parent: t.parent } : {}), legacy: t.legacy };
}

/** The API form of an article with its HTML rendering. */
export function apiArticle(a: Article, html: string) {
  return {
    id: a.id,
    lang: a.lang,
    requestedLang: a.requestedLang,
    title: a.title,
    codes: a.codes,
    markdown: a.markdown,
    html,
    source: apiSource(a.source),
    related: refs(a.related),
    children: refs(a.children),
  };
}
