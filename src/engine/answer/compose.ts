import { topicSections, type SectionLookup } from '../ingest/lookup.ts';
import {
  LANGS,
  type Answer,
  type Article,
  type CodeBlock,
  type Evidence,
  type DocMeta,
  type KnowledgeBase,
  type Lang,
  type Notice,
  type Query,
  type Section,
  type Step,
  type TextLink,
  type Topic,
  type TopicRef,
} from '../types.ts';

/** Topics offered when nothing matched: the errors people hit most. */

/** Builds `Answer`s and `Article`s from topics and sections. */
export interface Composer {
  answer(
    topic: Topic,
    query: Pick<Query, 'lang' | 'truncated'>,
    extra: { status: Answer['status']; alternatives: string[]; confidence: number; evidence?: Evidence[]; firstStep?: boolean },
  ): Answer;
  /** `unplaced`: the post never named Azure ML (the answer says so: notice not_placed). */
  notFound(query: Pick<Query, 'lang' | 'truncated'>, suggestions: string[], unplaced?: boolean): Answer;
  article(topic: Topic, lang: Lang): Article | undefined;
  ref(id: string, lang: Lang): TopicRef | undefined;
  /** The reader's area of a topic: its nearest enclosing section's entry in `areas`, else its document's area. */
  area(topic: Topic): string;
}

function dedupe<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/** HTML comments are notes for editors (where a translation came from, how the source spelled a flag), never shown. */
export function stripComments(markdown: string): string {
  return markdown.replace(/^[ \t]*<!--[\s\S]*?-->[ \t]*\n?/gm, '').replace(/<!--[\s\S]*?-->/g, '');
}

/** Shell lines of the sections: shell blocks and inline commands (`az …` in prose), not snippets or output. */
function shellCommands(sections: Section[]): string[] {
  const blocks = sections.flatMap((s) => s.blocks);
  const fenced = new Set(blocks.map((b) => b.text));
  const inline = sections.flatMap((s) => s.commands).filter((c) => !fenced.has(c));
  return dedupe([...blocks.filter((b) => b.kind === 'command').map((b) => b.text), ...inline]);
}

/** Snippets and example output that no step carries, each once. */
function looseCode(sections: Section[], steps: Step[]): CodeBlock[] {
  const inSteps = steps.map((s) => s.code?.text ?? '');
  const out = new Map<string, CodeBlock>();
  for (const b of sections.flatMap((s) => s.blocks)) {
    if (b.kind === 'command' || out.has(b.text) || inSteps.some((text) => text.includes(b.text))) continue;
    out.set(b.text, b);
  }
  return [...out.values()];
}

/** Creates the composer over a knowledge base. */
export function createComposer(kb: KnowledgeBase, lookup: SectionLookup): Composer {
  const popular = kb.topics.filter((t) => t.popular).map((t) => t.id);
  const byId = new Map(kb.topics.map((t) => [t.id, t]));
  const byAnchor = new Map(kb.topics.map((t) => [`${t.doc}#${t.anchor}`, t]));
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

  /** The section that holds `anchor` in a document, and its enclosing sections outward. */
  function ancestry(doc: string, lang: Lang, anchor: string): Section[] {
    const all = lookup.byDoc.get(`${doc}|${lang}`) ?? [];
    const out: Section[] = [];
    for (let s = all.find((x) => x.anchor === anchor); s; s = s.parentAnchor ? all.find((x) => x.anchor === s.parentAnchor) : undefined) out.push(s);
    return out;
  }

  /** The source page's URL at this section's anchor there (or the nearest enclosing section's). */
  function sourceUrl(meta: DocMeta, own: Section): string {
    const known = ancestry(own.doc, own.lang, own.anchor).find((s) => meta.sourceAnchors[s.anchor]);
    return known ? `${meta.source}#${meta.sourceAnchors[known.anchor]}` : meta.source;
  }

  /** The topic an in-document `#anchor` belongs to: the topic of that section or of its nearest enclosing one. */
  function anchorTopic(doc: string, lang: Lang, anchor: string): string | undefined {
    for (const s of ancestry(doc, lang, anchor)) {
      const topic = byAnchor.get(`${doc}#${s.anchor}`);
      if (topic) return topic.id;
    }
    return undefined;
  }

  /** Links of the sections' text: web pages as they are, in-document anchors as the topics they lead to. */
  function textLinks(topic: Topic, sections: Section[]): TextLink[] {
    const out: TextLink[] = [];
    for (const l of sections.flatMap((s) => s.links)) {
      const text = l.text.trim();
      if (!text || out.some((o) => o.text === text)) continue;
      if (/^https?:\/\//i.test(l.href)) out.push({ text, href: l.href });
      else if (l.href.startsWith('#')) {
        const id = anchorTopic(topic.doc, sections[0].lang, l.href.slice(1).toLowerCase());
        if (id && id !== topic.id) out.push({ text, topic: id });
      }
    }
    return out;
  }

  function source(meta: DocMeta | undefined, own: Section) {
    return {
      title: meta?.title ?? own.doc,
      url: meta ? sourceUrl(meta, own) : '',
      section: own.title,
      anchor: own.anchor,
      license: meta?.license ?? '',
      attribution: meta?.attribution ?? '',
    };
  }

  function empty(lang: Lang, truncated: boolean): Answer {
    return {
      status: 'not_found',
      lang,
      requestedLang: lang,
      summary: '',
      causes: [],
      steps: [],
      commands: [],
      code: [],
      tables: [],
      notes: [],
      links: [],
      related: [],
      alternatives: [],
      suggestions: [],
      confidence: 0,
      notices: truncated ? ['input_truncated'] : [],
      evidence: [],
    };
  }

  /** What an answer on a topic in a language holds whatever the question: worked out once per topic and language. */
  interface TopicPart {
    lang: Lang;
    title: string;
    summary: string;
    causes: string[];
    steps: Step[];
    commands: string[];
    code: CodeBlock[];
    tables: Section['tables'];
    notes: string[];
    links: TextLink[];
    source: ReturnType<typeof source>;
  }
  const parts = new Map<Topic, Map<Lang, TopicPart | null>>();
  function topicPart(topic: Topic, lang: Lang): TopicPart | null {
    let byLang = parts.get(topic);
    if (!byLang) parts.set(topic, (byLang = new Map()));
    let part = byLang.get(lang);
    if (part !== undefined) return part;
    const r = resolve(topic, lang);
    if (!r) {
      byLang.set(lang, null);
      return null;
    }
    const own = r.sections[0];
    const paragraphs = r.sections.flatMap((s) => s.paragraphs);
    let steps: Step[] = r.sections.flatMap((s) => s.steps);
    // A section without a list: its paragraphs after the summary are the steps.
    if (!steps.length) steps = paragraphs.slice(1).map((text) => ({ text }));
    part = {
      lang: r.lang,
      title: own.title,
      summary: paragraphs[0] ?? own.notes[0] ?? steps[0]?.text ?? own.title,
      causes: r.sections.flatMap((s) => s.causes),
      steps,
      commands: shellCommands(r.sections),
      code: looseCode(r.sections, steps),
      tables: r.sections.flatMap((s) => s.tables),
      notes: r.sections.flatMap((s) => s.notes),
      links: textLinks(topic, r.sections),
      source: source(docs.get(`${topic.doc}|${r.lang}`), own),
    };
    byLang.set(lang, part);
    return part;
  }

  return {
    ref,
    area(topic) {
      for (const l of LANGS) {
        const meta = docs.get(`${topic.doc}|${l}`);
        const chain = ancestry(topic.doc, l, topic.anchor);
        if (!meta || !chain.length) continue;
        return chain.map((s) => meta.areas[s.anchor]).find(Boolean) ?? meta.area;
      }
      return 'general';
    },
    answer(topic, query, extra) {
      // The topic's part is worked out once; each answer gets arrays and objects of its own, as when it was made here.
      const r = topicPart(topic, query.lang);
      if (!r) return { ...empty(query.lang, query.truncated), suggestions: refs(popular, query.lang) };
      const notices: Notice[] = [];
      if (query.truncated) notices.push('input_truncated');
      if (r.lang !== query.lang) notices.push('language_fallback');
      if (topic.legacy) notices.push('legacy_topic');
      if (extra.firstStep) notices.push('first_step');
      // A first step's other candidates lead its related topics: every surface shows those, and the user may know which fits.
      const lead = extra.firstStep ? extra.alternatives : [];
      const related = dedupe([...lead, ...(topic.parent ? [topic.parent] : []), ...topic.related]).filter(
        (id) => id !== topic.id && (lead.includes(id) || !extra.alternatives.includes(id)),
      );
      return {
        status: extra.status,
        lang: r.lang,
        requestedLang: query.lang,
        topic: { id: topic.id, title: r.title, codes: topic.codes, legacy: topic.legacy },
        summary: r.summary,
        causes: r.causes.slice(),
        steps: r.steps.slice(),
        commands: r.commands.slice(),
        code: r.code.slice(),
        tables: r.tables.slice(),
        notes: r.notes.slice(),
        links: r.links.slice(),
        source: { ...r.source },
        related: refs(related.slice(0, 5), r.lang),
        alternatives: refs(extra.alternatives, r.lang),
        suggestions: [],
        confidence: Math.round(extra.confidence * 100) / 100,
        notices,
        evidence: extra.evidence ?? [],
      };
    },
    notFound(query, suggestions, unplaced) {
      const answer = { ...empty(query.lang, query.truncated), suggestions: refs(dedupe([...suggestions, ...popular]).slice(0, 5), query.lang) };
      if (unplaced) answer.notices.push('not_placed');
      return answer;
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
        markdown: stripComments(
          all
            .slice(start, end)
            .map((s) => s.markdown.replace(/\s*\{#[A-Za-z0-9_-]+\}\s*$/m, ''))
            .join(''),
        ),
        anchors: all.slice(start, end).map((s) => s.anchor),
        source: source(docs.get(`${topic.doc}|${r.lang}`), own),
        related: refs(topic.related, r.lang),
        children: refs(topic.children, r.lang),
      };
    },
  };
}
