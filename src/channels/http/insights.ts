import type { AnswerRecord, FeedbackRecord } from '../../store/types.ts';
import type { Lang } from '../../engine/types.ts';

/** One question that shows a content gap. */
export interface GapExample {
  answerId: string;
  at: string;
  status: AnswerRecord['status'];
  question?: string;
  helpful?: boolean;
  step?: number;
  comment?: string;
}

/** Gaps of one topic (null: no topic matched) in one language. */
export interface Gap {
  topicId: string | null;
  lang: Lang;
  notFound: number;
  unhelpful: number;
  helpful: number;
  examples: GapExample[];
}

export interface Insights {
  totals: { answers: number; notFound: number; feedback: number; unhelpful: number };
  gaps: Gap[];
}

/**
 * Groups `not_found` answers and 👎 feedback by topic and language, worst first, so content
 * authors see what to write next. Pure: takes the store's records, returns plain data.
 */
export function computeInsights(answers: AnswerRecord[], feedback: FeedbackRecord[], opts: { lang?: Lang; examples: number }): Insights {
  const byId = new Map(answers.map((a) => [a.id, a]));
  const gaps = new Map<string, Gap>();
  const gapFor = (a: AnswerRecord) => {
    const key = `${a.topicId ?? ''}\u0000${a.lang}`;
    let gap = gaps.get(key);
    if (!gap) gaps.set(key, (gap = { topicId: a.topicId ?? null, lang: a.lang, notFound: 0, unhelpful: 0, helpful: 0, examples: [] }));
    return gap;
  };
  const wanted = (a: AnswerRecord) => opts.lang === undefined || a.lang === opts.lang;
  const example = (a: AnswerRecord): GapExample => ({
    answerId: a.id,
    at: a.at,
    status: a.status,
    ...(a.question !== undefined ? { question: a.question } : {}),
  });
  let notFound = 0;
  for (const a of answers) {
    if (a.status !== 'not_found' || !wanted(a)) continue;
    notFound++;
    const gap = gapFor(a);
    gap.notFound++;
    gap.examples.push(example(a));
  }
  let unhelpful = 0;
  let counted = 0;
  const helpfulByKey = new Map<string, number>();
  for (const f of feedback) {
    const a = byId.get(f.answerId);
    if (!a || !wanted(a)) continue;
    counted++;
    if (f.helpful) {
      const key = `${a.topicId ?? ''}\u0000${a.lang}`;
      helpfulByKey.set(key, (helpfulByKey.get(key) ?? 0) + 1);
      continue;
    }
    unhelpful++;
    const gap = gapFor(a);
    gap.unhelpful++;
    gap.examples.push({
      ...example(a),
      helpful: false,
      ...(f.step !== undefined ? { step: f.step } : {}),
      ...(f.comment !== undefined ? { comment: f.comment } : {}),
    });
  }
  for (const [key, gap] of gaps) {
    gap.helpful = helpfulByKey.get(key) ?? 0;
    gap.examples = gap.examples.sort((x, y) => y.at.localeCompare(x.at)).slice(0, opts.examples);
  }
  const sorted = [...gaps.values()].sort(
    (x, y) => y.notFound + y.unhelpful - (x.notFound + x.unhelpful) || String(x.topicId).localeCompare(String(y.topicId)) || x.lang.localeCompare(y.lang),
  );
  return { totals: { answers: answers.filter(wanted).length, notFound, feedback: counted, unhelpful }, gaps: sorted };
}
