import MiniSearch, { type SearchResult as MsResult, type Options } from 'minisearch';
import { tokenize, isCjkToken } from '../text/tokenize.ts';
import { HANGUL, HAN } from '../text/script.ts';
import { normalizeText } from '../text/normalize.ts';
import { createTermFilter } from './term-filter.ts';
import { withoutBoilerplate } from './boilerplate.ts';
import { createLookup, topicSections, type SectionLookup } from '../ingest/lookup.ts';
import { LANGS, type KnowledgeBase, type Lang, type Section } from '../types.ts';

/** One indexed document: a topic's own section plus its non-topic sub-sections, in one language. */
export interface TopicDoc {
  id: string;
  topicId: string;
  lang: Lang;
  anchor: string;
  title: string;
  path: string;
  codes: string;
  aliases: string;
  /** Prose: paragraphs, steps, notes and tables. */
  body: string;
  /** Code blocks and step commands: example output and API names that many unrelated pastes share. */
  code: string;
}

/** Question words in all three languages that say nothing about which topic is meant. */
const STOP = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'be',
  'to',
  'of',
  'in',
  'on',
  'for',
  'and',
  'or',
  'it',
  'i',
  'my',
  'me',
  'we',
  'our',
  'you',
  'your',
  'how',
  'what',
  'why',
  'when',
  'where',
  'which',
  'do',
  'does',
  'did',
  'can',
  'could',
  'should',
  'with',
  'this',
  'that',
  'there',
  'get',
  'getting',
  'got',
  'from',
  'at',
  'as',
  'by',
  'but',
  'not',
  'no',
  'so',
  'if',
  'any',
  'help',
  'please',
  'fix',
  'solve',
  'error',
  'errors',
  'issue',
  'problem',
  'fails',
  'failed',
  'failing',
  'azure',
  'ml',
  'azureml',
  'machine',
  'learning',
  '어떻',
  '떻게',
  '해야',
  '하나',
  '나요',
  '까요',
  '해결',
  '오류',
  '에러',
  '문제',
  '방법',
  '있나',
  '습니',
  '니다',
  '세요',
  '하는',
  '怎么',
  '如何',
  '什么',
  '为什',
  '么办',
  '怎样',
  '问题',
  '错误',
  '报错',
  '出现',
  '解决',
  '一下',
  '请问',
  '可以',
  '时候',
]);

/**
 * Field weights. Code blocks weigh less than prose: a section's example traceback or HTTP headers
 * share generic words (`WebserviceException`, `Content-Type`, `keep-alive`) with any pasted log.
 */
const BOOST = { codes: 3, aliases: 3, title: 1, path: 1.5, body: 1, code: 0.3 };

function fuzzyTerm(term: string): number | false {
  return term.length >= 5 && !isCjkToken(term) && !/^\d+$/.test(term) ? 0.2 : false;
}

function prefixTerm(term: string): boolean {
  return term.length >= 4 && !isCjkToken(term) && !/^\d+$/.test(term);
}

/** Index options; the same tokenizer runs for documents, queries and a reloaded index. */
export const indexOptions: Options<TopicDoc> = {
  fields: ['title', 'path', 'codes', 'aliases', 'body', 'code'],
  storeFields: ['topicId', 'lang', 'anchor', 'title'],
  tokenize: (text) => tokenize(normalizeText(text)),
  processTerm: (term) => (STOP.has(term) ? null : term),
  searchOptions: {
    boost: BOOST,
    combineWith: 'OR',
    // Fuzzy and prefix matching only for Latin words; CJK bigrams must match exactly.
    fuzzy: (term) => fuzzyTerm(term),
    prefix: (term) => prefixTerm(term),
    maxFuzzy: 2,
    weights: { fuzzy: 0.4, prefix: 0.6 },
  },
};

/** Document frequencies of the index terms, and the rarity weight (idf) derived from them. */
export interface TermStats {
  /** Share of documents that contain the term (0 for an unknown term). */
  share(term: string): number;
  /** How many documents contain the term. */
  count(term: string): number;
  /** True when some document contains the term. */
  known(term: string): boolean;
  /** Inverse document frequency; unknown terms get the highest value. */
  idf(term: string): number;
}

/** What termStats knows of a term some document contains. */
interface TermEntry {
  count: number;
  share: number;
  idf: number;
}

/** For each term, how many topic documents contain it (what termStats counts; saved with a built index). */
export function documentFrequencies(docs: TopicDoc[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) {
    const seen = new Set(tokenize(normalizeText(`${d.title}\n${d.path}\n${d.codes}\n${d.aliases}\n${d.body}\n${d.code}`)));
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return df;
}

/** Counts, for each term, how many topic documents contain it; `df` when given is `documentFrequencies(docs)` computed earlier. */
export function termStats(docs: TopicDoc[], df: ReadonlyMap<string, number> = documentFrequencies(docs)): TermStats {
  const n = Math.max(docs.length, 1);
  // A Hangul bigram can only occur in Korean documents, a Han one only in Chinese: measure their
  // share against that language, or no CJK term could ever count as common.
  const perLang = (lang: Lang) => Math.max(docs.filter((d) => d.lang === lang).length, 1);
  const nKo = perLang('ko');
  const nZh = perLang('zh');
  // No code unit below U+1100 is Hangul or Han: a Latin term (nearly all of a pasted log's) needs no regex.
  const population = (term: string) => {
    for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) >= 0x1100) return HANGUL.test(term) ? nKo : HAN.test(term) ? nZh : n;
    return n;
  };
  const idfIn = (N: number, df0: number) => {
    const f = Math.min(df0, N);
    return Math.log(1 + (N - f + 0.5) / (f + 0.5));
  };
  // An unknown term's idf, worked out once per population (a pasted log has hundreds of unknown terms: ids, timings).
  const unknownIdf = new Map([n, nKo, nZh].map((N) => [N, idfIn(N, 0)]));
  // A known term's count, share and idf, worked out on first use (at most the vocabulary). `mayBeKnown` (made on the
  // first question, not at start-up) answers most unknown terms (a pasted log's ids and timings) without a look-up in
  // `df`. A pasted log's hundreds of terms are each asked about several times in a row (selectTerms asks share, idf and
  // count; ranking known and idf): the last term asked keeps its answer.
  const memo = new Map<string, TermEntry>();
  let mayBeKnown: ((term: string) => boolean) | undefined;
  let lastTerm: string | undefined;
  let lastEntry: TermEntry | undefined;
  const lookUp = (term: string): TermEntry | undefined => {
    mayBeKnown ??= createTermFilter(df.keys());
    if (!mayBeKnown(term)) return undefined;
    let m = memo.get(term);
    if (!m) {
      const f = df.get(term);
      if (f === undefined) return undefined;
      const N = population(term);
      memo.set(term, (m = { count: f, share: Math.min(1, f / N), idf: idfIn(N, f) }));
    }
    return m;
  };
  const entry = (term: string): TermEntry | undefined => {
    if (term !== lastTerm) {
      lastTerm = term;
      lastEntry = lookUp(term);
    }
    return lastEntry;
  };
  return {
    share: (term) => entry(term)?.share ?? 0,
    count: (term) => entry(term)?.count ?? 0,
    known: (term) => entry(term) !== undefined,
    idf: (term) => entry(term)?.idf ?? unknownIdf.get(population(term))!,
  };
}

/**
 * The query terms (from `queryTerms`) worth searching for: no stop words, none found in more than `maxShare` of the
 * documents of their script nor in more than `maxDocs` documents (on a large corpus such a term has
 * the longest posting list and the least weight), at most `max` of them, rarest first — a pasted log
 * costs no more than a question.
 */
export function selectTerms(terms: string[], stats: TermStats, max = 32, maxShare = 0.5, maxDocs = Infinity): string[] {
  // Each term's idf once, not once per comparison: a pasted log has a thousand distinct terms. The sort is stable
  // and compares the same numbers, so the order is the one sorting by `stats.idf` in the comparator gives.
  const rarestFirst: Array<{ term: string; idf: number }> = [];
  for (const term of terms) if (stats.share(term) <= maxShare) rarestFirst.push({ term, idf: stats.idf(term) });
  rarestFirst.sort((a, b) => b.idf - a.idf);
  const bounded: string[] = [];
  for (const { term } of rarestFirst) {
    if (bounded.length === max) break;
    if (stats.count(term) <= maxDocs) bounded.push(term);
  }
  // A question made only of such terms still searches its rarest few.
  return bounded.length ? bounded : rarestFirst.slice(0, Math.min(3, max)).map((r) => r.term);
}

/**
 * The terms of a query that may match fuzzily or by prefix: Latin words missing from the vocabulary
 * (typos such as "imagebuildfailur"), the `max` longest of them — long words are the likely typos of
 * codes, and each fuzzy lookup walks the whole term tree.
 */
export function typoCandidates(terms: string[], stats: TermStats, max = 3): Set<string> {
  return new Set(
    terms
      .filter((t) => !stats.known(t) && fuzzyTerm(t) !== false)
      .sort((a, b) => b.length - a.length)
      .slice(0, max),
  );
}

/**
 * Distinct query terms after the stop list — the denominator of query coverage. `tokens`, when given, is
 * `tokenize(normalizeText(text))` computed already (the understand stage's `scan` of the question).
 */
export function queryTerms(text: string, tokens: readonly string[] = tokenize(normalizeText(text))): string[] {
  // A pasted log's thousands of tokens go into the Set in one built-in call, then the stop words come out: the same
  // terms in the same (first-seen) order as adding each token that is no stop word, without a JS call per token.
  // A question's few tokens are each checked against the stop list instead (fewer look-ups than deleting every stop word).
  if (tokens.length < STOP.size) {
    const kept = new Set<string>();
    for (const t of tokens) if (!STOP.has(t)) kept.add(t);
    return [...kept];
  }
  const distinct = new Set(tokens);
  for (const stop of STOP) distinct.delete(stop);
  return [...distinct];
}

function sectionText(s: Section): string {
  return [
    ...s.paragraphs,
    ...s.causes,
    ...s.steps.map((st) => st.text),
    ...s.notes,
    ...s.tables.flatMap((t) => [t.header.join(' '), ...t.rows.map((r) => r.join(' '))]),
  ].join('\n');
}

function sectionCode(s: Section): string {
  return withoutBoilerplate([...new Set([...s.commands, ...s.steps.flatMap((st) => (st.command ? [st.command] : []))])].join('\n'));
}

/** Builds the documents to index: one per topic and language that has content. */
export function topicDocs(kb: KnowledgeBase, lookup: SectionLookup = createLookup(kb)): TopicDoc[] {
  const docs: TopicDoc[] = [];
  for (const topic of kb.topics) {
    for (const lang of LANGS) {
      const sections = topicSections(lookup, topic, lang);
      if (!sections.length) continue;
      const own = sections[0];
      // Users mix English codes and phrases into ko/zh questions, so English aliases join every language.
      const aliases = lang === 'en' ? topic.aliases.en : [...topic.aliases[lang], ...topic.aliases.en];
      docs.push({
        id: `${topic.id}@${lang}`,
        topicId: topic.id,
        lang,
        anchor: topic.anchor,
        title: own.title,
        path: own.path.slice(1, -1).join(' '),
        codes: [...topic.codes, topic.id.replace(/[/-]/g, ' ')].join(' '),
        aliases: aliases.join('\n'),
        body: sections.map(sectionText).join('\n'),
        code: sections.map(sectionCode).join('\n'),
      });
    }
  }
  return docs;
}

/** The built full-text index: one MiniSearch per language, so a question only pays for the languages it reads. */
export interface SearchIndex {
  /**
   * Matching documents of the given languages (all by default), each language's ranked by score.
   * With `expand`, only the terms it accepts may match fuzzily or by prefix (and only Latin words
   * of 4–5+ letters ever do); the rest match exactly.
   */
  search(text: string, options?: { langs?: readonly Lang[]; expand?: (term: string) => boolean }): MsResult[];
  /**
   * The same scores as `search(terms.join(' '))` (minisearch's OR: the sum of each term's score,
   * times the number of terms matched), from per-term results kept between questions: pasted logs
   * never repeat, but their words do.
   */
  searchTerms(terms: readonly string[], options: { langs: readonly Lang[]; expand: (term: string) => boolean }): TermHit[];
  toJSON(): Record<string, unknown>;
}

/** One topic document's match for a list of terms. */
export interface TermHit {
  topicId: string;
  lang: Lang;
  score: number;
  /** The query terms it matched. */
  queryTerms: string[];
}

/** Per-term results kept at most (then the memo starts over): about 10 MB of small arrays. */
const TERM_MEMO_SIZE = 20_000;

function wrap(byLang: Map<Lang, MiniSearch<TopicDoc>>): SearchIndex {
  // One map per language and kind of match, keyed by the term itself: no key string made (and hashed) per look-up.
  // A topic is a number here (its first sight in a result), so a question's hits gather in arrays, not a Map per language.
  type Memo = Map<string, { topics: number[]; scores: number[] }>;
  const topicNumbers = new Map<string, number>();
  const topicIds: string[] = [];
  const numberOf = (topicId: string): number => {
    let t = topicNumbers.get(topicId);
    if (t === undefined) {
      topicNumbers.set(topicId, (t = topicIds.length));
      topicIds.push(topicId);
    }
    return t;
  };
  /**
   * Per topic number, while searchTerms gathers one language: the terms matched and their scores' sum, valid when the
   * topic's pass is the current one (a pass number, not a reset: an exception midway leaves nothing behind).
   */
  const termsOf: string[][] = [];
  const sumOf: number[] = [];
  const passOf: number[] = [];
  let pass = 0;
  const memos = new Map<Lang, { exact: Memo; expanded: Memo }>(LANGS.map((l) => [l, { exact: new Map(), expanded: new Map() }]));
  let memoSize = 0;
  const termResults = (lang: Lang, term: string, expandable: boolean) => {
    const memo = expandable ? memos.get(lang)!.expanded : memos.get(lang)!.exact;
    let hits = memo.get(term);
    if (!hits) {
      const options = { fuzzy: expandable && fuzzyTerm(term), prefix: expandable && prefixTerm(term) };
      const results = byLang.get(lang)?.search(term, options) ?? [];
      hits = { topics: results.map((r) => numberOf(r.topicId as string)), scores: results.map((r) => r.score) };
      if (memoSize >= TERM_MEMO_SIZE) {
        for (const m of memos.values()) {
          m.exact.clear();
          m.expanded.clear();
        }
        memoSize = 0;
      }
      memo.set(term, hits);
      memoSize++;
    }
    return hits;
  };
  return {
    searchTerms: (terms, { langs, expand }) => {
      const out: TermHit[] = [];
      for (const lang of langs) {
        // Each topic gathers its terms' scores, then is scaled by how many matched: one hit per topic, in order of first match.
        const order: number[] = [];
        const current = ++pass;
        for (const term of terms) {
          const { topics, scores } = termResults(lang, term, expand(term));
          for (let k = 0; k < topics.length; k++) {
            const t = topics[k];
            // A topic's first term makes its list (most topics match one term: a list of one, not an empty list's room for 16).
            if (passOf[t] !== current) {
              passOf[t] = current;
              termsOf[t] = [term];
              sumOf[t] = scores[k];
              order.push(t);
            } else {
              sumOf[t] += scores[k];
              termsOf[t].push(term);
            }
          }
        }
        for (const t of order) out.push({ topicId: topicIds[t], lang, score: sumOf[t] * termsOf[t].length, queryTerms: termsOf[t] });
      }
      return out;
    },
    search: (text, { langs = LANGS, expand } = {}) => {
      const options = expand ? { fuzzy: (term: string) => expand(term) && fuzzyTerm(term), prefix: (term: string) => expand(term) && prefixTerm(term) } : {};
      // Unordered across languages: callers aggregate per topic and order what they keep.
      return langs.flatMap((lang) => byLang.get(lang)?.search(text, options) ?? []);
    },
    toJSON: () => Object.fromEntries([...byLang].map(([lang, ms]) => [lang, savedMiniSearch(ms)])),
  };
}

/**
 * minisearch's radix tree as one string, read back with the same insertion order. A child is its edge then `{` …
 * `}`; a leaf (minisearch's '' edge) is `=` then its postings then `;`, the postings being `field:doc,freq,doc,freq`
 * joined by `/`. Index terms are letters and digits only (tokenize.ts), so no edge holds these marks (saving checks).
 * minisearch's own toJSON/loadJSON inserts every term into a new tree through hundreds of thousands of short-lived
 * objects, slower than indexing the documents again; and JSON arrays of numbers cost more to parse than one string.
 * A node is read on first use (`SavedTree`) and a leaf's postings when a search reads them (`SavedPostings`): a
 * search reads the nodes on its terms' paths (and those a fuzzy or prefix walk visits), not all ~11,000 nodes and
 * ~10,000 leaves. It reads minisearch's private `_index._tree` (7.x; a test checks that loaded and built indexes
 * answer alike).
 */
type Postings = Map<number, Map<number, number>>;
type Tree = Map<string, Tree | Postings>;
interface Internals {
  _index: { _tree: Tree; constructor: new (tree: Tree) => unknown };
}

const MARKS = /[{}=;/:,]/;

function saveTree(tree: Tree): string {
  let out = '';
  for (const [edge, child] of tree) {
    if (edge === '') {
      out += `=${[...(child as Postings)].map(([field, docs]) => `${field}:${[...docs].flat().join(',')}`).join('/')};`;
      continue;
    }
    if (MARKS.test(edge)) throw new Error(`search index: the term part "${edge}" holds a character the saved index uses as a mark`);
    out += `${edge}{${saveTree(child as Tree)}}`;
  }
  return out;
}

function loadTree(saved: string): Tree {
  return new SavedTree(saved, 0);
}

/**
 * A node of the saved tree, read on first use: its children are created (unread) when it is first read, so a
 * search builds only the nodes it walks, not the ~11,000 of the whole tree.
 */
class SavedTree extends Map<string, Tree | Postings> {
  #saved: string | undefined;
  readonly #start: number;

  constructor(saved: string, start: number) {
    super();
    this.#saved = saved;
    this.#start = start;
  }

  #read(): this {
    const saved = this.#saved;
    if (saved === undefined) return this;
    this.#saved = undefined;
    for (let pos = this.#start; pos < saved.length;) {
      const c = saved.charCodeAt(pos);
      if (c === 0x7d /* } */) break;
      if (c === 0x3d /* = */) {
        const end = saved.indexOf(';', pos);
        super.set('', new SavedPostings(saved, pos + 1, end));
        pos = end + 1;
        continue;
      }
      const open = saved.indexOf('{', pos);
      super.set(saved.slice(pos, open), new SavedTree(saved, open + 1));
      pos = skip(saved, open + 1);
    }
    return this;
  }

  override get size() {
    this.#read();
    return super.size;
  }
  override get(key: string) {
    this.#read();
    return super.get(key);
  }
  override has(key: string) {
    this.#read();
    return super.has(key);
  }
  override set(key: string, value: Tree | Postings) {
    this.#read();
    return super.set(key, value);
  }
  override delete(key: string) {
    this.#read();
    return super.delete(key);
  }
  override clear() {
    this.#read();
    super.clear();
  }
  override forEach(callback: (value: Tree | Postings, key: string, map: Map<string, Tree | Postings>) => void, thisArg?: unknown) {
    this.#read();
    super.forEach(callback, thisArg);
  }
  override keys() {
    this.#read();
    return super.keys();
  }
  override values() {
    this.#read();
    return super.values();
  }
  override entries() {
    this.#read();
    return super.entries();
  }
  override [Symbol.iterator]() {
    this.#read();
    return super[Symbol.iterator]();
  }
}

/** The position just after the `}` that closes the node whose entries start at `pos`. */
function skip(saved: string, pos: number): number {
  let depth = 1;
  let open = saved.indexOf('{', pos);
  let close = saved.indexOf('}', pos);
  for (;;) {
    if (open !== -1 && open < close) {
      depth++;
      open = saved.indexOf('{', open + 1);
    } else {
      if (close === -1) throw new Error('search index: the saved tree is cut short (a node is never closed)');
      if (--depth === 0) return close + 1;
      close = saved.indexOf('}', close + 1);
    }
  }
}

/** A leaf's postings (field id → document id → term frequency) kept as saved text until first read. */
class SavedPostings implements Postings {
  #map: Postings | undefined;
  constructor(
    private readonly saved: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  #read(): Postings {
    if (this.#map) return this.#map;
    const map: Postings = new Map();
    for (const field of this.saved.slice(this.start, this.end).split('/')) {
      const colon = field.indexOf(':');
      const numbers = field.slice(colon + 1).split(',');
      const docs = new Map<number, number>();
      for (let i = 0; i < numbers.length; i += 2) docs.set(Number(numbers[i]), Number(numbers[i + 1]));
      map.set(Number(field.slice(0, colon)), docs);
    }
    return (this.#map = map);
  }

  get size() {
    return this.#read().size;
  }
  get [Symbol.toStringTag]() {
    return 'Map';
  }
  get(field: number) {
    return this.#read().get(field);
  }
  has(field: number) {
    return this.#read().has(field);
  }
  set(field: number, docs: Map<number, number>) {
    this.#read().set(field, docs);
    return this;
  }
  delete(field: number) {
    return this.#read().delete(field);
  }
  clear() {
    this.#read().clear();
  }
  forEach(callback: (docs: Map<number, number>, field: number, map: Postings) => void, thisArg?: unknown) {
    this.#read().forEach((docs, field) => callback.call(thisArg, docs, field, this));
  }
  entries() {
    return this.#read().entries();
  }
  keys() {
    return this.#read().keys();
  }
  values() {
    return this.#read().values();
  }
  [Symbol.iterator]() {
    return this.#read()[Symbol.iterator]();
  }
}

function savedMiniSearch(ms: MiniSearch<TopicDoc>): Record<string, unknown> {
  return { ...ms.toJSON(), index: [], tree: saveTree((ms as unknown as Internals)._index._tree) };
}

function loadedMiniSearch(saved: Record<string, unknown>): MiniSearch<TopicDoc> {
  // loadJS restores the documents, field lengths and stored fields; the (empty) term index is replaced by the saved tree.
  const ms = MiniSearch.loadJS<TopicDoc>(saved as unknown as Parameters<typeof MiniSearch.loadJS>[0], indexOptions);
  const internals = ms as unknown as Internals;
  internals._index = new internals._index.constructor(loadTree(saved.tree as string)) as Internals['_index'];
  return ms;
}

/** Indexes the knowledge base's topics. */
export function buildSearchIndex(docs: TopicDoc[]): SearchIndex {
  const byLang = new Map<Lang, MiniSearch<TopicDoc>>();
  for (const lang of LANGS) {
    const ms = new MiniSearch<TopicDoc>(indexOptions);
    ms.addAll(docs.filter((d) => d.lang === lang));
    byLang.set(lang, ms);
  }
  return wrap(byLang);
}

/** Loads an index saved with `toJSON()` (as JSON text or already parsed), with the same tokenizer and options. */
export function loadSearchIndex(saved: string | Record<string, unknown>): SearchIndex {
  const parsed = (typeof saved === 'string' ? JSON.parse(saved) : saved) as Record<string, Record<string, unknown> | undefined>;
  const byLang = new Map<Lang, MiniSearch<TopicDoc>>();
  for (const lang of LANGS) if (parsed[lang]) byLang.set(lang, loadedMiniSearch(parsed[lang]));
  return wrap(byLang);
}
