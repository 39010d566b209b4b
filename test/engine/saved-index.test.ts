/** The search index saved for the build's snapshot: loaded again, it holds exactly the terms, order and postings it was built with. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../src/engine/index.ts';
import { buildSearchIndex, loadSearchIndex, topicDocs } from '../../src/engine/search/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = topicDocs(loadKnowledgeBase(`${root}content`).kb);

test('an index saved and loaded again saves to the same text: every term, in the same tree order, with the same postings', () => {
  const saved = JSON.stringify(buildSearchIndex(docs).toJSON());
  assert.equal(JSON.stringify(loadSearchIndex(saved).toJSON()), saved);
});

test('the saved tree is one string per language, a leaf written as field:doc,freq,… (minisearch postings)', () => {
  const tiny = buildSearchIndex([
    { id: 'A@en', topicId: 'A', lang: 'en', anchor: 'a', title: 'quota quota', path: '', codes: 'OutOfQuota', aliases: '', body: '', code: '' },
    { id: 'B@en', topicId: 'B', lang: 'en', anchor: 'b', title: 'quiet', path: '', codes: '', aliases: '', body: 'quota', code: '' },
  ]).toJSON() as Record<string, { tree: string }>;
  // Fields by id: title 0, path 1, codes 2, aliases 3, body 4, code 5; documents by short id 0, 1. OutOfQuota is
  // also indexed as its parts out, of (a stop word) and quota.
  assert.equal(tiny.en.tree, 'out{ofquota{=2:0,1;}=2:0,1;}qu{ota{=0:0,2/2:0,1/4:1,1;}iet{=0:1,1;}}');
  assert.equal(tiny.ko.tree, '');
});

test('a loaded index answers searches, fuzzy and prefix ones included, exactly as the built one', () => {
  const built = buildSearchIndex(docs);
  const loaded = loadSearchIndex(built.toJSON());
  const expand = () => true;
  for (const q of ['imagebuildfailur deploymnt', 'OutOfQuota', '배포 실패 로그', '配额不足', 'kubernetes unacessible crashloop']) {
    assert.deepEqual(loaded.search(q, { expand }), built.search(q, { expand }), q);
    assert.deepEqual(loaded.search(q), built.search(q), q);
  }
});

test('a saved tree cut short fails with a clear message when the cut node is read', () => {
  const saved = buildSearchIndex(docs).toJSON() as Record<string, { tree: string }>;
  const cut = loadSearchIndex({ ...saved, en: { ...saved.en, tree: saved.en.tree.slice(0, saved.en.tree.lastIndexOf('}')) } });
  assert.throws(() => cut.search('deployment', { langs: ['en'] }), { message: 'search index: the saved tree is cut short (a node is never closed)' });
});
