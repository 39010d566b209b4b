import { createUnderstander } from './understand/query.ts';
import { detectLang } from './text/script.ts';
import { buildSearchIndex, topicDocs, queryTerms, termStats, typoCandidates, type SearchIndex } from './search/index.ts';
import { createRanker, domainFactor } from './answer/rank.ts';
import { createComposer } from './answer/compose.ts';
import { createLookup } from './ingest/lookup.ts';
import { snippet } from './search/snippet.ts';
import { decide } from './decide.ts';
import type { RankPolicy } from './policy.ts';
import type { Answer, AskOptions, Engine, KnowledgeBase, Lang, SearchResult } from './types.ts';

export { loadKnowledgeBase } from './ingest/load.ts';
export { detectLang } from './text/script.ts';
/** How the engine reads a question (cut to MAX_QUESTION_CHARS, NFKC, invisible characters out): channels key caches and cut input by it. */
export { MAX_QUESTION_CHARS, prepareQuestion } from './text/normalize.ts';
/** The understand stage alone (what a question says: language, error statements, codes), for the support side. */
export { createUnderstander } from './understand/query.ts';
export type * from './types.ts';
export { LANGS, isLang } from './types.ts';

/** A saved index and its document frequencies (both from this knowledge base) skip building them; `policy` overrides the fitted one. */
export interface EngineOptions {
  index?: SearchIndex;
  documentFrequencies?: ReadonlyMap<string, number>;
  policy?: RankPolicy;
}

/** The understand and rank stages over one knowledge base (for the engine, and for fitting the policy). */
export function createPipeline(kb: KnowledgeBase, options: EngineOptions = {}) {
  const lookup = createLookup(kb);
  const docs = topicDocs(kb, lookup);
  const index = options.index ?? buildSearchIndex(docs);
  const stats = termStats(docs, options.documentFrequencies);
  return {
    lookup,
    docs,
    index,
    stats,
    understander: createUnderstander(kb.topics),
    ranker: createRanker(kb.topics, index, stats, options.policy),
  };
}

/** Builds the engine every channel uses from a loaded knowledge base (index built here, once). */
export function createEngine(kb: KnowledgeBase, options: EngineOptions = {}): Engine {
  const { lookup, docs, index, stats, understander, ranker } = createPipeline(kb, options);
  const docById = new Map(docs.map((d) => [d.id, d]));
  const topics = new Map(kb.topics.map((t) => [t.id, t]));
  const composer = createComposer(kb, lookup);

  function ask(question: string, opts: AskOptions = {}): Answer {
    const query = typeof question === 'string' ? understander.understand(question, opts.lang, opts.prepared) : understander.understand('', opts.lang);
    const picked = opts.topic ? topics.get(opts.topic) : undefined;
    if (picked) return composer.answer(picked, query, { status: 'answered', alternatives: [], confidence: 1 });
    const ranking = ranker.rank(query);
    const d = decide(ranking, query, topics, options.policy);
    if (d.status === 'not_found' || !d.topicId) {
      return composer.notFound(
        query,
        ranking.hits.slice(0, 3).map((h) => h.topicId),
        d.unplaced,
      );
    }
    return composer.answer(topics.get(d.topicId)!, query, d);
  }

  function search(q: string, opts: { lang?: Lang; limit?: number } = {}): SearchResult[] {
    const query = understander.understand(typeof q === 'string' ? q : '', opts.lang);
    const terms = queryTerms(query.text, query.tokens);
    const best = new Map<string, SearchResult>();
    const typos = typoCandidates(terms, stats);
    for (const r of index.search(query.text, { langs: opts.lang ? [opts.lang] : undefined, expand: (t) => typos.has(t) })) {
      const topic = topics.get(r.topicId);
      if (!topic || best.has(r.topicId)) continue;
      const doc = docById.get(r.id as string);
      const score = Math.round(r.score * domainFactor(topic, query) * 1000) / 1000;
      best.set(r.topicId, { topicId: r.topicId, title: r.title, lang: r.lang, anchor: r.anchor, score, snippet: snippet(doc?.body ?? '', terms) });
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 10);
  }

  return {
    ask,
    answerTopic: (id, lang) => (topics.has(id) ? ask('', { lang, topic: id }) : undefined),
    search,
    detectLang,
    topics: (lang) =>
      kb.topics.map((t) => ({
        ...(composer.ref(t.id, lang) ?? { id: t.id, title: t.id }),
        codes: t.codes,
        parent: t.parent,
        legacy: t.legacy,
        area: composer.area(t),
        doc: t.doc,
        anchor: t.anchor,
      })),
    article: (id, lang) => {
      const topic = topics.get(id);
      return topic ? composer.article(topic, lang) : undefined;
    },
  };
}
