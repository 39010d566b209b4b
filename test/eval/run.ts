/**
 * Dev evaluation: asks every question of test/eval/dev.<lang>.json and dev2.<lang>.json (short user
 * questions; forum-style posts with pasted output) and prints top-1, top-3 and
 * negatives rejected per language, with the misses. Exits non-zero when top-1 < 0.9 in any language.
 * A sub-topic answer counts for its parent (TOPICS.md); the language is detected, not given.
 * `--set dev2` (or any comma list) picks sets; `--set holdout` runs test/eval/holdout.<lang>.json instead: questions written apart from the dev set
 * and never used for tuning; it reports, it does not gate.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, createEngine, LANGS, type Lang } from '../../src/engine/index.ts';

interface Case {
  q: string;
  expect: string | null;
}

const MIN_TOP1 = 0.9;
const root = fileURLToPath(new URL('../..', import.meta.url));
const { kb, errors } = loadKnowledgeBase(`${root}content`);
if (errors.length) console.warn(`eval: ${errors.length} content errors (run \`npm run validate\`)`);
const engine = createEngine(kb);
const parentOf = new Map(kb.topics.map((t) => [t.id, t.parent]));
const verbose = process.argv.includes('--verbose');
const setIndex = process.argv.indexOf('--set');
const set = setIndex > 0 ? process.argv[setIndex + 1] : 'dev,dev2';
const sets = set.split(',');

const counts = (id: string | undefined, expect: string) => id === expect || (id !== undefined && parentOf.get(id) === expect);
let failed = false;
const rows: string[] = [];
for (const lang of LANGS) {
  const files = sets.map((name) => `${root}test/eval/${name}.${lang}.json`).filter((f) => existsSync(f));
  if (!files.length) continue;
  const cases = files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as Case[]);
  let pos = 0, top1 = 0, top3 = 0, neg = 0, rejected = 0, langOk = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const a = engine.ask(c.q);
    if (c.expect === null) {
      neg++;
      if (a.status === 'not_found') rejected++;
      else misses.push(`  NEG  ${JSON.stringify(c.q).slice(0, 110)} → ${a.status} ${a.topic?.id}`);
      continue;
    }
    pos++;
    if (a.lang === lang || a.requestedLang === lang) langOk++;
    const got = a.status === 'not_found' ? undefined : a.topic?.id;
    const three = [got, ...a.alternatives.map((x) => x.id)].slice(0, a.status === 'clarify' ? 20 : 3);
    if (counts(got, c.expect)) top1++;
    else misses.push(`  MISS ${JSON.stringify(c.q).slice(0, 110)} → ${a.status} ${got ?? '-'} (want ${c.expect})${verbose ? ' alt ' + three.join(',') : ''}`);
    if (three.some((id) => counts(id, c.expect!))) top3++;
  }
  const r1 = top1 / Math.max(pos, 1);
  if (r1 < MIN_TOP1) failed = true;
  rows.push(`${lang}  positives ${pos}  top-1 ${r1.toFixed(3)}  top-3 ${(top3 / Math.max(pos, 1)).toFixed(3)}  negatives rejected ${rejected}/${neg}  answer language ${langOk}/${pos}`);
  console.log(`\n== ${lang}: ${misses.length} misses`);
  for (const m of misses) console.log(m);
}
console.log('\n' + rows.join('\n'));
if (!rows.length) {
  console.error(`eval: no test/eval/${set}.<lang>.json files`);
  process.exit(1);
}
if (failed && !sets.includes('holdout')) {
  console.error(`eval: top-1 below ${MIN_TOP1} in at least one language`);
  process.exit(1);
}
