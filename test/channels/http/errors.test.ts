import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeApp, assertMatchesOpenApi, UUID } from './helpers.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('errors are RFC 9457 problems and bad input never produces a 5xx', () => {
  it('answers malformed JSON with 400 badJson', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').set('Content-Type', 'application/json').send('{"question": "x",');
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], PROBLEM);
    assert.deepEqual(
      { ...res.body, requestId: undefined },
      {
        type: 'urn:stepwise:problem:badJson',
        title: 'Malformed JSON',
        status: 400,
        detail: 'The request body is not valid JSON.',
        instance: '/api/v1/ask',
        requestId: undefined,
      },
    );
    assert.equal(res.body.requestId, res.headers['x-request-id']);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('answers a body over 64 KB with 413', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/api/v1/ask')
      .send({ question: 'x'.repeat(70 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.detail, 'The request body is larger than 65536 bytes.');
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('answers a non-JSON body with 415', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').set('Content-Type', 'text/plain').send('OutOfQuota');
    assert.equal(res.status, 415);
    assert.equal(res.body.title, 'Unsupported media type');
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    const form = await request(app).post('/api/v1/feedback').type('form').send({ answerId: 'a', helpful: 'true' });
    assert.equal(form.status, 415);
  });

  it('answers an unsupported charset with 415', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').set('Content-Type', 'application/json; charset=latin1').send('{"question":"x"}');
    assert.equal(res.status, 415);
  });

  it('answers a missing question with 422 naming the field', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({});
    assert.equal(res.status, 422);
    assert.equal(res.body.title, 'Invalid request');
    assert.deepEqual(res.body.errors, [{ field: 'question', code: 'required', message: 'question is required.' }]);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('answers an unknown lang value with 422 listing the allowed values, in the Accept-Language language', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').set('Accept-Language', 'ko').send({ question: 'OutOfQuota', lang: 'fr' });
    assert.equal(res.status, 422);
    assert.equal(res.headers['content-language'], 'ko');
    assert.equal(res.body.title, '잘못된 요청 값');
    assert.deepEqual(res.body.errors, [{ field: 'lang', code: 'enum', message: 'lang 필드는 다음 중 하나여야 합니다: en, ko, zh.' }]);
  });

  it('answers wrong types field by field', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/api/v1/ask')
      .send({ question: 42, lang: ['en'], topic: { id: 'x' } });
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [
        ['question', 'type'],
        ['lang', 'enum'],
        ['topic', 'type'],
      ],
    );
    const fb = await request(app).post('/api/v1/feedback').send({ answerId: 1, helpful: 'yes', step: 1.5, comment: false });
    assert.deepEqual(
      fb.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [
        ['answerId', 'type'],
        ['helpful', 'type'],
        ['step', 'type'],
        ['comment', 'type'],
      ],
    );
    assertMatchesOpenApi(fb, '/api/v1/feedback', 'post');
  });

  it('answers a JSON array body with 422 on (body)', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/api/v1/ask')
      .send([{ question: 'OutOfQuota' }]);
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      ['(body)', 'question'],
    );
  });

  it('answers a blank question with 422 (a long one is cut, not refused: see long-questions.test.ts)', async () => {
    const { app } = makeApp();
    const blank = await request(app).post('/api/v1/ask').send({ question: ' \n\t ' });
    assert.equal(blank.status, 422);
    assert.deepEqual(blank.body.errors, [{ field: 'question', code: 'empty', message: 'question must not be empty.' }]);
  });

  it('answers an unknown topic choice with 422 on topic', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({ question: 'x', topic: 'NoSuchTopic' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors, [{ field: 'topic', code: 'unknownTopic', message: 'topic is not a known topic id.' }]);
  });

  const odd = [
    'OutOfQuota \u0000\u0001\u0007',
    '\ud800 lone surrogate \udfff',
    '💥🔥'.repeat(500),
    'Z̸̢̧a̵l̶g̷o̴ ‮RTL override‬ \u200b\u200d\ufeff',
    '<script>alert(1)</script><img src=x onerror=alert(1)>',
    '{{constructor.constructor("return process")()}}',
    '__proto__',
    '\\'.repeat(3000),
    'ㅤ',
  ];
  for (const question of odd) {
    it(`answers odd Unicode without a 5xx: ${JSON.stringify(question.slice(0, 24))}`, async () => {
      const { app } = makeApp();
      const res = await request(app).post('/api/v1/ask').send({ question });
      assert.ok(res.status === 200 || res.status === 422, `status ${res.status}`);
      if (res.status === 200) {
        assertMatchesOpenApi(res, '/api/v1/ask', 'post');
        assert.doesNotMatch(res.body.answer.html, /<script|onerror/i);
      }
    });
  }

  it('answers a prototype-polluting body normally and pollutes nothing', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/api/v1/ask')
      .set('Content-Type', 'application/json')
      .send('{"question":"OutOfQuota","__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}');
    assert.equal(res.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('answers bad search and topic queries with 422, never 5xx', async () => {
    const { app } = makeApp();
    const cases: Array<[string, number, string[]]> = [
      ['/api/v1/search', 422, ['q']],
      ['/api/v1/search?q=', 422, ['q']],
      // A repeated parameter is a malformed query string (400 badQuery), not a field of the wrong type.
      ['/api/v1/search?q=a&q=b', 400, []],
      ['/api/v1/search?q=quota&limit=0', 422, ['limit']],
      ['/api/v1/search?q=quota&limit=abc', 422, ['limit']],
      ['/api/v1/search?q=quota&lang=jp', 422, ['lang']],
      ['/api/v1/search?q=' + encodeURIComponent('\u0000💥'), 200, []],
      ['/api/v1/topics?lang=xx', 422, ['lang']],
      ['/api/v1/topics/OutOfQuota?lang=en&lang=ko', 400, []],
    ];
    for (const [url, status, fields] of cases) {
      const res = await request(app).get(url);
      assert.equal(res.status, status, url);
      assert.deepEqual(
        (res.body.errors ?? []).map((e: { field: string }) => e.field),
        fields,
        url,
      );
    }
  });

  it('answers a malformed percent-encoding in a topic id with 400, not 500', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/topics/%E0%A4%A');
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'urn:stepwise:problem:badRequest');
  });

  it('answers unknown routes with 404 problem+json, and a known route asked with another method with 405 (see methods.test.ts)', async () => {
    const { app } = makeApp();
    for (const [method, url] of [
      ['get', '/api/v1/nope'],
      ['delete', '/api/v1/nope'],
    ] as const) {
      const res = await request(app)[method](url);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.equal(res.headers['content-type'], PROBLEM);
      assert.equal(res.body.title, 'Not found');
    }
    for (const [method, url] of [
      ['delete', '/api/v1/ask'],
      ['get', '/api/v1/ask'],
    ] as const) {
      const res = await request(app)[method](url);
      assert.equal(res.status, 405, `${method} ${url}`);
      assert.equal(res.headers.allow, 'POST');
    }
  });

  it('answers 500 without a stack trace when a handler throws, and logs the error with the request id', async () => {
    const { app, logs } = makeApp({
      mounts: [
        (a) =>
          a.get('/boom', () => {
            throw new Error('secret internals at /srv/app.ts:12');
          }),
      ],
    });
    const res = await request(app).get('/boom');
    assert.equal(res.status, 500);
    assert.equal(res.body.title, 'Internal error');
    assert.equal(res.body.detail, `Something went wrong on our side. Quote request id ${res.headers['x-request-id']} when you report it.`);
    assert.doesNotMatch(res.text, /secret internals|at \/|\.ts:/);
    const line = logs.lines.find((l) => l.msg === 'request failed');
    assert.equal(line?.requestId, res.headers['x-request-id']);
    assert.match(res.headers['x-request-id'], UUID);
  });
});
