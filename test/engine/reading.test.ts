import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPost, distinctLines, unfoldEscapedLines, withoutGreeting } from '../../src/engine/understand/reading.ts';

test('a line naming an exception or failure (…Error, …Exception, …Failure, …Failed, …BackOff) before its message is an error statement', () => {
  const named = ['at boot XyzError: bad input', 'then XyzException(detail)', 'XyzFailure: no image', 'step XyzFailed: exit 1', 'pod XyzBackOff : restarting'];
  for (const line of named) assert.deepEqual(readPost(`my deployment\n${line}`).statements, [line], line);
  // The same words without a name before a message, or lower-case: not this rule's (and no other rule's) statement.
  for (const line of ['at boot Xyzerror: bad input', 'XyzError without a message', 'plain words here'])
    assert.deepEqual(readPost(`my deployment\n${line}`).statements, [], line);
});

test('a log printed as one escaped string is read as its lines: its last line is a statement of its own', () => {
  const log =
    '[1] "2019-10-25T17:43:04 - gunicorn/run \\nStarting gunicorn 19.9.0\\nInvoking user\'s init function\\nUser\'s init function failed\\nEncountered Exception"';
  const post = `deployment times out\n\nLogs from get_webservice_logs():\n${log}`;
  assert.deepEqual(readPost(unfoldEscapedLines(post)).statements, ["User's init function failed"]);
  // Escaped quotes in such a line are quotes: a JSON message field with a log in it.
  assert.equal(unfoldEscapedLines('{\\"message\\": \\"a\\nb\\nc\\"}'), '{"message": "a\nb\nc"}');
  // One written-out break (a Windows path, a regex in code) is left as it is.
  for (const text of ['open C:\\new\\data.csv', "split('\\n')"]) assert.equal(unfoldEscapedLines(text), text);
});

test('a first line that only greets is no title: the question after it is read as the post', () => {
  for (const greeting of ['Hi team,', 'Hello all!', 'good morning', '안녕하세요', '질문 드립니다.', '你好', '请教一个问题：'])
    assert.equal(withoutGreeting(`${greeting}\nmy endpoint returns 503`), 'my endpoint returns 503', greeting);
  // A first line with more than a greeting is kept, and so is a greeting that is the whole message.
  for (const text of ['Hi, my endpoint returns 503\nany idea?', 'Hello world app fails\nTypeError', 'hello']) assert.equal(withoutGreeting(text), text);
});

test('a post that opens with a code fence has no title: the fence line is not what the post is about', () => {
  const r = readPost('```\nERROR: (OutOfQuota) Not enough quota available for Standard_DS3_v2\n```');
  assert.equal(r.title, '');
  assert.deepEqual(r.statements, ['ERROR: (OutOfQuota) Not enough quota available for Standard_DS3_v2']);
  assert.equal(readPost('```text\nmy endpoint returns 503\n```').title, '');
});

test('an issue title that starts like output (a quoted message, a [tag], an exception named in a sentence) is the title when a blank line follows it', () => {
  for (const first of [
    '"List index out of range" from input_schema',
    '[AML] Prompt flow deployment has a permission issue',
    'HttpResponseError when deploying a model',
  ])
    assert.equal(readPost(`${first}\n\nI followed the tutorial and it fails.`).title, first, first);
  // Output stays output: a JSON field, a log level, an exception and its message, or a first line with no blank line after it.
  for (const post of [
    '"code": "ResourceNotReady"\n\nany idea?',
    '[INFO] starting worker\n[ERROR] worker failed',
    '[ERROR] Back-off restarting failed container\n\nany idea?',
    'ValueError: bad input\n\nany idea?',
    '"List index out of range" from input_schema\nat line 3',
  ])
    assert.equal(readPost(post).title, '', post);
});

test('a line of output quoted in a one-line fence is read as output, and the fence does not swallow the lines after it', () => {
  const post = 'release pipeline fails\nMy task fails with:\n```Script failed with exit code: 1```\nthen it stops.\nERROR: deployment failed';
  assert.deepEqual(readPost(post).statements, ['Script failed with exit code: 1', 'ERROR: deployment failed']);
  // An opening fence with a language is not a one-line fence: its block is read line by line.
  assert.deepEqual(readPost('title\n```text\nERROR: quota exceeded\n```').statements, ['ERROR: quota exceeded']);
});

test('a log of repeated lines is read as its distinct lines: the first three of each template as written, every error line, the traceback kept', () => {
  const info = (i: number) =>
    `2026-12-02T10:00:${String(i).padStart(2, '0')}.${i * 7}Z INFO azmlinfsrv - POST /score 200 ${i * 3}ms request_id=${(i * 977).toString(16)}-4f2a worker=${i % 8}`;
  // Lines none of which repeats another's template (another HTTP status is another line: it may be what the post is about).
  const end = [
    '2026-12-02T10:01:00.1Z INFO azmlinfsrv - POST /score 503 2ms request_id=9-4f2a worker=1',
    '2026-12-02T10:01:01.2Z ERROR azmlinfsrv - worker 3 timed out',
    '2026-12-02T10:01:02.3Z ERROR azmlinfsrv - worker 5 timed out',
    'Traceback (most recent call last):',
    '  File "/var/azureml-app/score.py", line 12, in run',
    "ValueError: Input contains NaN, infinity or a value too large for dtype('float64').",
  ];
  const log = ['my endpoint stops answering', '', ...Array.from({ length: 40 }, (_, i) => info(i)), ...end].join('\n');
  assert.deepEqual(distinctLines(log).split('\n'), ['my endpoint stops answering', '', info(0), info(1), info(2), ...end]);
  // The error line at the end is still found, and every error line is a statement.
  assert.deepEqual(readPost(distinctLines(log)).statements, [
    '2026-12-02T10:01:01.2Z ERROR azmlinfsrv - worker 3 timed out',
    '2026-12-02T10:01:02.3Z ERROR azmlinfsrv - worker 5 timed out',
    "ValueError: Input contains NaN, infinity or a value too large for dtype('float64').",
  ]);
});

test('distinct lines: a post without a line repeated more than three times is returned as it is; blank lines, code fences and traceback headers always stay', () => {
  const post = 'title\n\nsome words 12\nsome words 13\n\nsome words 14';
  assert.equal(distinctLines(post), post);
  const block = '```\nTraceback (most recent call last):\n  x\n```';
  const fenced = `title\n${block}\n\n${block}\n\n${block}\n\n${block}`;
  assert.equal(distinctLines(fenced), `title\n${block}\n\n${block}\n\n${block}\n\n\`\`\`\nTraceback (most recent call last):\n\`\`\``);
  // Letters are the template: ids written in letters alone, or other words, are other lines.
  const users = 'a\nuser alice 1\nuser bob 2\nuser carol 3\nuser dave 4';
  assert.equal(distinctLines(users), users);
});

test('distinct lines of 64 KB of one-character lines and of one 64 KB line of letters and digits (its speed is for the bench)', () => {
  assert.equal(distinctLines('x\n'.repeat(32_768)), 'x\nx\nx\n');
  const line = 'a1'.repeat(32_768);
  assert.equal(distinctLines(`${line}\n${line}`), `${line}\n${line}`);
});

test('a run that never finishes, never starts or was cancelled is a failure the post reports, in each language', () => {
  for (const q of [
    'the batch job never finishes',
    'my pipeline run does not complete, it keeps running',
    'my update was cancelled',
    '파이프라인 실행이 끝나질 않아요',
    '컨테이너가 안 떠요',
    '批处理作业一直在运行，没有结束',
    '容器起不来',
  ])
    assert.equal(readPost(q).reportsFailure, true, q);
  // How-to questions and wishes are no failure: cancelling, uncommenting, keeping something running.
  for (const q of ['how do I finish the tutorial', '배치 작업을 취소하는 방법', '怎么取消注释这一行', 'I want the endpoint to keep running overnight'])
    assert.equal(readPost(q).reportsFailure, false, q);
});
