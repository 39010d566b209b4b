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
