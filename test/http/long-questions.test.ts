import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { MAX_QUESTION_CHARS } from '../../src/engine/understand/normalize.ts';
import { makeApp, assertMatchesOpenApi } from './helpers.ts';

/** A pasted deployment log of about `kb` KB (ASCII, so characters = bytes), naming OutOfQuota early on. */
function pastedLog(kb: number): string {
  const lines = ['2026-03-02T09:14:07Z ERROR Deployment failed: OutOfQuota: not enough CPU quota for Standard_DS3_v2 in koreacentral.'];
  for (let i = 0; lines.join('\n').length < kb * 1024; i++) {
    lines.push(`2026-03-02T09:14:${String(i % 60).padStart(2, '0')}Z INFO azureml-inference-server: worker ${i} waiting for model load (attempt ${i}/500)`);
  }
  return lines.join('\n').slice(0, kb * 1024);
}

const EN_NOTICE = 'Your message was long, so only its first part was read.';
const KO_NOTICE = '메시지가 길어서 앞부분만 읽었습니다.';

describe('long questions', () => {
  it('when a ~60 KB log is pasted, answers 200 from its first part and says in notices, markdown and html that it was cut', async () => {
    const { app, store } = makeApp();
    const question = pastedLog(60);
    assert.equal(question.length, 60 * 1024);
    const body = JSON.stringify({ question, lang: 'en' });
    assert.ok(Buffer.byteLength(body) < 64 * 1024, `body is ${Buffer.byteLength(body)} bytes`);
    const res = await request(app).post('/api/v1/ask').set('content-type', 'application/json').send(body);
    assert.equal(res.status, 200);
    const { answer } = res.body;
    assert.equal(answer.status, 'answered');
    assert.equal(answer.topic.id.split('/')[0], 'OutOfQuota');
    assert.ok(answer.notices.includes('input_truncated'), JSON.stringify(answer.notices));
    assert.ok(answer.markdown.includes(`\n\n> ${EN_NOTICE}\n\n`), answer.markdown.slice(0, 200));
    assert.ok(answer.html.includes(`<p class="stepwise-notice" data-notice="input_truncated">${EN_NOTICE}</p>`), answer.html.slice(0, 300));
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    // The store keeps what was read, not the whole paste.
    assert.equal((await store.getAnswer(answer.id))?.question, question.slice(0, MAX_QUESTION_CHARS));
  });

  it('says the cut in the asker language', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({ question: pastedLog(30), lang: 'ko' });
    assert.equal(res.status, 200);
    assert.ok(res.body.answer.notices.includes('input_truncated'));
    assert.ok(res.body.answer.markdown.includes(`> ${KO_NOTICE}`));
    assert.ok(res.body.answer.html.includes(`data-notice="input_truncated">${KO_NOTICE}</p>`));
  });

  it(`reads ${MAX_QUESTION_CHARS} characters whole and cuts from ${MAX_QUESTION_CHARS + 1} on`, async () => {
    const { app } = makeApp();
    const whole = `OutOfQuota ${'x'.repeat(MAX_QUESTION_CHARS - 11)}`;
    assert.equal(whole.length, MAX_QUESTION_CHARS);
    const atLimit = await request(app).post('/api/v1/ask').send({ question: whole, lang: 'en' });
    assert.equal(atLimit.status, 200);
    assert.ok(!atLimit.body.answer.notices.includes('input_truncated'));
    const over = await request(app).post('/api/v1/ask').send({ question: `${whole}y`, lang: 'en' });
    assert.equal(over.status, 200);
    assert.ok(over.body.answer.notices.includes('input_truncated'));
  });

  it('answers a body over the 64 KB limit with 413, the only length limit', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({ question: pastedLog(100) });
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
    assert.match(question.description, /input_truncated/);
  });
});
