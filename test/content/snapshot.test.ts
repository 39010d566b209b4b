/** The build's content snapshot (dist/content.json): a start that loads it answers exactly as one that parses and indexes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/index.ts';
import { createLookup } from '../../src/engine/ingest/lookup.ts';
import { documentFrequencies, topicDocs } from '../../src/engine/search/index.ts';
import { contentHash, parseContent, readContentSnapshot, writeContentSnapshot } from '../../src/content/snapshot.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const contentDir = root('content');
const dir = mkdtempSync(join(tmpdir(), 'stepwise-snapshot-'));
const file = join(dir, 'content.json');
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Every question of the eval sets (dev, dev2, holdout, real), in every language. */
function evalQuestions(): string[] {
  const questions: string[] = [];
  for (const name of readdirSync(root('test/eval'))) {
    const text = readFileSync(root(`test/eval/${name}`), 'utf8');
    if (name.endsWith('.json') && name !== 'real-floor.json') questions.push(...(JSON.parse(text) as Array<{ q: string }>).map((c) => c.q));
    if (name.endsWith('.jsonl'))
      questions.push(
        ...text
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { text: string }).text),
      );
  }
  return questions;
}

test('an engine from the snapshot (saved index and term frequencies) answers and searches every eval question exactly as one built from the content', () => {
  writeContentSnapshot(contentDir, file);
  const snapshot = readContentSnapshot(file, contentHash(contentDir));
  assert.ok(snapshot?.prepared, 'the snapshot carries a prepared index');
  const loaded = createEngine(snapshot.kb, snapshot.prepared);
  const built = createEngine(parseContent(contentDir).kb);
  const questions = evalQuestions();
  assert.ok(questions.length > 1000, `only ${questions.length} eval questions found`);
  for (const q of questions) {
    assert.deepEqual(loaded.ask(q), built.ask(q), q.slice(0, 80));
    assert.deepEqual(loaded.search(q.slice(0, 500)), built.search(q.slice(0, 500)), q.slice(0, 80));
  }
  // Latin typos go through fuzzy and prefix lookups, which walk the loaded tree.
  for (const q of ['imagebuildfailur', 'outofquot', 'kubernetesunacessible', 'deploym', '배포', '配额']) {
    assert.deepEqual(loaded.ask(q), built.ask(q), q);
    assert.deepEqual(loaded.search(q), built.search(q), q);
  }
});

test('the snapshot gives back the knowledge base and every document frequency, in order, as the content parses to', () => {
  writeContentSnapshot(contentDir, file);
  const snapshot = readContentSnapshot(file, contentHash(contentDir));
  const { kb } = parseContent(contentDir);
  assert.ok(snapshot?.prepared, 'the snapshot carries a prepared index');
  // As JSON holds it: a property set to undefined (an optional field left out) is absent.
  assert.deepEqual(snapshot.kb, JSON.parse(JSON.stringify(kb)));
  assert.deepEqual([...snapshot.prepared.documentFrequencies], [...documentFrequencies(topicDocs(kb, createLookup(kb)))]);
});

test('a snapshot of other content, or of an older format, is not used (the content is parsed and indexed instead)', () => {
  writeContentSnapshot(contentDir, file);
  assert.equal(readContentSnapshot(file, '0000000000000000'), undefined);
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ format: 2, hash: data.hash, kb: data.kb }));
  assert.equal(readContentSnapshot(file, data.hash as string), undefined);
  assert.equal(readContentSnapshot(join(dir, 'missing.json'), data.hash as string), undefined);
});
