import { words, isCjkToken, tokenize } from '../text/tokenize.ts';
import { normalizeText } from '../text/normalize.ts';
import { cjkWords } from '../text/cjk-words.ts';
import { CJK } from '../text/script.ts';
import { distinctChars } from '../text/chars.ts';
import { memoize } from '../text/memo.ts';
import { squash, squashAroundCjk } from '../text/squash.ts';
import { queryTerms, selectTerms, typoCandidates, type SearchIndex, type TermStats } from '../search/index.ts';
import { createStartFilter } from '../search/term-filter.ts';
import { withoutFramePaths } from '../understand/reading.ts';
import { rankScore, shippedPolicy, type Feature, type RankPolicy } from '../policy.ts';
import { LANGS, type Evidence, type Hit, type Lang, type Query, type Topic } from '../types.ts';

interface Alias {
  topic: string;
  /** The alias as written in the catalog (shown as evidence). */
  text: string;
  needle: string;
  /** A Latin alias's words, matched as consecutive words of the question. */
  words: string[];
  /** Latin aliases must match whole words; CJK aliases match anywhere (no spaces in Chinese). */
  latin: boolean;
  /**
   * The needle's characters, those past ASCII first: a text lacking one of them cannot contain it, and any log has the
   * Latin letters of `conda 환경`, rarely its Hangul.
   */
  chars: string[];
}

/** The characters past ASCII, then the ASCII ones, each group in its order. */
function pastAsciiFirst(chars: string[]): string[] {
  return [...chars.filter((c) => c.charCodeAt(0) >= 0x80), ...chars.filter((c) => c.charCodeAt(0) < 0x80)];
}

/** The `k` highest-scoring entries, best first, without sorting them all (a large corpus matches thousands). */
function topK(scores: Map<string, number>, k: number): Array<[string, number]> {
  const best: Array<[string, number]> = [];
  for (const entry of scores) {
    if (best.length === k && entry[1] <= best[k - 1][1]) continue;
    let i = best.length < k ? best.length : k - 1;
    best[i] = entry;
    for (; i > 0 && best[i][1] > best[i - 1][1]; i--) [best[i], best[i - 1]] = [best[i - 1], best[i]];
  }
  return best;
}

/**
 * How much a found code counts: an HTTP status says less than a named code (many failures print
 * "500"), and nothing when the question is about another service (Azure OpenAI's 429); a code only
 * spelled out in words ("internal server error") says less than the code itself.
 */
function codeStrength(code: string, query: Query, policy: RankPolicy): number {
  if (/^\d+$/.test(code)) return query.offDomainHint && !query.currentHint ? 0 : policy.statusCode;
  return query.spelledCodes.includes(code) ? policy.spelledCode : 1;
}

const isStatus = (code: string) => /^\d{3}$/.test(code);

/** Korean and Chinese words whose coverage is kept at most (then the memo starts over). */
const COVERED_WORDS = 5000;

/** A term of ASCII letters and digits: the tokenizer makes it one term, itself. */
const PLAIN_TERM = /^[a-z0-9]+$/;

/** Current (v2) topics win unless the question says v1; batch topics need a batch hint (for /search's ordering). */
export function domainFactor(topic: Topic, query: Pick<Query, 'legacyHint' | 'currentHint' | 'batchHint'>): number {
  const domain = Object.entries(domainFeatures(topic, query, shippedPolicy)) as Array<[Feature, number]>;
  return Math.exp(0.5 * domain.reduce((sum, [f, v]) => sum + v * shippedPolicy.weights[f], 0));
}

function domainFeatures(
  topic: Topic,
  query: Pick<Query, 'legacyHint' | 'currentHint' | 'batchHint'> &
    Partial<Pick<Query, 'reportsFailure' | 'codes' | 'signatureTopics' | 'signatureHits' | 'legacyMessage'>>,
  policy: RankPolicy,
  symptomFound = false,
) {
  return domainFeaturesInto({} as DomainFeatures, topic, query, policy, unexplained(query, symptomFound));
}

/** The domain features' names, in the order they are added to a candidate's features. */
type DomainFeatures = Pick<
  Record<Feature, number>,
  'diagnosticFit' | 'legacyFit' | 'legacyMiss' | 'currentUnderLegacy' | 'batchFit' | 'batchMiss' | 'otherUnderBatch'
>;

// Nothing more specific known: no named error code (an HTTP status is not one), no service message, and no
// symptom phrase (alias) of a topic that is not itself a "look at the logs" topic.
function unexplained(query: Partial<Pick<Query, 'reportsFailure' | 'codes' | 'signatureTopics'>>, symptomFound: boolean): boolean {
  return !!query.reportsFailure && !symptomFound && !query.signatureTopics?.length && !query.codes?.some((c) => !/^\d+$/.test(c));
}

/**
 * Adds the domain features to `out` (the same names and values, in the same order, as spreading an object of them);
 * `isUnexplained` is `unexplained(query, symptomFound)`, the same for every topic of a question.
 */
function domainFeaturesInto<T extends DomainFeatures>(
  out: T,
  topic: Topic,
  query: Pick<Query, 'legacyHint' | 'currentHint' | 'batchHint'> & Partial<Pick<Query, 'signatureHits' | 'legacyMessage'>>,
  policy: RankPolicy,
  isUnexplained: boolean,
): T {
  const batch = topic.family === 'batch';
  // The topic's own service message in the question outweighs the area the question's words suggest,
  // unless topics of both generations own that message.
  const own = query.signatureHits?.some((h) => h.topic === topic.id && !h.shared) ? 0 : 1;
  const area = query.batchHint ? batch : query.legacyHint && !query.currentHint ? topic.legacy : !batch && !topic.legacy;
  out.diagnosticFit = topic.diagnostic && area && isUnexplained ? 1 : 0;
  out.legacyFit = topic.legacy && query.legacyHint ? 1 : 0;
  out.legacyMiss = topic.legacy && !query.legacyHint ? own * (query.currentHint ? 2 : policy.legacyUnsaid) : 0;
  // A batch topic fits a v1 batch post (ParallelRunStep runs the same entry script contract and logs).
  // 2 when the question prints a message only the v1 SDK prints, as legacyMiss is 2 when it names v2.
  out.currentUnderLegacy = !topic.legacy && !(batch && query.batchHint) && query.legacyHint && !query.currentHint ? own * (query.legacyMessage ? 2 : 1) : 0;
  out.batchFit = batch && query.batchHint ? 1 : 0;
  out.batchMiss = batch && !query.batchHint ? own : 0;
  out.otherUnderBatch = !batch && query.batchHint ? own : 0;
  return out;
}

/** One topic candidate with the features the policy scores and the evidence a user is shown. */
export interface Candidate extends Hit {
  features: Record<Feature, number>;
  evidence: Evidence[];
}

/** What the ranker found for a question. */
export interface Ranking {
  /** Candidates, best first. */
  hits: Candidate[];
  /** Raw full-text score of the best topic (absolute textual evidence). */
  textTop: number;
  /** The same for the title and error statements alone (0 when the question is one line: then it is textTop). */
  focusTop: number;
}

/** Ranks catalog topics for a query from codes, signatures, aliases and full-text evidence. */
export interface Ranker {
  rank(query: Query): Ranking;
}

/** Full-text scores per topic for one text, with the query terms each topic matched. */
interface TextMatch {
  scores: Map<string, number>;
  /** The query terms a topic matched, one list per language's result (a term may be in several); undefined for a topic that matched none. */
  matched: ReadonlyMap<string, string[][]>;
  top: number;
  /** The searched terms that count for coverage, with their rarity weight, in the text's order. */
  matchable: Array<[string, number]>;
  /** Each matchable term's place in `matchable`. */
  slot: ReadonlyMap<string, number>;
  /** The rarity weights' total over all the text's terms that count for coverage. */
  total: number;
}

/** Builds the ranker over the catalog and the index. */
export function createRanker(topics: Topic[], index: SearchIndex, stats: TermStats, policy: RankPolicy = shippedPolicy): Ranker {
  const idf = stats.idf;
  const byId = new Map(topics.map((t) => [t.id, t]));
  const diagnostics = topics.filter((t) => t.diagnostic);
  // Topics owning an HTTP status code (otherStatus).
  const statusTopics = new Set(topics.filter((t) => t.codes.some(isStatus)).map((t) => t.id));
  const codeTopics = new Map<string, string[]>();
  // A code may belong to topics of several families (ResourceNotFound, batch/ResourceNotFound): the family hint decides.
  for (const t of topics) for (const c of t.codes) codeTopics.set(c, [...(codeTopics.get(c) ?? []), t.id]);
  const aliases: Alias[] = topics.flatMap((t) =>
    LANGS.flatMap((l) =>
      t.aliases[l]
        .filter((a) => a.trim().length >= 2)
        .map((a) => {
          // As the question is read (normalizeText): 쿠버네티스 할당량 is Kubernetes 할당량.
          const read = normalizeText(a);
          const latin = !CJK.test(read);
          const needle = latin ? ` ${words(read).join(' ')} ` : squash(read);
          return { topic: t.id, text: a, latin, words: latin ? words(read) : [], needle, chars: pastAsciiFirst([...new Set(needle)]) };
        }),
    ),
  );
  /** The longest Korean or Chinese alias, squashed: a paste is squashed only as far as one could reach past its last such character. */
  const longestCjk = Math.max(0, ...aliases.filter((a) => !a.latin).map((a) => a.needle.length));
  // Aliases bucketed by their first word (Latin) or first character (CJK): a question only tests
  // the few whose start it contains, not all of them.
  const latinBuckets = new Map<string, Alias[]>();
  const cjkBuckets = new Map<string, Alias[]>();
  for (const a of aliases) {
    const [buckets, key] = a.latin ? [latinBuckets, a.needle.trim().split(' ')[0]] : [cjkBuckets, Array.from(a.needle)[0]];
    buckets.set(key, [...(buckets.get(key) ?? []), a]);
  }

  // Most words of a paste start no alias: two characters tell, before the Map hashes the word.
  const mayStartAlias = createStartFilter(latinBuckets.keys());

  /**
   * Aliases found in a text, by topic. A Latin alias is checked only where its first word occurs (a
   * pasted log costs its length once, not once per alias); a CJK one only in a text with CJK in it.
   */
  function findAliases(text: string, ws = words(text)): Map<string, Alias[]> {
    const found = new Map<string, Alias[]>();
    const add = (a: Alias) => found.set(a.topic, [...(found.get(a.topic) ?? []), a]);
    const at = new Map<string, number[]>();
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (mayStartAlias(w) && latinBuckets.has(w)) (at.get(w) ?? at.set(w, []).get(w)!).push(i);
    }
    for (const [w, positions] of at) {
      for (const a of latinBuckets.get(w)!) {
        if (positions.some((p) => a.words.every((aw, j) => ws[p + j] === aw))) add(a);
      }
    }
    if (!CJK.test(text)) return found;
    // Every CJK alias has a Hangul or Han character: all of its occurrences are in this beginning of squash(text), and the
    // characters there (in their order of first occurrence) reach the same aliases in the same order.
    const squashed = squashAroundCjk(text, longestCjk);
    const present = distinctChars(squashed);
    // A needle with a character the text lacks is not in it: most CJK aliases start with a Latin word (conda 환경) whose
    // letters any log has, and each includes() would scan the whole paste.
    for (const c of present.order) {
      for (const a of cjkBuckets.get(c) ?? []) if (a.chars.every(present.has) && squashed.includes(a.needle)) add(a);
    }
    present.clear();
    return found;
  }

  // Whether a Korean or Chinese word has a bigram the index knows, by word: the post, its focus and its title share
  // their words, and each answer normalizes and tokenizes the word again.
  const coveredWord = memoize(COVERED_WORDS, (word: string) => tokenize(normalizeText(word)).some(stats.known));

  /** Searches one text: the asked language and English (pasted logs and codes are English). */
  function searchText(text: string, query: Query, foreign: boolean, typed: ReadonlySet<string>): TextMatch {
    // A question about another service (Azure OpenAI's 429) must earn its answer from its words, not its statuses.
    const all = queryTerms(text, text === query.text ? query.tokens : undefined).filter((t) => !(foreign && /^\d{3}$/.test(t)));
    const terms = selectTerms(all, stats, policy.maxTerms, policy.commonShare, policy.maxTermDocs);
    const langs: Lang[] = query.lang === 'en' ? ['en'] : [query.lang, 'en'];
    const typos = typoCandidates(
      terms.filter((t) => typed.has(t)),
      stats,
      policy.maxTypos,
    );
    // A term no document contains matches nothing unless it may match by typo or prefix: it is not searched, nor kept
    // in the per-term memo (a unique question's reference number, a log's ids and timings: 02t10, 123z). Only a term of
    // ASCII letters and digits is known to be its own one search term; any other is searched (the index reads it again).
    const searched = terms.filter((t) => stats.known(t) || typos.has(t) || !PLAIN_TERM.test(t));
    const results = index.searchTerms(searched, { langs, expand: (t) => typos.has(t) });
    const scores = new Map<string, number>();
    // Each topic's matched terms, one list per language's result: most topics that match are no candidate, so the lists
    // are only gathered, not merged.
    const termLists = new Map<string, string[][]>();
    let top = 0;
    for (const r of results) {
      const s = (scores.get(r.topicId) ?? 0) + r.score * (r.lang === query.lang ? 1 : policy.otherLang);
      scores.set(r.topicId, s);
      if (s > top) top = s;
      const lists = termLists.get(r.topicId);
      if (lists) lists.push(r.queryTerms);
      else termLists.set(r.topicId, [r.queryTerms]);
    }
    // Unknown CJK bigrams are mostly seams between words (배포를 → 포를) or phrasing, not missing
    // evidence; unknown Latin words are. A topic matches only searched terms: coverage adds up their weights alone
    // (any other term would add 0), in the same order, not the thousand terms of a pasted log per candidate.
    const searchedSet = new Set(searched);
    const matchable: Array<[string, number]> = [];
    const slot = new Map<string, number>();
    let total = 0;
    for (const t of all) {
      if (!stats.known(t) && isCjkToken(t)) continue;
      const w = idf(t);
      total += w;
      if (searchedSet.has(t)) slot.set(t, matchable.push([t, w]) - 1);
    }
    // A Korean or Chinese word none of whose bigrams the index knows is missing evidence too (never matchable).
    for (const w of cjkWords(text)) if (!coveredWord(w)) total += idf(w);
    return { scores, matched: termLists, top, matchable, slot, total };
  }

  // Which matchable terms the topic being measured matched, by slot (reset after each use): coverage marks them
  // here rather than making a set of each candidate's terms.
  let marks = new Uint8Array(64);

  /** Rarity-weighted share of a text's terms that a topic matched. */
  function coverage(match: TextMatch, topicId: string): number {
    const lists = match.matched.get(topicId);
    if (!match.total || !lists) return 0;
    const { matchable, slot } = match;
    if (marks.length < matchable.length) marks = new Uint8Array(matchable.length);
    for (const list of lists) {
      for (const t of list) {
        const k = slot.get(t);
        if (k !== undefined) marks[k] = 1;
      }
    }
    // Summed in the text's order, as the weights always were.
    let sum = 0;
    for (let k = 0; k < matchable.length; k++) {
      if (marks[k]) {
        sum += matchable[k][1];
        marks[k] = 0;
      }
    }
    return sum / match.total;
  }

  /**
   * The words a candidate may show as telling, with their rarity, for one question: whole Latin words, not numbers
   * (a CJK bigram can be half of one word and half of the next: 配额不足 → 额不). Every such matched term is matchable.
   */
  function tellingWords(matches: Array<TextMatch | undefined>): Map<string, number> {
    const telling = new Map<string, number>();
    for (const match of matches) {
      for (const [t, w] of match?.matchable ?? []) if (t.length >= 3 && !isCjkToken(t) && !/^\d+$/.test(t)) telling.set(t, w);
    }
    return telling;
  }

  // The telling words of the candidate being ranked (emptied for each).
  const tellingScratch: string[] = [];

  return {
    rank(query) {
      const foreign = query.offDomainHint && !query.currentHint;
      // People mistype what they type (the title, a one-line question), not what they paste: only
      // those words may match fuzzily, and each fuzzy lookup walks the whole term tree.
      const typedText = query.title ?? (query.focus === query.text ? query.text : '');
      const typed = new Set(queryTerms(typedText, typedText === query.text ? query.tokens : undefined));
      const whole = searchText(query.text, query, foreign, typed);
      // A one-line question is its own focus: search it once.
      const focus = !query.focus ? undefined : query.focus === query.text ? whole : searchText(query.focus, query, foreign, typed);
      const title = query.title ? searchText(query.title, query, foreign, typed) : undefined;
      const ids = new Set<string>();
      for (const [id] of topK(whole.scores, policy.maxTextCandidates)) ids.add(id);
      // A one-line question's focus is its whole text: the same candidates again.
      if (focus && focus !== whole) for (const [id] of topK(focus.scores, policy.maxTextCandidates)) ids.add(id);
      if (title) for (const [id] of topK(title.scores, policy.maxTitleCandidates)) ids.add(id);

      const codeFeatures = new Map<string, { first: number; other: number; parent: number; code: string }>();
      query.codes.forEach((code, i) => {
        const strength = codeStrength(code, query, policy);
        if (!strength) return;
        const owners = codeTopics.get(code) ?? [];
        // A code both generations own (502: HTTP-502 and v1/RunInputData; 503: HTTP-503 and v1/HTTP-503) is the v1
        // topic's only in a post that says v1, the current topic's only in one that does not.
        const v1Post = query.legacyHint && !query.currentHint;
        const mixed = owners.some((id) => byId.get(id)?.legacy) && owners.some((id) => !byId.get(id)?.legacy);
        for (const id of owners) {
          if (mixed && !!byId.get(id)?.legacy !== v1Post) continue;
          const entry = codeFeatures.get(id) ?? { first: 0, other: 0, parent: 0, code };
          if (i === 0) entry.first = Math.max(entry.first, strength);
          else entry.other = Math.max(entry.other, strength);
          codeFeatures.set(id, entry);
          ids.add(id);
          // A sub-topic inherits its parent's code, so its own evidence can pick it over the parent.
          for (const child of byId.get(id)?.children ?? []) {
            const c = codeFeatures.get(child) ?? { first: 0, other: 0, parent: 0, code };
            c.parent = Math.max(c.parent, strength * (i === 0 ? 1 : policy.inheritedOtherCode));
            codeFeatures.set(child, c);
            ids.add(child);
          }
        }
      });
      for (const id of query.signatureTopics) ids.add(id);
      const framed = foreign ? undefined : withoutFramePaths(query.text);
      const aliasHits = foreign ? new Map<string, Alias[]>() : framed !== undefined ? findAliases(framed) : findAliases(query.text, query.words);
      const focusAliases = foreign || !query.focus ? new Map<string, Alias[]>() : query.focus === query.text ? aliasHits : findAliases(query.focus);
      for (const id of aliasHits.keys()) ids.add(id);
      const symptomFound = [...aliasHits.keys()].some((id) => !byId.get(id)?.diagnostic);
      const isUnexplained = unexplained(query, symptomFound);
      for (const topic of diagnostics) if (domainFeaturesInto({} as DomainFeatures, topic, query, policy, isUnexplained).diagnosticFit) ids.add(topic.id);
      const queryStatus = query.codes.some(isStatus);

      const statementText = query.statements.join('\n').toLowerCase();
      // A one-line question is its own focus: its terms once, in the same order. Else the focus's terms come first.
      const shownMatches = !focus || focus === whole ? [whole] : [focus, whole];
      const tellingIdf = tellingWords(shownMatches);
      const hits: Candidate[] = [];
      for (const id of ids) {
        const topic = byId.get(id);
        if (!topic) continue;
        const code = codeFeatures.get(id);
        const found = aliasHits.get(id) ?? [];
        const wholeCoverage = coverage(whole, id);
        // Fields in FEATURES' order; the domain features are added last (as spreading them did).
        const features = {
          text: whole.top ? (whole.scores.get(id) ?? 0) / whole.top : 0,
          focus: focus?.top ? (focus.scores.get(id) ?? 0) / focus.top : 0,
          title: title?.top ? (title.scores.get(id) ?? 0) / title.top : 0,
          coverage: wholeCoverage,
          focusCoverage: focus === whole ? wholeCoverage : focus ? coverage(focus, id) : 0,
          firstCode: code?.first ?? 0,
          otherCode: code?.other ?? 0,
          parentCode: code?.parent ?? 0,
          signature: query.signatureTopics.includes(id) ? 1 : 0,
          alias: Math.min(found.length, 2),
          aliasFocus: focusAliases.has(id) ? 1 : 0,
          aliasOutput: found.some((a) => statementText.includes(a.text.toLowerCase())) ? 1 : 0,
          signatureOutput: query.signatureHits.some((h) => h.topic === id && statementText.includes(h.text.toLowerCase())) ? 1 : 0,
          libraryOutOfContext: topic.library && !query.servingHint && query.ownAppHint ? 1 : 0,
          otherStatus: queryStatus && statusTopics.has(id) && !topic.codes.some((c) => isStatus(c) && query.codes.includes(c)) ? 1 : 0,
          // Another topic's message, not a sub-topic's (a parent's code and its sub-topic's message agree).
          codeUnderSignature:
            code &&
            (code.first || code.other) &&
            !query.signatureTopics.includes(id) &&
            query.signatureTopics.some((t) => byId.get(t)?.parent !== id && topic.parent !== t)
              ? 1
              : 0,
        } as Record<Feature, number>;
        domainFeaturesInto(features, topic, query, policy, isUnexplained);
        const reasons: string[] = [];
        const evidence: Evidence[] = [];
        if (code && (code.first || code.other)) {
          reasons.push('code');
          evidence.push({ kind: 'code', text: code.code, inOutput: statementText.includes(code.code.toLowerCase()) });
        }
        if (code?.parent) {
          reasons.push('parent-code');
          if (!code.first && !code.other) evidence.push({ kind: 'code', text: code.code, inOutput: statementText.includes(code.code.toLowerCase()) });
        }
        if (features.signature) {
          reasons.push('signature');
          const text = query.signatureHits.find((h) => h.topic === id)?.text ?? '';
          evidence.unshift({ kind: 'signature', text, inOutput: statementText.includes(text.toLowerCase()) });
        }
        if (found.length) {
          reasons.push('alias');
          evidence.push({ kind: 'alias', text: found[0].text, inOutput: statementText.includes(found[0].text.toLowerCase()) });
        }
        if (features.text || features.focus) {
          reasons.push('text');
          // A word already shown as a code, signature or alias says nothing more. The matched words, each once, rarest
          // first and in order of first match among equally rare ones (what a stable sort of them by rarity gives): each
          // goes in after the words at least as rare, in one array kept for every candidate.
          const shown = evidence.length ? evidence.map((e) => e.text.toLowerCase()).join('\n') : '';
          const telling = tellingScratch;
          telling.length = 0;
          for (const match of shownMatches) {
            for (const list of match.matched.get(id) ?? []) {
              for (const t of list) {
                const rarity = tellingIdf.get(t);
                if (rarity === undefined || telling.includes(t) || shown.includes(t)) continue;
                let k = telling.length;
                for (telling.push(t); k > 0 && tellingIdf.get(telling[k - 1])! < rarity; k--) telling[k] = telling[k - 1];
                telling[k] = t;
              }
            }
          }
          if (telling.length) evidence.push({ kind: 'text', text: telling.slice(0, 3).join(', '), inOutput: false });
        }
        hits.push({ topicId: id, score: rankScore(features, policy), reasons, features, evidence: evidence.length > 3 ? evidence.slice(0, 3) : evidence });
      }
      hits.sort((a, b) => b.score - a.score || (a.topicId < b.topicId ? -1 : 1));
      return { hits, textTop: whole.top, focusTop: focus?.top ?? 0 };
    },
  };
}
