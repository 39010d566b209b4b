import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoize } from '../../src/engine/text/memo.ts';

test('a memo computes each argument once, and starts over when it holds its limit', () => {
  const calls: string[] = [];
  const upper = memoize(2, (s: string) => (calls.push(s), s.toUpperCase()));
  assert.deepEqual([upper('a'), upper('b'), upper('a')], ['A', 'B', 'A']);
  assert.deepEqual(calls, ['a', 'b']);
  upper('c'); // the third distinct argument: the memo starts over with it alone
  upper('a');
  assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
});
