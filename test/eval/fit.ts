/**
 * Fits the ranking policy's weights to data and writes src/engine/policy.fitted.json
 * (`npm run fit`; deterministic: same data, same weights).
 *
 * Data: the dev sets (test/eval/dev*.json, our own questions) and the `tune` split of the real
 * posts (test/eval/real.*.jsonl) — never the `check` split, which stays the honest measure.
 * 1. Ranking: pairwise logistic regression (RankNet with a linear scorer). For every answerable
 *    question, each right candidate is paired with each wrong one; the weights learn to score the
 *    right one higher. Real posts weigh REAL_WEIGHT times a dev question: they are what users write.
 * 2. Decision: logistic regression over the best candidate's decision features (after ranking with
 *    the fitted weights): 1 when the question is answerable and the best candidate is right, 0 when
 *    it is off-topic. (An answerable question whose best candidate is wrong is left out: answering
 *    and not answering are both a miss, so it says nothing about where the line should be.)
 * Both use L2 regularization (L2) and full-batch gradient descent.
 *
 * `npm run fit -- --cv 4` writes nothing: it fits on the dev sets plus 3/4 of the `tune` posts and
 * answers the other quarter, four times, and prints top-1 and off-topic rejected per language. The
 * `tune` numbers of `npm run eval` are training-set numbers; these are not.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, createPipeline, LANGS } from '../../src/engine/index.ts';
import { FEATURES, DECISION_FEATURES, defaultPolicy, rankScore, type RankPolicy } from '../../src/engine/policy.ts';
import { decide, decisionFeatures } from '../../src/engine/decide.ts';
import type { Ranking } from '../../src/engine/answer/rank.ts';

const REAL_WEIGHT = 3;
const L2 = 0.001;
const STEPS = 6000;
const RATE = 0.5;
const MAX_WRONG = 15;
/**
 * Product rules, not fitted: current (v2) topics win unless the question says v1, batch topics need
 * a batch hint, a reported HTTP status outweighs another status topic's words, and a message the service
 * prints for one topic (a signature, 3) outweighs words other sections share. The data has too few conflicts
 * between them to learn these, and a fit leaves them near 0 (then "HTTP 503" answers the v1 AKS topic) or,
 * for signatures, below a phrase a user typed (1.2 against an alias's 1.6: "No valid deployments to route
 * to" then lost to sections that share its words).
 */
const FIXED = new Set([
  'signature',
  'otherStatus',
  'libraryOutOfContext',
  'codeUnderSignature',
  'legacyMiss',
  'currentUnderLegacy',
  'batchMiss',
  'otherUnderBatch',
]);

const root = fileURLToPath(new URL('../..', import.meta.url));
const { kb } = loadKnowledgeBase(`${root}content`);
const { understander, ranker } = createPipeline(kb, { policy: defaultPolicy });
const parentOf = new Map(kb.topics.map((t) => [t.id, t.parent]));
const counts = (id: string, expect: string[]) => expect.some((e) => id === e || parentOf.get(id) === e || parentOf.get(e) === id);

interface Example {
  q: string;
  expect: string[];
  weight: number;
  lang: string;
  /** Cross-validation fold of a `tune` post (its position in its language's file); -1 for a dev question. */
  fold: number;
}

function load(): Example[] {
  const out: Example[] = [];
  for (const lang of LANGS) {
    for (const name of ['dev', 'dev2']) {
      const file = `${root}test/eval/${name}.${lang}.json`;
      if (!existsSync(file)) continue;
      for (const c of JSON.parse(readFileSync(file, 'utf8')) as Array<{ q: string; expect: string | null }>)
        out.push({ q: c.q, expect: c.expect ? [c.expect] : [], weight: 1, lang, fold: -1 });
    }
    let position = 0;
    for (const line of readFileSync(`${root}test/eval/real.${lang}.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.trim())) {
      const item = JSON.parse(line) as { text: string; expect: string[]; split: string };
      if (item.split === 'tune') out.push({ q: item.text, expect: item.expect.filter((e) => e !== 'none'), weight: REAL_WEIGHT, lang, fold: position++ });
    }
  }
  return out;
}

/** Minimizes weighted logistic loss of rows (x, y) with L2; no intercept unless a column is constant 1. */
function logistic(rows: Array<{ x: number[]; y: number; w: number }>, start: number[], fixed: boolean[] = start.map(() => false)): number[] {
  const theta = [...start];
  const total = rows.reduce((s, r) => s + r.w, 0);
  for (let step = 0; step < STEPS; step++) {
    const grad = theta.map((t) => L2 * t);
    for (const r of rows) {
      let z = 0;
      for (let i = 0; i < theta.length; i++) z += theta[i] * r.x[i];
      const p = 1 / (1 + Math.exp(-z));
      const g = ((p - r.y) * r.w) / total;
      for (let i = 0; i < theta.length; i++) grad[i] += g * r.x[i];
    }
    for (let i = 0; i < theta.length; i++) if (!fixed[i]) theta[i] -= RATE * grad[i];
  }
  return theta;
}

const examples = load();
const ranked = examples.map((e) => {
  const query = understander.understand(e.q);
  return { e, query, ranking: ranker.rank(query) };
});
type Ranked = (typeof ranked)[number];

/** A ranking re-scored and re-ordered under a policy's weights. */
function rescore(ranking: Ranking, policy: RankPolicy): Ranking {
  const hits = ranking.hits.map((h) => ({ ...h, score: rankScore(h.features, policy) })).sort((a, b) => b.score - a.score || (a.topicId < b.topicId ? -1 : 1));
  return { ...ranking, hits };
}

/** Fits the ranking weights, then the decision model, on these examples. */
function fitPolicy(train: Ranked[]): { policy: RankPolicy; pairs: number } {
  // 1. Ranking weights from pairs (right, wrong), both orders so the model needs no intercept.
  const pairs: Array<{ x: number[]; y: number; w: number }> = [];
  for (const { e, ranking } of train) {
    if (!e.expect.length) continue;
    const right = ranking.hits.filter((h) => counts(h.topicId, e.expect));
    const wrong = ranking.hits.filter((h) => !counts(h.topicId, e.expect)).slice(0, MAX_WRONG);
    if (!right.length || !wrong.length) continue;
    const w = e.weight / (right.length * wrong.length);
    for (const r of right)
      for (const x of wrong) {
        const d = FEATURES.map((f) => r.features[f] - x.features[f]);
        pairs.push({ x: d, y: 1, w }, { x: d.map((v) => -v), y: 0, w });
      }
  }
  const weights = logistic(
    pairs,
    FEATURES.map((f) => defaultPolicy.weights[f]),
    FEATURES.map((f) => FIXED.has(f)),
  );
  const ranking: RankPolicy = { ...defaultPolicy, weights: Object.fromEntries(FEATURES.map((f, i) => [f, round(weights[i])])) as RankPolicy['weights'] };
  // 2. Decision model on the rankings re-scored with the fitted weights.
  const rows = train.flatMap(({ e, query, ranking: r0 }) => {
    const r = rescore(r0, ranking);
    const f = decisionFeatures(r, query);
    const right = e.expect.length > 0 && r.hits.length > 0 && counts(r.hits[0].topicId, e.expect);
    if (e.expect.length && !right) return [];
    return [{ x: DECISION_FEATURES.map((k) => f[k]), y: right ? 1 : 0, w: e.weight }];
  });
  const decision = logistic(
    rows,
    DECISION_FEATURES.map((f) => defaultPolicy.decision[f]),
  );
  return {
    policy: { ...ranking, decision: Object.fromEntries(DECISION_FEATURES.map((f, i) => [f, round(decision[i])])) as RankPolicy['decision'] },
    pairs: pairs.length / 2,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

const folds = Number(process.argv[process.argv.indexOf('--cv') + 1]);
if (process.argv.includes('--cv') && folds > 1) {
  const topics = new Map(kb.topics.map((t) => [t.id, t]));
  const tally = new Map<string, { pos: number; top1: number; neg: number; rejected: number }>();
  for (let k = 0; k < folds; k++) {
    const { policy } = fitPolicy(ranked.filter((r) => r.e.fold % folds !== k));
    for (const { e, query, ranking } of ranked.filter((r) => r.e.fold % folds === k)) {
      const d = decide(rescore(ranking, policy), query, topics, policy);
      const got = d.status === 'not_found' ? undefined : d.topicId;
      const t = tally.get(e.lang) ?? tally.set(e.lang, { pos: 0, top1: 0, neg: 0, rejected: 0 }).get(e.lang)!;
      if (!e.expect.length) {
        t.neg++;
        if (!got) t.rejected++;
      } else {
        t.pos++;
        if (got && counts(got, e.expect)) t.top1++;
      }
      if (process.env.CV_TRACE) console.log(`cv\t${e.lang}\t${e.fold}\t${got ?? '-'}\t${e.expect.join('|') || 'none'}\t${JSON.stringify(e.q.slice(0, 60))}`);
    }
  }
  for (const [lang, t] of tally)
    console.log(
      `${lang} tune, ${folds}-fold cross-validated: top-1 ${(t.top1 / t.pos).toFixed(3)} (${t.top1}/${t.pos})  off-topic rejected ${t.rejected}/${t.neg}`,
    );
  process.exit(0);
}

const { policy, pairs } = fitPolicy(ranked);
const out = {
  comment: 'Fitted by `npm run fit` (test/eval/fit.ts) on the dev sets and the real-question tune split; do not edit by hand.',
  examples: examples.length,
  pairs,
  weights: policy.weights,
  decision: policy.decision,
};
writeFileSync(`${root}src/engine/policy.fitted.json`, `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
