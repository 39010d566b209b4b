/**
 * The ranking policy: every number that decides an answer, in one place, each with its meaning.
 *
 * A topic candidate is described by FEATURES (computed in answer/rank.ts); its score is the dot
 * product with `weights`. Whether to answer at all is a logistic model over DECISION_FEATURES of the
 * best candidate (decide.ts). Both weight vectors are fitted to data by `npm run fit`
 * (test/eval/fit.ts: pairwise logistic regression for the ranking, logistic regression for the
 * decision, on the real-question `tune` split plus the dev sets) and written to policy.fitted.json;
 * the defaults below are the hand-set starting point and what the unit tests' tiny knowledge bases use.
 */
import fitted from './policy.fitted.json' with { type: 'json' };

/** Features of one (question, topic) pair, in this order. All are 0 when there is no such evidence. */
export const FEATURES = [
  /** Full-text score of the whole question for this topic, relative to the best topic (0–1). */
  'text',
  /** Full-text score of the title and error statements only, relative to the best (0–1). */
  'focus',
  /** Full-text score of the post's title alone, relative to the best (0–1; 0 for a one-line question). */
  'title',
  /** Rarity-weighted share of the question's terms this topic matches (0–1). */
  'coverage',
  /** Rarity-weighted share of the title's and statements' terms this topic matches (0–1). */
  'focusCoverage',
  /** The topic owns the question's most specific error code (× code strength, see below). */
  'firstCode',
  /** The topic owns another code of the question (× code strength). */
  'otherCode',
  /** The topic's parent owns a code of the question (a sub-topic inherits it). */
  'parentCode',
  /**
   * A known error message of this topic (signature) occurs in the question. A product rule, not fitted (3): a
   * message the service prints for one topic outweighs words that other sections share; fitted, it fell below an alias.
   */
  'signature',
  /** Phrases this topic is known by (aliases) found in the question: 0, 1 or 2 (two or more). */
  'alias',
  /** An alias found in the title or an error statement. */
  'aliasFocus',
  /** An alias found in an error statement of the pasted output (what the service printed, not the user's words). */
  'aliasOutput',
  /** The topic's signature occurs in an error statement of the pasted output, not only in the user's words or code. */
  'signatureOutput',
  /**
   * An HTTP status topic when the question reports another HTTP status and not this one: a 504 after raising
   * `request_timeout_ms` is not the 408 topic the setting's name points to. A product rule, not fitted: -4
   * outweighs another status topic's words matched twice (a Korean 요청 타임아웃 and request_timeout_ms).
   */
  'otherStatus',
  /**
   * A topic whose evidence is a third-party library's message (catalog `library`: Flask's register(), Jinja2's
   * Markup) in a post about the user's own Flask app (`from flask import`, `python app.py`, "my flask application")
   * that never places itself in serving a model: a plain Flask app's error, not the inference server's. Anything else
   * asked here is taken as ours, however many lines it has ("Thanks in advance!" after the error changes nothing).
   * A product rule, not fitted.
   */
  'libraryOutOfContext',
  /** Legacy (v1) topic and the question names the v1 SDK / ACI / AKS web services. */
  'legacyFit',
  /** Legacy topic, no v1 hint: 2 when the question names v2, `legacyUnsaid` when it names neither. */
  'legacyMiss',
  /** Current (v2) topic and the question names the v1 SDK without any v2 word: 2 when it prints a message only v1 prints. */
  'currentUnderLegacy',
  /** Batch topic and the question is about batch endpoints/jobs. */
  'batchFit',
  /** Batch topic, no batch hint. */
  'batchMiss',
  /** Non-batch topic and the question is about batch. */
  'otherUnderBatch',
  /**
   * The topic has only a code (no signature) while another topic's signature is in the question: a
   * wrapper code (InferencingClientCallFailed, an HTTP status) around a more specific message. Not
   * fitted: -3 takes back about what a first code gives over a printed signature, so the message wins.
   */
  'codeUnderSignature',
  /**
   * The topic is where to look first in the question's area (v1 web services, batch, online
   * endpoints: its logs) and the question reports a failure: the answer when nothing more specific is known.
   */
  'diagnosticFit',
] as const;
export type Feature = (typeof FEATURES)[number];

/** Features of the best candidate and of the question that decide answer vs not_found. */
export const DECISION_FEATURES = [
  /** Always 1 (the intercept). */
  'bias',
  /** The best candidate's ranking score. */
  'score',
  /** Best score minus the runner-up's. */
  'margin',
  /** The best candidate has a code, parent code, signature or alias. */
  'strong',
  /** The best candidate owns the question's most specific code (× code strength). */
  'code',
  /** The best candidate's signature occurs in the question. */
  'signature',
  /** Aliases of the best candidate found (0–2). */
  'alias',
  /** Full-text score of the title and statements for the best candidate, relative to the best (0–1). */
  'focus',
  /** log10 of the question's length in characters / 4: long posts match a smaller share of their words. */
  'length',
  'coverage',
  'focusCoverage',
  /** log(1 + raw full-text score of the best topic) / 5: absolute textual evidence. */
  'textStrength',
  /** The question is about another product (Azure OpenAI, SageMaker, …). */
  'offDomain',
  /** The question is about another part of Azure ML (training jobs, compute instances) and not about deploying or scoring. */
  'otherFeature',
  /** The question mentions Azure ML at all (Azure, endpoint, deployment, workspace, 엔드포인트, 终结点 …). */
  'inDomain',
  /** The post has error statements. */
  'hasStatements',
  /**
   * The question reports a failure and names the area of the best candidate (the v1 SDK's web
   * services, batch endpoints): a failure placed in its area is evidence even in words no topic shares.
   */
  'areaFailure',
  /** The best candidate is a v1 topic and the question does not name v1: its words alone are weak evidence. */
  'legacyUnsaid',
] as const;
export type DecisionFeature = (typeof DECISION_FEATURES)[number];

/** The whole policy. */
export interface RankPolicy {
  weights: Record<Feature, number>;
  decision: Record<DecisionFeature, number>;
  /**
   * Answer when the decision model's probability is at least this. Above even odds: a wrong answer costs a
   * user more than "not found" with the closest topics offered (4-fold CV on `tune`: 1 answer fewer, 2 more
   * off-topic posts rejected than at 0.5).
   */
  answerThreshold: number;
  /** A runner-up within this share of the winner's score is offered as an alternative. */
  closeRatio: number;
  /** Strength of an HTTP status as a code (many failures print "500"); a named code is 1. */
  statusCode: number;
  /** Strength of a code found only spelled out in words ("internal server error"). */
  spelledCode: number;
  /** Weight of a full-text match in the other language's index (English for a ko/zh question). */
  otherLang: number;
  /** Query terms found in more than this share of the documents of their script are not searched. */
  commonShare: number;
  /** Query terms found in more than this many documents are not searched (large corpora). */
  maxTermDocs: number;
  /** At most this many unknown Latin words match fuzzily or by prefix (typos of codes). */
  maxTypos: number;
  /**
   * At most this many query terms are searched, rarest first. A Korean or Chinese post spends its budget on
   * bigrams; 48 (was 32) let their pasted English count too (4-fold CV on `tune`: ko +2, zh +2; 64: en −1).
   */
  maxTerms: number;
  /** Full-text candidates kept per question (whole text, and title + statements). */
  maxTextCandidates: number;
  /** Full-text candidates kept from the title alone. */
  maxTitleCandidates: number;
  /** Share of a parent's other (not most specific) code a sub-topic inherits. */
  inheritedOtherCode: number;
  /**
   * The `legacyMiss` of a v1 topic when the question names neither SDK generation (1 = as when it
   * names v1's absence outright). Real v1 posts often name only their error, in words no v1 hint knows.
   */
  legacyUnsaid: number;
  /**
   * A post longer than this (characters; a Korean or Chinese one counts twice), with a title over its story as an
   * issue has, that never names Azure ML (`productNamed`) is answered only on a code (not an HTTP status) or a message
   * of a topic's own: its words and statuses are shared with every platform, and such a post is most often another
   * product's (App Service, Triton, a plain Kubernetes app). A question typed to this bot (short, or a paragraph with
   * no title) is about Azure ML; a long post that is says so, in its words or in what it pasted (azureml-app, az ml).
   */
  unplacedPostChars: number;
  /**
   * Codes that every Azure service or every Kubernetes cluster prints too (Resource Manager's InternalServerError,
   * BadArgument, ResourceNotFound, OperationCanceled; the kubelet's ErrImagePull, ImagePullBackOff, OOMKilled): in a
   * post held to `unplacedPostChars` they place nothing, as an HTTP status places nothing.
   */
  platformCodes: readonly string[];
}

/** Hand-set weights: the starting point of the fit and the policy of the unit tests. */
export const defaultPolicy: RankPolicy = {
  weights: {
    text: 1,
    focus: 1,
    title: 0.5,
    coverage: 0.5,
    focusCoverage: 0.5,
    firstCode: 4,
    otherCode: 2,
    parentCode: 3,
    signature: 3,
    alias: 1,
    aliasFocus: 0.5,
    aliasOutput: 0,
    signatureOutput: 0,
    otherStatus: -4,
    libraryOutOfContext: -3,
    legacyFit: 0.5,
    legacyMiss: -1,
    currentUnderLegacy: -2,
    batchFit: 0.5,
    batchMiss: -1,
    otherUnderBatch: -0.3,
    codeUnderSignature: -3,
    diagnosticFit: 0,
  },
  decision: {
    bias: -4,
    score: 0.5,
    margin: 0.5,
    strong: 2,
    code: 0,
    signature: 0,
    alias: 0,
    focus: 0,
    length: 0,
    coverage: 3,
    focusCoverage: 0,
    textStrength: 0.5,
    offDomain: -3,
    otherFeature: -2,
    inDomain: 1.5,
    hasStatements: 0,
    areaFailure: 0,
    legacyUnsaid: 0,
  },
  answerThreshold: 0.55,
  closeRatio: 0.85,
  statusCode: 0.6,
  spelledCode: 0.6,
  otherLang: 0.8,
  commonShare: 0.5,
  maxTermDocs: 1000,
  maxTypos: 3,
  maxTerms: 48,
  maxTextCandidates: 40,
  maxTitleCandidates: 5,
  inheritedOtherCode: 0.5,
  legacyUnsaid: 0.5,
  unplacedPostChars: 300,
  platformCodes: [
    'InternalServerError',
    'BadArgument',
    'ResourceNotFound',
    'OperationCanceled',
    'OperationCancelled',
    'ErrImagePull',
    'ImagePullBackOff',
    'OOMKilled',
  ],
};

/** The shipped policy: the defaults with the fitted weights (policy.fitted.json) over them. */
export const shippedPolicy: RankPolicy = {
  ...defaultPolicy,
  weights: { ...defaultPolicy.weights, ...(fitted.weights as Partial<Record<Feature, number>>) },
  decision: { ...defaultPolicy.decision, ...(fitted.decision as Partial<Record<DecisionFeature, number>>) },
};

/** The score of a feature vector under the policy's weights. */
export function rankScore(features: Record<Feature, number>, policy: RankPolicy): number {
  const w = policy.weights;
  // FEATURES' order, written out: named loads, not a keyed load per feature (a test checks the two agree).
  let s = 0;
  s += features.text * w.text;
  s += features.focus * w.focus;
  s += features.title * w.title;
  s += features.coverage * w.coverage;
  s += features.focusCoverage * w.focusCoverage;
  s += features.firstCode * w.firstCode;
  s += features.otherCode * w.otherCode;
  s += features.parentCode * w.parentCode;
  s += features.signature * w.signature;
  s += features.alias * w.alias;
  s += features.aliasFocus * w.aliasFocus;
  s += features.aliasOutput * w.aliasOutput;
  s += features.signatureOutput * w.signatureOutput;
  s += features.otherStatus * w.otherStatus;
  s += features.libraryOutOfContext * w.libraryOutOfContext;
  s += features.legacyFit * w.legacyFit;
  s += features.legacyMiss * w.legacyMiss;
  s += features.currentUnderLegacy * w.currentUnderLegacy;
  s += features.batchFit * w.batchFit;
  s += features.batchMiss * w.batchMiss;
  s += features.otherUnderBatch * w.otherUnderBatch;
  s += features.codeUnderSignature * w.codeUnderSignature;
  s += features.diagnosticFit * w.diagnosticFit;
  return s;
}

/** The decision model's probability that the best candidate is a right answer. */
export function answerProbability(features: Record<DecisionFeature, number>, policy: RankPolicy): number {
  let z = 0;
  for (const f of DECISION_FEATURES) z += features[f] * policy.decision[f];
  return 1 / (1 + Math.exp(-z));
}
