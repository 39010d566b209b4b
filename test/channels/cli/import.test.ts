/** `stepwise import <file.jsonl>`: a legacy JSON-lines file into the configured SQLite store, counted, and safe to run twice. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '../../../src/store/index.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C', NO_COLOR: '1', ...env },
  });

const answer = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ id, at: '2026-01-05T10:00:00.000Z', channel: 'http', lang: 'ko', status: 'not_found', question: `질문 ${id}`, ...over });

test('stepwise import loads a legacy answers.jsonl and feedback.jsonl into the store, counts refused lines, and adds nothing the second time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-import-'));
  // Not DATA_DIR's own answers.jsonl (which the store imports by itself once): a file from elsewhere.
  const legacy = mkdtempSync(join(tmpdir(), 'stepwise-cli-legacy-'));
  try {
    const env = { DATA_DIR: dir, STORE: 'sqlite', DATABASE_URL: '', QUESTION_RETENTION_DAYS: '0' };
    const answers = join(legacy, 'answers-2025.jsonl');
    writeFileSync(
      answers,
      [
        answer('a1'),
        answer('a2', { status: 'answered', topicId: 'OutOfQuota' }),
        'null',
        '{"torn": ',
        answer('a3', { at: 1767225600000 }),
        answer('a1'),
        '',
      ].join('\n'),
    );
    const feedback = join(legacy, 'feedback.jsonl');
    writeFileSync(
      feedback,
      `${JSON.stringify({ id: 'f1', at: '2026-01-05T11:00:00.000Z', channel: 'widget', answerId: 'a2', helpful: false, comment: '안 돼요' })}\n`,
    );

    const first = run(['import', answers], env);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(
      first.stdout,
      'answers-2025.jsonl (answers): 6 lines, 2 imported, 1 already in the store, 3 refused\nrefused lines by reason: object 1, json 1, at 1\n',
    );
    const votes = run(['import', feedback, '--json'], env);
    assert.equal(votes.status, 0, votes.stderr);
    assert.deepEqual(JSON.parse(votes.stdout), { file: feedback, lines: 1, imported: 1, duplicates: 0, refused: 0, reasons: {}, kind: 'feedback' });

    const again = run(['import', answers], env);
    assert.equal(again.stdout.split('\n')[0], 'answers-2025.jsonl (answers): 6 lines, 0 imported, 3 already in the store, 3 refused');

    const store = createSqliteStore(join(dir, 'stepwise.db'));
    try {
      assert.deepEqual(await store.getAnswer('a1'), JSON.parse(answer('a1')));
      assert.equal(await store.getAnswer('a3'), undefined);
      const insights = await store.insights({ examples: 0 });
      assert.deepEqual(insights.totals, { answers: 2, notFound: 1, feedback: 1, unhelpful: 1 });
      assert.equal((await store.getFeedback('f1'))?.comment, '안 돼요');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(legacy, { recursive: true, force: true });
  }
});

test('stepwise import names what is wrong: no file, a missing file, an unknown kind', () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'stepwise-cli-import-')), STORE: 'memory' };
  assert.deepEqual(
    [run(['import'], env).status, run(['import'], env).stderr.trim()],
    [2, 'stepwise: name the JSON-lines file to import: stepwise import <answers.jsonl>'],
  );
  assert.equal(run(['import', '/nonexistent/answers.jsonl'], env).stderr.trim(), 'stepwise: no such file: /nonexistent/answers.jsonl');
  assert.equal(run(['import', 'package.json', '--kind', 'votes'], env).stderr.trim(), 'stepwise: unknown kind "votes" (expected answers or feedback)');
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});
