/**
 * Evaluation: asks every question of a set and prints top-1, top-3 and negatives rejected per
 * language (and per split for the real set), with the misses. The language is detected, not given;
 * a sub-topic answer counts for its parent and a parent for its sub-topic (TOPICS.md).
 *
 * - default (`dev,dev2`): our own questions, test/eval/dev*.<lang>.json; fails when top-1 < 0.9.
 * - `--set real`: real posts (test/eval/real.<lang>.jsonl, copied with their `source` from
 *   shared/real-questions), reported per `tune` / `check` split; fails when a split falls more than
 *   3 points below the numbers in test/eval/real-floor.json (the numbers the README reports).
 * - `--set holdout`: forum-style questions written apart; reports only.
 * `--verbose` adds the alternatives to each miss; `--split tune` prints only that split's misses
 * (the `check` split's misses are printed only with `--split check`).
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, createEngine, LANGS } from '../../src/engine/index.ts';

interface Case {
  q: string;
  /** Topic ids that would help; empty = the knowledge base cannot answer (expect not_found). */
  expect: string[];
  split: string;
}

interface Tally {
  pos: number;
  top1: number;
  top3: number;
  /** The right topic among the (at most 3) topics the user is offered: the answer and its alternatives, or a not-found reply's suggestions. */
  offered: number;
  neg: number;
  rejected: number;
}

const MIN_TOP1 = 0.9;
const REAL_SLACK = 0.03;
const root = fileURLToPath(new URL('../..', import.meta.url));
const { kb, errors } = loadKnowledgeBase(`${root}content`);
if (errors.length) console.warn(`eval: ${errors.length} content errors (run \`npm run validate\`)`);
const engine = createEngine(kb);
const parentOf = new Map(kb.topics.map((t) => [t.id, t.parent]));
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const verbose = process.argv.includes('--verbose');
const sets = (arg('--set') ?? 'dev,dev2').split(',');
const showSplit = arg('--split');

/** Reads `<name>.<lang>.json` (array of {q, expect}) or `<name>.<lang>.jsonl` (real posts). */
function loadCases(name: string, lang: string): Case[] {
  const json = `${root}test/eval/${name}.${lang}.json`;
  const jsonl = `${root}test/eval/${name}.${lang}.jsonl`;
  if (existsSync(json)) {
    return (JSON.parse(readFileSync(json, 'utf8')) as Array<{ q: string; expect: string | null }>).map((c) => ({
      q: c.q,
      expect: c.expect ? [c.expect] : [],
      split: name,
    }));
  }
  if (!existsSync(jsonl)) return [];
  return readFileSync(jsonl, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const item = JSON.parse(l) as { text: string; expect: string[]; split: string };
      return { q: item.text, expect: item.expect.filter((e) => e !== 'none'), split: `${name}/${item.split}` };
    });
}

/** An answer for a topic counts for the expected topic, its parent or its sub-topic. */
const counts = (id: string | undefined, expect: string[]) =>
  id !== undefined && expect.some((e) => id === e || parentOf.get(id) === e || parentOf.get(e) === id);

const tallies = new Map<string, Tally>();
const tally = (key: string) => tallies.get(key) ?? tallies.set(key, { pos: 0, top1: 0, top3: 0, offered: 0, neg: 0, rejected: 0 }).get(key)!;
for (const lang of LANGS) {
  const cases = sets.flatMap((name) => loadCases(name, lang));
  if (!cases.length) continue;
  const misses: string[] = [];
  for (const c of cases) {
    const a = engine.ask(c.q);
    const t = tally(`${lang} ${c.split}`);
    const got = a.status === 'not_found' ? undefined : a.topic?.id;
    // The check split is measured, not read item by item: its misses print only when asked for.
    const show = showSplit ? c.split.endsWith(showSplit) : !c.split.endsWith('/check');
    if (!c.expect.length) {
      t.neg++;
      if (a.status === 'not_found') t.rejected++;
      else if (show) misses.push(`  NEG  [${c.split}] ${JSON.stringify(c.q).slice(0, 110)} → ${a.status} ${got}`);
      continue;
    }
    t.pos++;
    const three = [got, ...a.alternatives.map((x) => x.id)].slice(0, a.status === 'clarify' ? 20 : 3);
    if (counts(got, c.expect)) t.top1++;
    else if (show)
      misses.push(
        `  MISS [${c.split}] ${JSON.stringify(c.q).slice(0, 110)} → ${a.status} ${got ?? '-'} (want ${c.expect.join('|')})${verbose ? ' alt ' + three.join(',') : ''}`,
      );
    if (three.some((id) => counts(id, c.expect))) t.top3++;
    const offered = a.status === 'not_found' ? a.suggestions.slice(0, 3).map((x) => x.id) : three;
    if (offered.some((id) => counts(id, c.expect))) t.offered++;
  }
  console.log(`\n== ${lang}: ${misses.length} misses`);
  for (const m of misses) console.log(m);
}

const ratio = (a: number, b: number) => (b ? a / b : 0);
const rows = [...tallies]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(
    ([key, t]) =>
      `${key.padEnd(16)} positives ${String(t.pos).padStart(3)}  top-1 ${ratio(t.top1, t.pos).toFixed(3)}  top-3 ${ratio(t.top3, t.pos).toFixed(3)}  offered ${ratio(t.offered, t.pos).toFixed(3)}  negatives rejected ${t.rejected}/${t.neg}`,
  );
console.log('\n' + rows.join('\n'));
if (!rows.length) {
  console.error(`eval: no test/eval/${sets.join(',')}.<lang>.json(l) files`);
  process.exit(1);
}

let failed = false;
if (sets.every((s) => s.startsWith('dev'))) {
  for (const lang of LANGS) {
    const all = [...tallies]
      .filter(([k]) => k.startsWith(`${lang} `))
      .reduce((s, [, t]) => ({ pos: s.pos + t.pos, top1: s.top1 + t.top1 }), { pos: 0, top1: 0 });
    if (all.pos && ratio(all.top1, all.pos) < MIN_TOP1) {
      console.error(`eval: ${lang} top-1 ${ratio(all.top1, all.pos).toFixed(3)} below ${MIN_TOP1}`);
      failed = true;
    }
  }
}
if (sets.includes('real')) {
  // The floor is what the README reports; a change that loses more than REAL_SLACK of it fails CI.
  const floor = JSON.parse(readFileSync(`${root}test/eval/real-floor.json`, 'utf8')) as Record<string, { top1: number; rejected: number }>;
  for (const [key, f] of Object.entries(floor)) {
    const t = tallies.get(key);
    if (!t) continue;
    const top1 = ratio(t.top1, t.pos);
    const rejected = ratio(t.rejected, t.neg);
    if (top1 < f.top1 - REAL_SLACK || rejected < f.rejected - REAL_SLACK) {
      console.error(
        `eval: ${key} top-1 ${top1.toFixed(3)} / rejected ${rejected.toFixed(3)} fell more than ${REAL_SLACK} below the reported ${f.top1} / ${f.rejected}`,
      );
      failed = true;
    }
  }
}
if (failed) process.exit(1);
