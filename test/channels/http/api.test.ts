import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Engine } from '../../../src/engine/types.ts';
import { makeApp, assertMatchesOpenApi, realEngine, UUID } from './helpers.ts';

const ask = (app: ReturnType<typeof makeApp>['app'], body: object, headers: Record<string, string> = {}) =>
  request(app).post('/api/v1/ask').set(headers).send(body);

describe('POST /api/v1/ask', () => {
  it('when the question names OutOfQuota CPU in Korean, answers with the Korean OutOfQuota/cpu topic', async () => {
    const { app } = makeApp();
    const res = await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-language'], 'ko');
    assert.equal(res.body.answer.status, 'answered');
    assert.equal(res.body.answer.lang, 'ko');
    assert.equal(res.body.answer.topic.id, 'OutOfQuota/cpu');
    assert.equal(res.body.answer.topic.title, 'CPU 할당량');
    assert.match(res.body.answer.id, UUID);
    assert.ok(res.body.answer.steps.length > 0);
    assert.match(res.body.answer.source.url, /^https:\/\/learn\.microsoft\.com\/ko-kr\//);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('renders the whole answer as Markdown and sanitized HTML in the asker language', async () => {
    const { app } = makeApp();
    const res = await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    const { markdown, html } = res.body.answer;
    assert.ok(markdown.startsWith('### CPU 할당량\n\n'), markdown.slice(0, 40));
    assert.ok(markdown.includes('\n\n**해결 단계**\n\n1. '), 'steps under the Korean label');
    assert.ok(html.startsWith('<article class="stepwise-answer" lang="ko" data-status="answered">'), html.slice(0, 80));
    assert.ok(html.includes('<h3 data-topic-id="OutOfQuota/cpu">CPU 할당량</h3>'));
    assert.ok(html.includes('rel="noopener noreferrer"'));
    assert.doesNotMatch(html, /<script|onerror=|javascript:/i);
  });

  it('uses the lang field over Accept-Language and Accept-Language over detection', async () => {
    const { app } = makeApp();
    const byField = await ask(app, { question: 'ImageBuildFailure', lang: 'zh' }, { 'Accept-Language': 'ko-KR' });
    assert.equal(byField.body.answer.lang, 'zh');
    assert.equal(byField.headers['content-language'], 'zh');
    const byHeader = await ask(app, { question: 'ImageBuildFailure' }, { 'Accept-Language': 'fr-FR, ko-KR;q=0.8, en;q=0.5' });
    assert.equal(byHeader.body.answer.lang, 'ko');
    const detected = await ask(app, { question: 'ImageBuildFailure 오류가 났어요' });
    assert.equal(detected.body.answer.lang, 'ko');
  });

  it('when several sub-topics match, answers clarify with alternatives, and topic picks one of them', async () => {
    const { app } = makeApp();
    const first = await ask(app, { question: 'ImageBuildFailure', lang: 'en' });
    assert.ok(first.body.answer.alternatives.length > 0);
    const choice = first.body.answer.alternatives[0].id as string;
    const second = await ask(app, { question: 'ImageBuildFailure', lang: 'en', topic: choice });
    assert.equal(second.status, 200);
    assert.equal(second.body.answer.status, 'answered');
    assert.equal(second.body.answer.topic.id, choice);
    assertMatchesOpenApi(second, '/api/v1/ask', 'post');
  });

  it('picks a topic case-insensitively and marks a legacy v1 topic', async () => {
    const { app } = makeApp();
    const res = await ask(app, { question: 'my AKS service', lang: 'en', topic: 'V1/http-503' });
    assert.equal(res.body.answer.topic.id, 'v1/HTTP-503');
    assert.deepEqual(res.body.answer.notices, ['legacy_topic']);
    assert.ok(res.body.answer.markdown.includes('> This is a legacy SDK v1 (ACI/AKS web service) topic.'));
  });

  it('when nothing matches, answers not_found with suggestions and the localized not-found text', async () => {
    const { app } = makeApp();
    const res = await ask(app, { question: 'how do I bake bread', lang: 'en' });
    assert.equal(res.status, 200);
    assert.equal(res.body.answer.status, 'not_found');
    assert.equal(res.body.answer.topic, undefined);
    assert.ok(res.body.answer.markdown.startsWith('I could not find a troubleshooting topic for that question.'));
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
  });

  it('records each answer in the store with its status, topic and language', async () => {
    const { app, store } = makeApp();
    const res = await ask(app, { question: 'how do I bake bread', lang: 'en' });
    const record = await store.getAnswer(res.body.answer.id);
    assert.deepEqual(
      { ...record, at: undefined },
      {
        id: res.body.answer.id,
        at: undefined,
        channel: 'http',
        lang: 'en',
        status: 'not_found',
        question: 'how do I bake bread',
      },
    );
  });

  it('keeps no question text in the store when storeQuestions is off', async () => {
    const { app, store } = makeApp({ options: { storeQuestions: false } });
    const res = await ask(app, { question: 'how do I bake bread', lang: 'en' });
    assert.equal((await store.getAnswer(res.body.answer.id))?.question, undefined);
  });
});

describe('GET /api/v1/search', () => {
  it('returns ranked hits with <mark> snippets in the requested language', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/search').query({ q: 'quota', lang: 'en', limit: 3 });
    assert.equal(res.status, 200);
    assert.equal(res.body.query, 'quota');
    assert.equal(res.body.lang, 'en');
    assert.equal(res.body.hits.length, 3);
    // Ranking inside the OutOfQuota family is the engine's business; the API keeps its order.
    assert.deepEqual(
      res.body.hits.map((h: { topicId: string }) => h.topicId.split('/')[0]),
      ['OutOfQuota', 'OutOfQuota', 'OutOfQuota'],
    );
    assert.ok(res.body.hits[0].snippet.includes('<mark>'));
    assert.ok(res.body.hits[0].score >= res.body.hits[1].score);
    assertMatchesOpenApi(res, '/api/v1/search', 'get');
  });

  it('detects the language of q when neither lang nor Accept-Language is given', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/search').query({ q: '할당량' });
    assert.equal(res.body.lang, 'ko');
    assert.equal(res.headers['content-language'], 'ko');
  });
});

describe('GET /api/v1/topics', () => {
  it('lists the whole catalog with localized titles', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/topics?lang=ko');
    assert.equal(res.status, 200);
    assert.equal(res.body.lang, 'ko');
    assert.equal(res.body.topics.length, 97);
    const cpu = res.body.topics.find((t: { id: string }) => t.id === 'OutOfQuota/cpu');
    assert.deepEqual(cpu, { id: 'OutOfQuota/cpu', title: 'CPU 할당량', codes: [], parent: 'OutOfQuota', legacy: false });
    assertMatchesOpenApi(res, '/api/v1/topics', 'get');
  });

  for (const path of ['/api/v1/topics/OutOfQuota/cpu', '/api/v1/topics/OutOfQuota%2Fcpu', '/api/v1/topics/outofquota%2FCPU']) {
    it(`serves the article for ${path} (raw, encoded and any-case ids)`, async () => {
      const { app } = makeApp();
      const res = await request(app).get(`${path}?lang=ko`);
      assert.equal(res.status, 200);
      assert.equal(res.body.article.id, 'OutOfQuota/cpu');
      assert.equal(res.body.article.lang, 'ko');
      assert.equal(res.body.article.title, 'CPU 할당량');
      assert.ok(res.body.article.html.length > 0);
      assert.doesNotMatch(res.body.article.html, /\{#outofquota-cpu\}/);
      assertMatchesOpenApi(res, '/api/v1/topics/{id}', 'get');
    });
  }

  it('serves legacy ids with a slash, v1/HTTP-503, raw and encoded', async () => {
    const { app } = makeApp();
    const raw = await request(app).get('/api/v1/topics/v1/HTTP-503?lang=en');
    const encoded = await request(app).get('/api/v1/topics/v1%2FHTTP-503?lang=en');
    assert.equal(raw.body.article.id, 'v1/HTTP-503');
    assert.deepEqual(encoded.body, raw.body);
  });

  it('answers 404 problem+json naming the unknown topic', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/topics/NoSuch/Thing');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.body.type, 'urn:stepwise:problem:unknownTopic');
    assert.equal(res.body.title, 'Unknown topic');
    assert.equal(res.body.detail, 'There is no topic with the id "NoSuch/Thing". GET /api/v1/topics lists them.');
    assertMatchesOpenApi(res, '/api/v1/topics/{id}', 'get');
  });
});

describe('POST /api/v1/feedback', () => {
  it('accepts 👎 on one step of a given answer with 202 and stores it', async () => {
    const { app, store } = makeApp();
    const answer = await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    const res = await request(app).post('/api/v1/feedback').send({ answerId: answer.body.answer.id, helpful: false, step: 2, comment: '안 됩니다' });
    assert.equal(res.status, 202);
    assert.equal(res.body.status, 'accepted');
    assert.equal(res.body.answerId, answer.body.answer.id);
    assertMatchesOpenApi(res, '/api/v1/feedback', 'post');
    const [stored] = await store.feedback();
    assert.deepEqual(
      { ...stored, at: undefined },
      {
        id: res.body.id,
        at: undefined,
        channel: 'http',
        answerId: answer.body.answer.id,
        helpful: false,
        step: 2,
        comment: '안 됩니다',
      },
    );
  });

  it('refuses feedback on an answer this service never gave with 422 on answerId', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/api/v1/feedback').send({ answerId: 'nope', helpful: true });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors, [{ field: 'answerId', code: 'unknownAnswer', message: 'answerId does not refer to an answer given by this service.' }]);
    assertMatchesOpenApi(res, '/api/v1/feedback', 'post');
  });
});

describe('GET /api/v1/insights', () => {
  it('lists not_found questions and 👎 answers per topic and language for an admin key', async () => {
    const { app } = makeApp({ options: { adminKeys: ['admin-secret'] } });
    await ask(app, { question: 'how do I bake bread', lang: 'en' });
    await ask(app, { question: 'how do I bake bread', lang: 'en' });
    const cpu = await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    const again = await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    await request(app).post('/api/v1/feedback').send({ answerId: cpu.body.answer.id, helpful: false, step: 1 });
    // A vote on another answer: a second vote on the same answer would replace the first (one vote per answer).
    await request(app).post('/api/v1/feedback').send({ answerId: again.body.answer.id, helpful: true });
    const res = await request(app).get('/api/v1/insights').set('x-api-key', 'admin-secret');
    assert.equal(res.status, 200);
    assertMatchesOpenApi(res, '/api/v1/insights', 'get');
    assert.deepEqual(res.body.totals, { answers: 4, notFound: 2, feedback: 2, unhelpful: 1 });
    const summary = res.body.gaps.map((g: Record<string, unknown>) => [g.topicId, g.lang, g.notFound, g.unhelpful, g.helpful]);
    assert.deepEqual(summary, [
      [null, 'en', 2, 0, 0],
      ['OutOfQuota/cpu', 'ko', 0, 1, 1],
    ]);
    assert.equal(res.body.gaps[0].examples[0].question, 'how do I bake bread');
    assert.equal(res.body.gaps[1].examples[0].step, 1);
  });

  it('answers 401 without the admin key, even when the API itself is open', async () => {
    const { app } = makeApp({ options: { adminKeys: ['admin-secret'] } });
    const res = await request(app).get('/api/v1/insights').set('x-api-key', 'wrong');
    assert.equal(res.status, 401);
    assert.equal(res.body.type, 'urn:stepwise:problem:unauthorized');
    assertMatchesOpenApi(res, '/api/v1/insights', 'get');
  });
});

describe('health, readiness, metrics, OpenAPI', () => {
  it('answers /readyz 503 until the engine promise resolves, then 200', async () => {
    let resolve!: (e: Engine) => void;
    const pending = new Promise<Engine>((r) => (resolve = r));
    const { app } = makeApp({ engine: pending });
    assert.equal((await request(app).get('/healthz')).status, 200);
    const loading = await request(app).get('/readyz');
    assert.equal(loading.status, 503);
    assert.deepEqual(loading.body, { status: 'loading' });
    const early = await ask(app, { question: 'OutOfQuota' });
    assert.equal(early.status, 503);
    assert.equal(early.headers['retry-after'], '1');
    assert.equal(early.body.type, 'urn:stepwise:problem:notReady');
    resolve(realEngine());
    await pending;
    const ready = await request(app).get('/readyz');
    assert.deepEqual([ready.status, ready.body], [200, { status: 'ready', topics: 97 }]);
    assertMatchesOpenApi(ready, '/readyz', 'get');
  });

  it('exposes request durations by route and status, and answers by status and language', async () => {
    const { app } = makeApp();
    await ask(app, { question: 'OutOfQuota CPU 할당량이 부족합니다' });
    await request(app).get('/api/v1/topics/NoSuch');
    const res = await request(app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.text, /stepwise_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/ask",status="200"\} 1/);
    assert.match(res.text, /stepwise_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/topics\/\*id",status="404"\} 1/);
    assert.match(res.text, /stepwise_answers_total\{status="answered",lang="ko",channel="http"\} 1/);
  });

  it('serves an OpenAPI 3.1 document describing every route', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    assert.deepEqual(Object.keys(res.body.paths).sort(), [
      '/api/v1/admin/reload',
      '/api/v1/ask',
      '/api/v1/feedback',
      '/api/v1/insights',
      '/api/v1/openapi.json',
      '/api/v1/search',
      '/api/v1/tickets',
      '/api/v1/tickets/{id}',
      '/api/v1/tickets/{id}/assign',
      '/api/v1/tickets/{id}/knowledge-base',
      '/api/v1/tickets/{id}/resolve',
      '/api/v1/topics',
      '/api/v1/topics/{id}',
      '/healthz',
      '/metrics',
      '/readyz',
    ]);
  });

  it('applies mounts after the API and before the 404 handler', async () => {
    const { app } = makeApp({ mounts: [(a) => a.get('/widget.js', (_req, res) => void res.type('js').send('ok'))] });
    assert.equal((await request(app).get('/widget.js')).text, 'ok');
    assert.equal((await request(app).get('/nothing-here')).status, 404);
  });
});
