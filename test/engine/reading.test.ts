import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPost } from '../../src/engine/understand/reading.ts';

test('a line naming an exception or failure (…Error, …Exception, …Failure, …Failed, …BackOff) before its message is an error statement', () => {
  const named = ['at boot XyzError: bad input', 'then XyzException(detail)', 'XyzFailure: no image', 'step XyzFailed: exit 1', 'pod XyzBackOff : restarting'];
  for (const line of named) assert.deepEqual(readPost(`my deployment\n${line}`).statements, [line], line);
  // The same words without a name before a message, or lower-case: not this rule's (and no other rule's) statement.
  for (const line of ['at boot Xyzerror: bad input', 'XyzError without a message', 'plain words here'])
    assert.deepEqual(readPost(`my deployment\n${line}`).statements, [], line);
});

test('a line of output quoted in a one-line fence is read as output, and the fence does not swallow the lines after it', () => {
  const post = 'release pipeline fails\nMy task fails with:\n```Script failed with exit code: 1```\nthen it stops.\nERROR: deployment failed';
  assert.deepEqual(readPost(post).statements, ['Script failed with exit code: 1', 'ERROR: deployment failed']);
  // An opening fence with a language is not a one-line fence: its block is read line by line.
  assert.deepEqual(readPost('title\n```text\nERROR: quota exceeded\n```').statements, ['ERROR: quota exceeded']);
});
