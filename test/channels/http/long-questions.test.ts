import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MAX_QUESTION_CHARS, normalizeText, prepareQuestion } from '../../../src/engine/text/normalize.ts';
import { makeApp, assertMatchesOpenApi } from './helpers.ts';

/** A pasted deployment log of about `kb` KB (ASCII, so characters = bytes), naming OutOfQuota early on. */
function pastedLog(kb: number): string {
  const lines = ['2026-03-02T09:14:07Z ERROR Deployment failed: OutOfQuota: not enough CPU quota for Standard_DS3_v2 in koreacentral.'];
  for (let i = 0; lines.join('\n').length < kb * 1024; i++) {
    lines.push(`2026-03-02T09:14:${String(i % 60).padStart(2, '0')}Z INFO azureml-inference-server: worker ${i} waiting for model load (attempt ${i}/500)`);
  }
  return lines.join('\n').slice(0, kb * 1024);
}

/** INFO lines of a deployment log, `chars` characters long (ASCII). */
function infoLines(chars: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < chars; i++)
    lines.push(`2026-03-02T09:14:${String(i % 60).padStart(2, '0')}Z INFO azureml-inference-server: worker ${i} waiting for model load (attempt ${i}/500)`);
  return lines.join('\n').slice(0, chars);
}

describe('long questions', () => {
  it('when a ~60 KB log is pasted with its error on the last line, reads it whole and answers from that line', async () => {
    const { app, store } = makeApp();
    const error = '2026-03-02T09:20:00Z ERROR Deployment failed: OutOfQuota: not enough CPU quota for Standard_DS3_v2 in koreacentral.';
    const question = `${infoLines(60 * 1024 - error.length - 1)}\n${error}`;
    const body = JSON.stringify({ question, lang: 'en' });
    assert.ok(Buffer.byteLength(body) < 64 * 1024, `body is ${Buffer.byteLength(body)} bytes`);
    const res = await request(app).post('/api/v1/ask').set('content-type', 'application/json').send(body);
    assert.equal(res.status, 200);
    const { answer } = res.body;
    assert.equal(answer.topic.id.split('/')[0], 'OutOfQuota');
    assert.deepEqual(answer.notices, []);
    assert.ok(
      answer.evidence.some((e: { text: string }) => e.text === 'OutOfQuota'),
      JSON.stringify(answer.evidence),
    );
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    // The store keeps what was read: the whole paste, which the body limit bounds.
    assert.equal((await store.getAnswer(answer.id))?.question, question);
  });

  it(`reads every question the 64 KB body can carry whole (the engine reads ${MAX_QUESTION_CHARS} characters)`, async () => {
    const { app } = makeApp();
    const question = `OutOfQuota ${'x'.repeat(64 * 1024 - 100)}`;
    assert.ok(question.length < MAX_QUESTION_CHARS);
    const res = await request(app).post('/api/v1/ask').send({ question, lang: 'ko' });
    assert.equal(res.status, 200);
    assert.ok(!res.body.answer.notices.includes('input_truncated'));
  });

  it('answers a body over the 64 KB limit with 413, the only length limit', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/api/v1/ask')
      .send({ question: pastedLog(100) });
    assert.equal(res.status, 413);
    assert.equal(res.body.type, 'urn:stepwise:problem:tooLarge');
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('documents no maxLength for question, only the body limit and the cut', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/openapi.json');
    const question = res.body.components.schemas.AskRequest.properties.question;
    assert.equal(question.maxLength, undefined);
    assert.match(question.description, /64 KB body limit/);
    assert.match(question.description, new RegExp(`first ${MAX_QUESTION_CHARS} characters`));
    assert.match(question.description, /read whole/);
    assert.match(question.description, /input_truncated/);
  });

  it('cuts again after NFKC: 20,000 × U+FDFA (18 characters each once normalized) is read as its first 65,536 characters and says input_truncated', async () => {
    const { app } = makeApp();
    const question = '\ufdfa'.repeat(20_000);
    assert.equal(question.normalize('NFKC').length, 360_000);
    const res = await request(app).post('/api/v1/ask').send({ question, lang: 'en' });
    assert.equal(res.status, 200);
    assert.ok(res.body.answer.notices.includes('input_truncated'), JSON.stringify(res.body.answer.notices));
    const read = prepareQuestion(question);
    assert.equal(read.text.length, MAX_QUESTION_CHARS);
    assert.equal(read.truncated, true);
  });

  it('normalizes a long question in pieces exactly as in one go (combining marks, conjoining jamo, astral characters, full-width text)', () => {
    const texts = [
      'ｆｕｌｌ　ｗｉｄｔｈ ＯｕｔＯｆＱｕｏｔａ '.repeat(2000),
      'e\u0301'.repeat(9000),
      '\u1100\u1161\u11a8'.repeat(9000),
      '😀\u0301'.repeat(9000),
      `a${'\u0301'.repeat(9000)}`,
      '배포가 실패했어요 部署失败 '.repeat(3000),
    ];
    for (const text of texts) {
      assert.equal(prepareQuestion(text).text, normalizeText(text.slice(0, MAX_QUESTION_CHARS)).slice(0, MAX_QUESTION_CHARS).trim(), text.slice(0, 12));
    }
  });

  it('answers a declared 100 MB Content-Length with 413 and Connection: close before reading the body', async () => {
    const { app } = makeApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<{ status: number; connection?: string; body: string }>((done, fail) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', method: 'POST', path: '/api/v1/ask', headers: { 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 } },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => done({ status: r.statusCode!, connection: r.headers.connection, body }));
        },
      );
      req.on('error', fail);
      // Only the start of the body is sent: the answer must not wait for the rest.
      req.write('{"question":"');
    });
    server.close();
    assert.equal(res.status, 413);
    assert.equal(res.connection, 'close');
    assert.equal(JSON.parse(res.body).type, 'urn:stepwise:problem:tooLarge');
  });
});
