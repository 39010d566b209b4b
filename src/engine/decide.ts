import { answerProbability, shippedPolicy, type DecisionFeature, type RankPolicy } from './policy.ts';
import type { Candidate, Ranking } from './answer/rank.ts';
import { countCjk } from './text/script.ts';
import type { Evidence, Query, Topic } from './types.ts';

/** The status, chosen topic and alternatives for ranked hits. */
export interface Decision {
  status: 'answered' | 'clarify' | 'not_found';
  topicId?: string;
  alternatives: string[];
  confidence: number;
  evidence: Evidence[];
  /** True when no topic was likely enough and the area's "read the logs" topic is the answer (a first step, not a diagnosis). */
  firstStep?: boolean;
  /** Not found because the post never names Azure ML and no code or message of a topic's own is in it (`unplaced`). */
  unplaced?: boolean;
}

/** What the decision reads of a question. */
export type DecisionQuery = Pick<
  Query,
  | 'offDomainHint'
  | 'inDomainHint'
  | 'productNamed'
  | 'currentHint'
  | 'legacyHint'
  | 'statements'
  | 'text'
  | 'title'
  | 'reportsFailure'
  | 'namesError'
  | 'otherFeatureHint'
  | 'logsHint'
  | 'buildHint'
>;

const STRONG = new Set(['code', 'parent-code', 'signature', 'alias']);

/** The decision model's inputs for the best candidate of a ranking (see DECISION_FEATURES). */
export function decisionFeatures(ranking: Ranking, query: DecisionQuery): Record<DecisionFeature, number> {
  const [top, second] = ranking.hits;
  return {
    bias: 1,
    score: top?.score ?? 0,
    margin: top ? top.score - (second?.score ?? 0) : 0,
    strong: top?.reasons.some((r) => STRONG.has(r)) ? 1 : 0,
    code: top?.features.firstCode ?? 0,
    signature: top?.features.signature ?? 0,
    alias: top?.features.alias ?? 0,
    focus: top?.features.focus ?? 0,
    length: Math.log10(1 + query.text.length) / 4,
    // A post's story and pasted output dilute the share of its words a topic covers: a post is read by its title and errors.
    coverage: (query.title || query.statements.length ? top?.features.focusCoverage : top?.features.coverage) ?? 0,
    focusCoverage: top?.features.focusCoverage ?? 0,
    textStrength: Math.log1p(query.title || query.statements.length ? ranking.focusTop : ranking.textTop) / 5,
    offDomain: query.offDomainHint && !query.currentHint ? 1 : 0,
    otherFeature: query.otherFeatureHint ? 1 : 0,
    inDomain: query.inDomainHint ? 1 : 0,
    hasStatements: query.statements.length ? 1 : 0,
    areaFailure: query.reportsFailure && (top?.features.legacyFit || top?.features.batchFit) ? 1 : 0,
    legacyUnsaid: top?.features.legacyMiss ? 1 : 0,
  };
}

/** Has the candidate evidence of its own (alias or signature), beyond an inherited code or shared words? */
const ownEvidence = (h: Candidate) => h.reasons.includes('alias') || h.reasons.includes('signature');

/** The v1 first steps of each catalog's topics, found once: read the service's logs, read the image build log. */
const legacyFirst = new WeakMap<Map<string, Topic>, { logs?: Topic; build?: Topic }>();
function legacyFirstSteps(topics: Map<string, Topic>): { logs?: Topic; build?: Topic } {
  let found = legacyFirst.get(topics);
  if (!found) {
    const legacy = [...topics.values()].filter((t) => t.legacy);
    legacyFirst.set(topics, (found = { logs: legacy.find((t) => t.diagnostic), build: legacy.find((t) => t.buildLog) }));
  }
  return found;
}

/**
 * A v1 (SDK v1, ACI/AKS web service) deployment that fails without naming its error (it hangs, times
 * out, "does not deploy") and that no topic pins down gets the v1 "read the service's logs" topic: the
 * v1 guide's first step for any failure, and what such real v1 posts need most often; an image or environment
 * that does not build gets the v1 image build topic (read the image build log) instead. Only when the best
 * candidate is a v1 topic as well. Not when the post names an error no topic knows (`TypeError`,
 * `ServiceModelConflict`, 403: the knowledge base does not cover it), not for v2 (its near misses are
 * many and alike), another product, or another part of Azure ML (training, compute instances).
 * "No topic pins it down": no topic is likely enough, or the best one is a post's guess from shared words
 * alone (no code, signature or alias of its own; the post's story shares many words with every v1 section).
 */
function firstStep(ranking: Ranking, query: DecisionQuery, topics: Map<string, Topic>, p: number): Decision | undefined {
  if (!query.legacyHint || query.currentHint || !query.reportsFailure || query.namesError || query.offDomainHint || query.otherFeatureHint) return undefined;
  // An image that does not build: its build log comes first, not the service's.
  const first = legacyFirstSteps(topics);
  const logs = (query.buildHint && first.build) || first.logs;
  // The best candidate must be a v1 topic too: the post's own words, not only a v1 word, point there.
  if (!logs || !topics.get(ranking.hits[0]?.topicId ?? '')?.legacy) return undefined;
  const alternatives = ranking.hits
    .filter((h) => h.topicId !== logs.id && topics.get(h.topicId)?.legacy)
    .slice(0, 2)
    .map((h) => h.topicId);
  const own = ranking.hits.find((h) => h.topicId === logs.id);
  return { status: 'answered', topicId: logs.id, alternatives, confidence: p, evidence: own?.evidence ?? [], firstStep: true };
}

/** A post (it has a title) whose best candidate shares only words with it: a guess from its story, not from its output. */
function guessedFromStory(top: Candidate, query: DecisionQuery): boolean {
  return !!query.title && !top.reasons.some((r) => STRONG.has(r));
}

/** A post's length in Latin characters' worth: a Korean or Chinese character says about as much as two. */
function postLength(text: string, enough: number): number {
  // A paste already longer than enough is long: its Korean or Chinese characters need not be counted.
  return text.length > enough ? text.length : text.length + countCjk(text);
}

/**
 * A long post with a title that never names Azure ML, whose best candidate rests on no code or message of its own: not
 * an HTTP status, nor a code every Azure service or Kubernetes prints (see `unplacedPostChars`, `platformCodes`).
 */
function unplaced(top: Candidate, query: DecisionQuery, policy: RankPolicy): boolean {
  if (query.productNamed || !query.title || postLength(query.text, policy.unplacedPostChars) <= policy.unplacedPostChars) return false;
  const placing = (code: string) => !/^\d{3}$/.test(code) && !policy.platformCodes.includes(code);
  return !top.evidence.some((e) => e.kind === 'signature' || (e.kind === 'code' && placing(e.text)));
}

/**
 * Decides between answering, asking to clarify and not found: answer when the decision model says
 * the best candidate is likely right; a parent such as OutOfQuota whose sub-topics the question does
 * not tell apart is answered with `clarify` and its sub-topics as choices; a sub-topic with evidence
 * of its own is answered instead of its parent (an answered topic always has steps or choices).
 */
export function decide(ranking: Ranking, query: DecisionQuery, topics: Map<string, Topic>, policy: RankPolicy = shippedPolicy): Decision {
  const none: Decision = { status: 'not_found', alternatives: [], confidence: 0, evidence: [] };
  let top = ranking.hits[0];
  // A plain Flask app's error is not the inference server's, however exactly its message matches.
  if (!top || top.features.libraryOutOfContext) return none;
  // Another product's long post shares our words and statuses: its product decides before they do.
  if (unplaced(top, query, policy)) return { ...none, unplaced: true };
  const p = answerProbability(decisionFeatures(ranking, query), policy);
  if (p < policy.answerThreshold) return firstStep(ranking, query, topics, p) ?? none;
  const confidence = Math.round(p * 100) / 100;
  let topic = topics.get(top.topicId)!;
  // "Read the logs" answers a failure, or a question about the logs: not a post that reports neither.
  if (topic.diagnostic && !query.reportsFailure && !ownEvidence(top) && !query.logsHint) return none;
  if (topic.legacy && guessedFromStory(top, query)) {
    const step = firstStep(ranking, query, topics, confidence);
    if (step && step.topicId !== top.topicId) return step;
  }
  if (topic.children.length && !top.reasons.includes('signature')) {
    const child = ranking.hits.find((h) => topic.children.includes(h.topicId) && ownEvidence(h));
    if (!child) return { status: 'clarify', topicId: top.topicId, alternatives: topic.children, confidence, evidence: top.evidence };
    top = child;
    topic = topics.get(child.topicId)!;
  }
  const close = ranking.hits
    .filter((h) => h !== top && h.topicId !== topic.parent)
    .slice(0, 3)
    .filter((h) => h.score >= top.score * policy.closeRatio)
    .map((h) => h.topicId);
  return { status: 'answered', topicId: top.topicId, alternatives: close, confidence, evidence: top.evidence };
}
