import type { AnswerStatus, Lang } from '../engine/types.ts';
import type { Gap, GapExample, Insights, InsightsQuery } from './types.ts';

/** One row of the answer counts: answers of one language, topic ('' for none) and status. */
export interface AnswerCount {
  lang: Lang;
  topicId: string;
  status: AnswerStatus;
  n: number;
}

/** One row of the feedback counts, grouped by the language and topic of the answer it is about. */
export interface FeedbackCount {
  lang: Lang;
  topicId: string;
  helpful: boolean;
  n: number;
}

/** A gap's newest examples of each kind, newest first, at most `InsightsQuery.examples` each. */
export interface GapExamples {
  notFound: GapExample[];
  unhelpful: GapExample[];
}

/** Fetches one gap's examples (a couple of indexed queries in a database store). */
export type ExamplesOf = (lang: Lang, topicId: string, limit: number) => Promise<GapExamples>;

/** Newest first; on equal times a not_found answer comes before 👎 feedback, each list keeping its order. */
export function mergeExamples({ notFound, unhelpful }: GapExamples, limit: number): GapExample[] {
  return [...notFound, ...unhelpful].sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0)).slice(0, limit);
}

/**
 * Builds /insights from the count tables (one row per language × topic × status, so this is small
 * however many records there are) plus a few examples per gap. Shared by every store.
 */
export async function assembleInsights(
  answerCounts: AnswerCount[],
  feedbackCounts: FeedbackCount[],
  query: InsightsQuery,
  examplesOf: ExamplesOf,
): Promise<Insights> {
  const wanted = (lang: Lang) => query.lang === undefined || lang === query.lang;
  const totals = { answers: 0, notFound: 0, feedback: 0, unhelpful: 0 };
  const gaps = new Map<string, Gap>();
  const helpful = new Map<string, number>();
  const gapFor = (lang: Lang, topicId: string) => {
    const key = `${topicId}\u0000${lang}`;
    let gap = gaps.get(key);
    if (!gap) gaps.set(key, (gap = { topicId: topicId === '' ? null : topicId, lang, notFound: 0, unhelpful: 0, helpful: 0, examples: [] }));
    return gap;
  };
  for (const c of answerCounts) {
    if (!wanted(c.lang) || c.n === 0) continue;
    totals.answers += c.n;
    if (c.status !== 'not_found') continue;
    totals.notFound += c.n;
    gapFor(c.lang, c.topicId).notFound += c.n;
  }
  for (const c of feedbackCounts) {
    if (!wanted(c.lang) || c.n === 0) continue;
    totals.feedback += c.n;
    if (c.helpful) {
      const key = `${c.topicId}\u0000${c.lang}`;
      helpful.set(key, (helpful.get(key) ?? 0) + c.n);
      continue;
    }
    totals.unhelpful += c.n;
    gapFor(c.lang, c.topicId).unhelpful += c.n;
  }
  await Promise.all(
    [...gaps].map(async ([key, gap]) => {
      gap.helpful = helpful.get(key) ?? 0;
      if (query.examples === 0) return;
      gap.examples = mergeExamples(await examplesOf(gap.lang, gap.topicId ?? '', query.examples), query.examples);
    }),
  );
  const sorted = [...gaps.values()].sort(
    (x, y) => y.notFound + y.unhelpful - (x.notFound + x.unhelpful) || String(x.topicId).localeCompare(String(y.topicId)) || x.lang.localeCompare(y.lang),
  );
  return { totals, gaps: sorted };
}
