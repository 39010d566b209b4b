import type { Hit, Topic } from './types.ts';

/** Thresholds for turning ranked hits into a status; tuned on the dev eval (test/eval). */
export const DECISION = {
  /** Minimum rarity-weighted share of the question's terms the best text match must cover when nothing else matched. */
  minCoverage: 0.2,
  /** Minimum raw full-text score of the best topic when nothing else matched. */
  minText: 100,
  /** Below this coverage, a text-only winner must also stand out from the runner-up by `minMargin`. */
  clearCoverage: 0.4,
  minMargin: 0.15,
  /** A runner-up within this share of the winner's score is offered as an alternative. */
  closeRatio: 0.85,
};

/** The status, chosen topic and alternatives for ranked hits. */
export interface Decision {
  status: 'answered' | 'clarify' | 'not_found';
  topicId?: string;
  alternatives: string[];
  confidence: number;
}

const STRONG = new Set(['code', 'parent-code', 'signature', 'alias']);

/** Decides between answering, asking to clarify and not found. */
export function decide(hits: Hit[], coverage: number, textTop: number, topics: Map<string, Topic>): Decision {
  const top = hits[0];
  if (!top) return { status: 'not_found', alternatives: [], confidence: 0 };
  const strong = top.reasons.some((r) => STRONG.has(r));
  const margin = hits[1] ? (top.score - hits[1].score) / Math.max(top.score, 1e-9) : 1;
  // With nothing but words to go on: enough of the question must match, and a half-matching question
  // must point at one topic rather than at several equally (near-domain questions do the latter).
  const weak = coverage < DECISION.minCoverage || textTop < DECISION.minText || (coverage < DECISION.clearCoverage && margin < DECISION.minMargin);
  if (!strong && weak) return { status: 'not_found', alternatives: [], confidence: 0 };
  const topic = topics.get(top.topicId)!;
  const close = hits.slice(1, 4).filter((h) => h.score >= top.score * DECISION.closeRatio).map((h) => h.topicId);
  const separation = Math.min(1, margin + 0.5);
  const evidence = Math.min(1, (strong ? 0.6 : 0.3) + coverage * 0.5);
  const confidence = Math.max(0.05, Math.min(1, evidence * separation));
  // A parent such as OutOfQuota whose sub-topics were not told apart by their own words: answer it and ask which one.
  if (topic.children.length && !top.reasons.includes('signature')) {
    const childEvidence = hits.some((h) => topic.children.includes(h.topicId) && h.reasons.some((r) => r === 'alias' || r === 'signature'));
    if (!childEvidence) return { status: 'clarify', topicId: top.topicId, alternatives: topic.children, confidence };
  }
  return { status: 'answered', topicId: top.topicId, alternatives: close.filter((id) => id !== top.topicId), confidence };
}
