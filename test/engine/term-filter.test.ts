import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStartFilter, createTermFilter } from '../../src/engine/search/term-filter.ts';
import { documentFrequencies, topicDocs } from '../../src/engine/search/index.ts';
import { loadKnowledgeBase } from '../../src/engine/index.ts';

test('the term filter lets every vocabulary term through and stops most of a log’s ids and timings', () => {
  const { kb } = loadKnowledgeBase(new URL('../../content', import.meta.url).pathname);
  const vocabulary = [...documentFrequencies(topicDocs(kb)).keys()];
  const mayBeKnown = createTermFilter(vocabulary);
  assert.deepEqual(
    vocabulary.filter((t) => !mayBeKnown(t)),
    [],
  );
  const known = new Set(vocabulary);
  const unknown = Array.from({ length: 5000 }, (_, i) => [`${i}ms`, `0${i.toString(16)}`, `req${i}`][i % 3]).filter((t) => !known.has(t));
  const letThrough = unknown.filter((t) => mayBeKnown(t)).length;
  assert.ok(letThrough < unknown.length / 10, `${letThrough} of ${unknown.length} unknown terms let through`);
});

test('a start filter lets every string of its set through, by its first two code units', () => {
  const strings = ['outofquota', 'o', '404', 'resourcenotfound', 'kein', '배포', 'é', ''];
  const may = createStartFilter(strings);
  for (const s of strings) assert.ok(may(s), s);
  assert.ok(may('outputs') && may('resource'), 'same first two units');
  assert.equal(['2026', 'info', 'worker', 'xyz', '200'].filter(may).length, 0);
});
