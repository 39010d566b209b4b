import { words, isCjkToken } from '../search/tokenize.ts';
import { queryTerms, selectTerms, typoCandidates, type SearchIndex, type TermStats } from '../search/index.ts';
import type { Hit, Lang, Query, Topic } from '../types.ts';

/** Scoring weights; exported so the eval can show what they are. */
export const WEIGHTS = {
  firstCode: 4,
  otherCode: 2,
  /** Share of a code bonus that an HTTP status gets. */
  statusCode: 0.6,
  spelledCode: 0.6,
  legacyWithCurrentHint: 0.5,
  inheritedCode: 1,
  signature: 3,
  alias: 1,
  secondAlias: 0.5,
  legacyWithHint: 1.3,
  legacyWithoutHint: 0.7,
  batchWithHint: 1.4,
  batchWithoutHint: 0.75,
  currentWithLegacyHint: 0.5,
  otherWithBatchHint: 0.85,
  otherLang: 0.8,
  commonShare: 0.5,
  maxTermDocs: 1000,
  maxTypos: 3,
  maxTerms: 32,
  maxTextCandidates: 40,
};

interface Alias {
  topic: string;
  needle: string;
  /** Latin aliases must match whole words; CJK aliases match anywhere (no spaces in Chinese). */
  latin: boolean;
}

const CJK = /[\u3130-\u318f\uac00-\ud7af\u3400-\u9fff]/;

function squash(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}]+/gu, '');
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
function codeWeight(code: string, query: Query): number {
  if (/^\d+$/.test(code)) return query.offDomainHint && !query.currentHint ? 0 : WEIGHTS.statusCode;
  return query.spelledCodes.includes(code) ? WEIGHTS.spelledCode : 1;
}

/** Current (v2) topics win unless the question says v1; batch topics need a batch hint. */
export function domainFactor(topic: Topic, query: Pick<Query, 'legacyHint' | 'currentHint' | 'batchHint'>): number {
  let factor = 1;
  if (topic.legacy) factor *= query.legacyHint ? WEIGHTS.legacyWithHint : query.currentHint ? WEIGHTS.legacyWithCurrentHint : WEIGHTS.legacyWithoutHint;
  else if (query.legacyHint) factor *= WEIGHTS.currentWithLegacyHint;
  if (topic.id.startsWith('batch/')) factor *= query.batchHint ? WEIGHTS.batchWithHint : WEIGHTS.batchWithoutHint;
  else if (query.batchHint) factor *= WEIGHTS.otherWithBatchHint;
  return factor;
}

/** Ranks catalog topics for a query from codes, signatures, aliases and full-text evidence. */
export interface Ranker {
  rank(query: Query): { hits: Hit[]; coverage: number; textTop: number };
}

/** Builds the ranker over the catalog and the index. */
export function createRanker(topics: Topic[], index: SearchIndex, stats: TermStats): Ranker {
  const idf = stats.idf;
  const byId = new Map(topics.map((t) => [t.id, t]));
  const codeTopics = new Map<string, string[]>();
  const codeOf = new Map<string, string>();
  for (const t of topics) for (const c of t.codes) codeOf.set(c.toLowerCase(), c);
  for (const t of topics) {
    // `batch/ResourceNotFound` answers to the code ResourceNotFound too; the batch hint then decides.
    const [ns, suffix] = t.id.split('/');
    const implied = (ns === 'batch' || ns === 'v1') && suffix ? codeOf.get(suffix.toLowerCase()) : undefined;
    for (const c of new Set([...t.codes, ...(implied ? [implied] : [])])) codeTopics.set(c, [...(codeTopics.get(c) ?? []), t.id]);
  }
  const aliases: Alias[] = topics.flatMap((t) =>
    (['en', 'ko', 'zh'] as const).flatMap((l) =>
      t.aliases[l].filter((a) => a.trim().length >= 2).map((a) => {
        const latin = !CJK.test(a);
        return { topic: t.id, latin, needle: latin ? ` ${words(a).join(' ')} ` : squash(a) };
      }),
    ),
  );
  // Aliases bucketed by their first word (Latin) or first character (CJK): a question only tests
  // the few whose start it contains, not all of them.
  const aliasBuckets = new Map<string, Alias[]>();
  for (const a of aliases) {
    const key = a.latin ? `w:${a.needle.trim().split(' ')[0]}` : `c:${Array.from(a.needle)[0]}`;
    aliasBuckets.set(key, [...(aliasBuckets.get(key) ?? []), a]);
  }

  return {
    rank(query) {
      const scores = new Map<string, { score: number; reasons: Set<string> }>();
      const add = (id: string, value: number, reason: string) => {
        const entry = scores.get(id) ?? { score: 0, reasons: new Set<string>() };
        entry.score += value;
        entry.reasons.add(reason);
        scores.set(id, entry);
      };

      // Full text: a topic's score is the sum over its language versions, the asked language counting most.
      // Terms in most documents (엔드포인트's bigrams, 终结点) cost time and tell topics apart poorly.
      // A question about another service (Azure OpenAI's 429 "too many requests") must earn its answer
      // from its words: its HTTP statuses and our aliases for them say nothing about our topics.
      const foreign = query.offDomainHint && !query.currentHint;
      const own = (t: string) => !(foreign && /^\d{3}$/.test(t));
      const candidates = queryTerms(query.text).filter(own);
      const terms = selectTerms(candidates, stats, WEIGHTS.maxTerms, WEIGHTS.commonShare, WEIGHTS.maxTermDocs);
      // The asked language and English (pasted logs and codes are English); the third language adds cost, not evidence.
      const langs: Lang[] = query.lang === 'en' ? ['en'] : [query.lang, 'en'];
      const typos = typoCandidates(terms, stats, WEIGHTS.maxTypos);
      const results = terms.length ? index.search(terms.join(' '), { langs, expand: (t) => typos.has(t) }) : [];
      const text = new Map<string, number>();
      let textTop = 0;
      for (const r of results) {
        const s = (text.get(r.topicId) ?? 0) + r.score * ((r.lang as Lang) === query.lang ? 1 : WEIGHTS.otherLang);
        text.set(r.topicId, s);
        if (s > textTop) textTop = s;
      }
      for (const [id, s] of topK(text, WEIGHTS.maxTextCandidates)) add(id, textTop ? s / textTop : 0, 'text');

      query.codes.forEach((code, i) => {
        const bonus = (i === 0 ? WEIGHTS.firstCode : WEIGHTS.otherCode) * codeWeight(code, query);
        if (!bonus) return;
        for (const id of codeTopics.get(code) ?? []) {
          add(id, bonus, 'code');
          // A sub-topic inherits part of its parent's code, so its own evidence can pick it over the parent.
          for (const child of byId.get(id)?.children ?? []) add(child, bonus * WEIGHTS.inheritedCode, 'parent-code');
        }
      });
      for (const id of query.signatureTopics) add(id, WEIGHTS.signature, 'signature');

      const spaced = ` ${words(query.text).join(' ')} `;
      const squashed = squash(query.text);
      const aliasHits = new Map<string, number>();
      const starts = new Set(spaced.trim().split(' ').map((w) => `w:${w}`));
      for (const c of squashed) starts.add(`c:${c}`);
      for (const key of starts) for (const a of aliasBuckets.get(key) ?? []) {
        if (a.latin ? spaced.includes(a.needle) : squashed.includes(a.needle)) aliasHits.set(a.topic, (aliasHits.get(a.topic) ?? 0) + 1);
      }
      if (!foreign) for (const [id, n] of aliasHits) add(id, WEIGHTS.alias + (n > 1 ? WEIGHTS.secondAlias : 0), 'alias');

      const hits: Hit[] = [];
      for (const [id, entry] of scores) {
        const topic = byId.get(id);
        if (!topic) continue;
        hits.push({ topicId: id, score: entry.score * domainFactor(topic, query), reasons: [...entry.reasons] });
      }
      hits.sort((a, b) => b.score - a.score || (a.topicId < b.topicId ? -1 : 1));
      // Coverage weighs each query term by its rarity, so a common word ("kubernetes") matching
      // while the telling words ("ingress", "tls") are unknown does not look like a good match.
      // Unknown CJK bigrams are mostly seams between words (배포를 → 포를) or question phrasing, not
      // missing evidence; unknown Latin words (ingress, tls) are.
      const all = candidates.filter((t) => stats.known(t) || !isCjkToken(t));
      const total = all.reduce((sum, t) => sum + idf(t), 0);
      const seen = new Set<string>();
      if (hits[0]) for (const r of results) if (r.topicId === hits[0].topicId) for (const t of r.queryTerms) seen.add(t);
      const coverage = total ? all.filter((t) => seen.has(t)).reduce((sum, t) => sum + idf(t), 0) / total : 0;
      return { hits, coverage, textTop };
    },
  };
}
