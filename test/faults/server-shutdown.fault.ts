import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, SQLITE_FILE } from '../../src/store/index.ts';
import { startServer } from './server.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One POST on a keep-alive agent; rejects with the socket error (ECONNRESET, ECONNREFUSED …). */
function post(agent: Agent, url: string, path: string, body: unknown): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

const QUESTIONS = ['OutOfQuota', 'CPU 할당량이 부족해서 배포가 실패해요', '部署时出现配额不足错误', 'ImageBuildFailure', 'HTTP 503 during scoring'];

test('SIGTERM under keep-alive load: running requests finish, clients are told Connection: close, nothing acknowledged is lost, exit 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-shutdown-'));
  try {
    const server = await startServer({ STORE: 'sqlite', DATA_DIR: dataDir });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const answers: string[] = [];
    const feedback: string[] = [];
    const counts = { ok: 0, closeHeaders: 0, resets: 0, refused: 0, serverErrors: 0, otherErrors: 0, afterSignal: 0 };
    let signalled = false;

    // Each worker asks, then votes on what it was answered, until the server stops taking connections.
    const worker = async (n: number) => {
      for (let i = 0; ; i++) {
        try {
          const ask = await post(agent, server.url, '/api/v1/ask', { question: QUESTIONS[(n + i) % QUESTIONS.length] });
          if (ask.headers.connection === 'close') counts.closeHeaders++;
          if (ask.status >= 500) counts.serverErrors++;
          if (ask.status !== 200) continue;
          counts.ok++;
          if (signalled) counts.afterSignal++;
          const id = (JSON.parse(ask.body) as { answer: { id: string } }).answer.id;
          answers.push(id);
          const vote = await post(agent, server.url, '/api/v1/feedback', { answerId: id, helpful: i % 2 === 0 });
          if (vote.headers.connection === 'close') counts.closeHeaders++;
          if (vote.status >= 500) counts.serverErrors++;
          if (vote.status === 202) feedback.push((JSON.parse(vote.body) as { id: string }).id);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ECONNREFUSED') return void counts.refused++;
          if (code === 'ECONNRESET' || code === 'EPIPE') counts.resets++;
          else counts.otherErrors++;
          if (!signalled) continue;
          return;
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, n) => worker(n));
    await new Promise((done) => setTimeout(done, 1500));
    const before = counts.ok;
    const started = Date.now();
    signalled = true;
    server.child.kill('SIGTERM');
    await Promise.all(workers);
    const exit = await server.exited;
    const shutdownMs = Date.now() - started;
    agent.destroy();

    const store = createSqliteStore(join(dataDir, SQLITE_FILE));
    let lostAnswers = 0;
    for (const id of answers) if (!(await store.getAnswer(id))) lostAnswers++;
    let lostFeedback = 0;
    for (const id of feedback) if (!(await store.getFeedback(id))) lostFeedback++;
    await store.close();

    const figures = {
      answersAcknowledged: answers.length,
      feedbackAcknowledged: feedback.length,
      beforeSignal: before,
      ...counts,
      lostAnswers,
      lostFeedback,
      exit,
      shutdownMs,
    };
    console.log(`shutdown under keep-alive load: ${JSON.stringify(figures)}`);
    assert.equal(exit, 0);
    assert.equal(counts.resets, 0);
    assert.equal(counts.otherErrors, 0);
    assert.equal(counts.serverErrors, 0);
    assert.equal(lostAnswers, 0);
    assert.equal(lostFeedback, 0);
    assert.ok(before >= 16, `only ${before} answers before the signal`);
    // Each connection serves at most the one request it was running or had just been sent.
    assert.ok(counts.afterSignal <= 16, `${counts.afterSignal} answers after the signal`);
    // Every worker's open connection was told to close rather than cut.
    assert.ok(counts.closeHeaders >= 1, 'no response carried Connection: close');
    assert.equal(counts.refused, 16);
    assert.ok(
      server.logs.some((l) => l.msg === 'shut down' && l.clean === true),
      'no clean shut-down line',
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
