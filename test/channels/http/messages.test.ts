import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeApp, assertMatchesOpenApi } from './helpers.ts';

describe("the API's own messages are grammatical and the answer carries its parts", () => {
  it('a body that is not an object is "must be an object", a number where a string belongs "must be a string"', async () => {
    const { app } = makeApp();
    const array = await request(app).post('/api/v1/ask').send([1]);
    assert.equal(array.status, 422);
    assert.deepEqual(
      array.body.errors.map((e: { message: string }) => e.message),
      ['(body) must be an object.', 'question is required.'],
    );
    const number = await request(app).post('/api/v1/ask').send({ question: 5 });
    assert.deepEqual(
      number.body.errors.map((e: { message: string }) => e.message),
      ['question must be a string.'],
    );
    const flag = await request(app).post('/api/v1/feedback').send({ answerId: 'x', helpful: 'yes' });
    assert.ok(
      flag.body.errors.some((e: { message: string }) => e.message === 'helpful must be true or false.'),
      JSON.stringify(flag.body),
    );
  });

  it('a Korean ResourceNotReady answer has causes apart from its steps, matching the OpenAPI schema', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({ question: 'ResourceNotReady 오류', lang: 'ko' });
    assert.equal(res.status, 200);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    const { causes, steps } = res.body.answer as { causes: string[]; steps: Array<{ text: string }> };
    assert.ok(causes.includes('준비 상태 또는 활동성 프로브가 올바르게 설정되지 않았습니다.'), JSON.stringify(causes));
    assert.ok(!steps.some((s) => s.text.includes('올바르게 설정되지 않았습니다')), JSON.stringify(steps));
    assert.ok(!steps.some((s) => s.text.includes('.;')), JSON.stringify(steps));
  });
});
