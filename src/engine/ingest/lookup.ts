import type { KnowledgeBase, Lang, Section, Topic } from '../types.ts';

/** Sections grouped for fast lookup by document and language. */
export interface SectionLookup {
  byDoc: Map<string, Section[]>;
  topicAnchors: Set<string>;
  /** Memo of `topicSections`, keyed `topic id|lang`. */
  memo: Map<string, Section[]>;
}

/** Groups sections by `doc|lang` (document order) and records which anchors are topics. */
export function createLookup(kb: KnowledgeBase): SectionLookup {
  const byDoc = new Map<string, Section[]>();
  for (const s of kb.sections) {
    const key = `${s.doc}|${s.lang}`;
    const list = byDoc.get(key);
    if (list) list.push(s);
    else byDoc.set(key, [s]);
  }
  return { byDoc, topicAnchors: new Set(kb.topics.map((t) => `${t.doc}#${t.anchor}`)), memo: new Map() };
}

/** A topic's own section and its non-topic descendants (a "solution" sub-heading, say), in one language. */
export function topicSections(lookup: SectionLookup, topic: Topic, lang: Lang): Section[] {
  const key = `${topic.id}|${lang}`;
  const known = lookup.memo.get(key);
  if (known) return known;
  const found = collectSections(lookup, topic, lang);
  lookup.memo.set(key, found);
  return found;
}

function collectSections(lookup: SectionLookup, topic: Topic, lang: Lang): Section[] {
  const inDoc = lookup.byDoc.get(`${topic.doc}|${lang}`) ?? [];
  const own = inDoc.find((s) => s.anchor === topic.anchor);
  if (!own) return [];
  const out = [own];
  const include = new Set([own.anchor]);
  for (const s of inDoc) {
    if (s.parentAnchor && include.has(s.parentAnchor) && !lookup.topicAnchors.has(`${s.doc}#${s.anchor}`)) {
      out.push(s);
      include.add(s.anchor);
    }
  }
  return out;
}
