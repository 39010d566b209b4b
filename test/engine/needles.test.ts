import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFoldedNeedleFinder, createNeedleFinder, fold } from '../../src/engine/text/needles.ts';

const needles = [
  'user container has crashed or terminated',
  'cluster quota',
  'machine learning service: cluster quota',
  'x-request-id',
  'ab',
  'z',
  'aka.ms/oe-tsg#error-outofquota',
  '할당량이 부족',
  '配额不足',
  '😀x',
  'the end.',
  '',
];

test('a long text: exactly the needles text.includes finds, at its start, end, overlapping, in any script', () => {
  const log = Array.from({ length: 400 }, (_, i) => `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}Z INFO worker=${i % 8} ok`).join('\n');
  const texts = [
    `user container has crashed or terminated\n${log}\nmachine learning service: cluster quota 할당량이 부족합니다 😀x the end.`,
    `${log} 配额不足 ab`,
    log,
    `${log}x-request-i`,
  ];
  const find = createNeedleFinder(needles);
  for (const text of texts) {
    assert.ok(text.length >= 2000);
    assert.deepEqual(
      find(text),
      needles.map((n) => text.includes(n)),
      text.slice(-60),
    );
  }
  assert.deepEqual(
    needles.filter((_, i) => find(texts[0])[i]),
    ['user container has crashed or terminated', 'cluster quota', 'machine learning service: cluster quota', '할당량이 부족', '😀x', 'the end.', ''],
  );
});

test('a short text is searched needle by needle, with the same answer', () => {
  const find = createNeedleFinder(needles);
  assert.deepEqual(
    find('see x-request-id: 1, ab'),
    needles.map((n) => 'see x-request-id: 1, ab'.includes(n)),
  );
  assert.deepEqual(find(''), [false, false, false, false, false, false, false, false, false, false, false, true]);
});

test('a folded finder answers as fold(text).includes does, folding a long text as it reads it or, where a character cannot be folded alone, whole', () => {
  const log = Array.from({ length: 400 }, (_, i) => `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}Z  INFO\tWorker=${i % 8} OK`).join('\n');
  const folded = ['user container has crashed or terminated', 'cluster quota', 'worker=3 ok', 'info worker', 'ος end', 'i̇stanbul', '할당량이 부족', 'z', ''];
  const texts = [
    `User Container has\n  CRASHED or Terminated\n${log}`,
    `${log}\u00a0Cluster\u3000QUOTA`,
    `${log} ΟΣ END`,
    `${log} İSTANBUL 할당량이  부족 😀`,
    `${log}\ud800 cluster quota`,
    'Cluster   Quota',
  ];
  const find = createFoldedNeedleFinder(folded);
  for (const text of texts) {
    assert.deepEqual(
      find(text),
      folded.map((n) => fold(text).includes(n)),
      text.slice(-40),
    );
  }
  assert.deepEqual(
    folded.filter((_, i) => find(texts[2])[i]),
    ['worker=3 ok', 'info worker', 'ος end', 'z', ''],
  );
});
