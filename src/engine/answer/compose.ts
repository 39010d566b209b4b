import { topicSections, type SectionLookup } from './lookup.ts';
import type { Answer, Article, Evidence, DocMeta, KnowledgeBase, Lang, Notice, Query, Section, Step, Topic, TopicRef } from '../types.ts';

/** Topics offered when nothing matched: the errors people hit most. */
const POPULAR = ['ImageBuildFailure', 'OutOfQuota', 'ResourceNotReady', 'HTTP-503', 'DeploymentCannotScore'];

/** Builds `Answer`s and `Article`s from topics and sections. */
export interface Composer {
  answer(topic: Topic, query: Pick<Query, 'lang' | 'truncated'>, extra: { status: Answer['status']; alternatives: string[]; confidence: number; evidence?: Evidence[] }): Answer;
  notFound(query: Pick<Query, 'lang' | 'truncated'>, suggestions: string[]): Answer;
  article(topic: Topic, lang: Lang): Article | undefined;
  ref(id: string, lang: Lang): TopicRef | undefined;
}

function dedupe<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/** Creates the composer over a knowledge base. */
export function createComposer(kb: KnowledgeBase, lookup: SectionLookup): Composer {
  const byId = new Map(kb.topics.map((t) => [t.id, t]));
  const docs = new Map(kb.docs.map((d) => [`${d.doc}|${d.lang}`, d]));

  /** The topic's sections in `lang`, else English, else whichever language has them. */
  function resolve(topic: Topic, lang: Lang): { lang: Lang; sections: Section[] } | undefined {
    for (const l of dedupe([lang, 'en', 'ko', 'zh'] as Lang[])) {
      const sections = topicSections(lookup, topic, l);
      if (sections.length) return { lang: l, sections };
    }
    return undefined;
  }

  function ref(id: string, lang: Lang): TopicRef | undefined {
    const topic = byId.get(id);
    if (!topic) return undefined;
    const r = resolve(topic, lang);
    return { id, title: r?.sections[0].title ?? id };
  }

  const refs = (ids: string[], lang: Lang) => ids.map((id) => ref(id, lang)).filter((r): r is TopicRef => !!r);

  function source(meta: DocMeta | undefined, own: Section) {
    return {
      title: meta?.title ?? own.doc,
      url: meta?.source ?? '',
      section: own.title,
      anchor: own.anchor,
      license: meta?.license ?? '',
      attribution: meta?.attribution ?? '',
    };
  }

  function empty(lang: Lang, truncated: boolean): Answer {
    return {
      status: 'not_found', lang, requestedLang: lang, summary: '', steps: [], commands: [], tables: [], notes: [],
      related: [], alternatives: [], suggestions: [], confidence: 0, notices: truncated ? ['input_truncated'] : [], evidence: [],
    };
  }

  return {
    ref,
    answer(topic, query, extra) {
      const r = resolve(topic, query.lang);
      if (!r) return { ...empty(query.lang, query.truncated), suggestions: refs(POPULAR, query.lang) };
      const own = r.sections[0];
      const paragraphs = r.sections.flatMap((s) => s.paragraphs);
      let steps: Step[] = r.sections.flatMap((s) => s.steps);
      // A section without a list: its paragraphs after the summary are the steps.
      if (!steps.length) steps = paragraphs.slice(1).map((text) => ({ text }));
      const notices: Notice[] = [];
      if (query.truncated) notices.push('input_truncated');
      if (r.lang !== query.lang) notices.push('language_fallback');
      if (topic.legacy) notices.push('legacy_topic');
      const related = dedupe([...(topic.parent ? [topic.parent] : []), ...topic.related]).filter((id) => id !== topic.id && !extra.alternatives.includes(id));
      return {
        status: extra.status,
        lang: r.lang,
        requestedLang: query.lang,
        topic: { id: topic.id, title: own.title, codes: topic.codes, legacy: topic.legacy },
        summary: paragraphs[0] ?? own.notes[0] ?? steps[0]?.text ?? own.title,
        steps,
        commands: dedupe(r.sections.flatMap((s) => s.commands)),
        tables: r.sections.flatMap((s) => s.tables),
        notes: r.sections.flatMap((s) => s.notes),
        source: source(docs.get(`${topic.doc}|${r.lang}`), own),
        related: refs(related.slice(0, 5), r.lang),
        alternatives: refs(extra.alternatives, r.lang),
        suggestions: [],
        confidence: Math.round(extra.confidence * 100) / 100,
        notices,
        evidence: extra.evidence ?? [],
      };
    },
    notFound(query, suggestions) {
      return { ...empty(query.lang, query.truncated), suggestions: refs(dedupe([...suggestions, ...POPULAR]).slice(0, 5), query.lang) };
    },
    article(topic, lang) {
      const r = resolve(topic, lang);
      if (!r) return undefined;
      const own = r.sections[0];
      const all = lookup.byDoc.get(`${topic.doc}|${r.lang}`) ?? [];
      // The article is the topic's heading and everything under it, sub-topics included.
      const start = all.indexOf(own);
      let end = start + 1;
      while (end < all.length && all[end].depth > own.depth) end++;
      return {
        id: topic.id,
        lang: r.lang,
        requestedLang: lang,
        title: own.title,
        codes: topic.codes,
        markdown: all.slice(start, end).map((s) => s.markdown.replace(/\s*\{#[A-Za-z0-9_-]+\}\s*$/m, '')).join(''),
        source: source(docs.get(`${topic.doc}|${r.lang}`), own),
        related: refs(topic.related, r.lang),
        children: refs(topic.children, r.lang),
      };
    },
  };
}

