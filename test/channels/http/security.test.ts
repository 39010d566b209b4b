import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeApp, assertMatchesOpenApi, UUID } from './helpers.ts';
import type { RequestHandler } from 'express';
import { cleanClientRequestId } from '../../../src/observability/request-id.ts';
import { recordHeaders } from '../../../src/channels/http/security.ts';

describe('tracing', () => {
  it('gives every response a server-made GUID x-request-id, also on errors', async () => {
    const { app } = makeApp();
    const a = await request(app).get('/healthz');
    const b = await request(app).get('/no-such-route');
    assert.match(a.headers['x-request-id'], UUID);
    assert.match(b.headers['x-request-id'], UUID);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  it('ignores a client-sent x-request-id and makes its own', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/healthz').set('x-request-id', 'client-chosen');
    assert.match(res.headers['x-request-id'], UUID);
  });

  it('reduces x-ms-client-request-id to letters, digits, - and _, cuts it to 40 and echoes and logs it', async () => {
    const { app, logs } = makeApp();
    const sent = 'abc-DEF_123 <script>;\r\nx: y ' + 'z'.repeat(60);
    const res = await request(app)
      .get('/healthz')
      .set('x-ms-client-request-id', sent.replace(/[\r\n]/g, ''));
    const expected = ('abc-DEF_123scriptxy' + 'z'.repeat(60)).slice(0, 40);
    assert.equal(res.headers['x-ms-client-request-id'], expected);
    assert.equal(expected.length, 40);
    const line = logs.lines.find((l) => l.route === '/healthz');
    assert.equal(line?.clientRequestId, expected);
    assert.equal(line?.requestId, res.headers['x-request-id']);
  });

  it('echoes nothing when the client id holds no allowed character', async () => {
    assert.equal(cleanClientRequestId('한국어 !!'), '');
    const { app } = makeApp();
    const res = await request(app).get('/healthz').set('x-ms-client-request-id', '!!!');
    assert.equal(res.headers['x-ms-client-request-id'], undefined);
  });
});

describe('logging', () => {
  it('writes one structured JSON line per request without the question text by default', async () => {
    const { app, logs } = makeApp();
    const res = await request(app).post('/api/v1/ask').send({ question: 'my secret cluster contoso-prod OutOfQuota' });
    const line = logs.lines.find((l) => l.route === '/api/v1/ask');
    assert.equal(line?.requestId, res.headers['x-request-id']);
    assert.equal(line?.status, 200);
    assert.equal(line?.answerId, res.body.answer.id);
    assert.equal(line?.level, 30);
    assert.doesNotMatch(logs.text(), /contoso-prod/);
  });

  it('logs the question only when logQuestions is on', async () => {
    const { app, logs } = makeApp({ options: { logQuestions: true } });
    await request(app).post('/api/v1/ask').send({ question: 'my secret cluster contoso-prod OutOfQuota' });
    assert.equal(logs.lines.find((l) => l.route === '/api/v1/ask')?.question, 'my secret cluster contoso-prod OutOfQuota');
  });
});

describe('security', () => {
  it('sets helmet headers with a CSP that allows the widget own script', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/healthz');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['content-security-policy'], /script-src 'self'/);
    assert.doesNotMatch(res.headers['content-security-policy'], /upgrade-insecure-requests/);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('sets every helmet header, with the values helmet gives them, on answers and problems alike', async () => {
    const { app } = makeApp();
    const helmetHeaders = {
      'content-security-policy':
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'cross-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    for (const res of [
      await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU 할당량이 부족합니다' }),
      await request(app).get('/no-such-route'),
    ]) {
      const seen = Object.fromEntries(Object.keys(helmetHeaders).map((name) => [name, res.headers[name]]));
      assert.deepEqual(seen, helmetHeaders);
    }
  });

  it('records the headers of a middleware that does not depend on the request, and refuses one that fails', () => {
    const middleware: RequestHandler = (_req, res, next) => {
      res.removeHeader('X-Powered-By');
      res.setHeader('X-Frame-Options', 'SAMEORIGIN');
      next();
    };
    assert.deepEqual(recordHeaders(middleware), { set: [['X-Frame-Options', 'SAMEORIGIN']], removed: ['X-Powered-By'] });
    assert.throws(() => recordHeaders((_req, _res, next) => next(new Error('bad option'))), /securityHeaders: helmet refused its options/);
    assert.throws(() => recordHeaders(() => undefined), /securityHeaders: helmet did not finish synchronously/);
  });

  it('allows CORS only from configured origins and answers their preflight', async () => {
    const { app } = makeApp({ options: { corsOrigins: ['https://portal.contoso.com'] } });
    const ok = await request(app).options('/api/v1/ask').set('Origin', 'https://portal.contoso.com').set('Access-Control-Request-Method', 'POST');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://portal.contoso.com');
    assert.equal(ok.headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
    assert.match(ok.headers['access-control-allow-headers'], /x-ms-client-request-id/);
    assert.match(ok.headers['access-control-allow-headers'], /x-stepwise-channel/);
    const evil = await request(app).get('/api/v1/topics').set('Origin', 'https://evil.example');
    assert.equal(evil.status, 200);
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    const simple = await request(app).get('/api/v1/topics').set('Origin', 'https://portal.contoso.com');
    assert.equal(simple.headers['access-control-allow-origin'], 'https://portal.contoso.com');
    assert.match(simple.headers['access-control-expose-headers'], /x-request-id/);
  });

  it('answers 401 without a configured API key, and accepts x-api-key or a Bearer token', async () => {
    const { app } = makeApp({ options: { apiKeys: ['k1', 'k2'] } });
    const none = await request(app).get('/api/v1/topics');
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    assert.equal(none.body.detail, 'Send a valid API key in the x-api-key header or as Authorization: Bearer <key>.');
    assertMatchesOpenApi(none, '/api/v1/topics', 'get');
    assert.equal((await request(app).get('/api/v1/topics').set('x-api-key', 'nope')).status, 401);
    assert.equal((await request(app).get('/api/v1/topics').set('x-api-key', 'k2')).status, 200);
    assert.equal((await request(app).get('/api/v1/topics').set('Authorization', 'Bearer k1')).status, 200);
    // Probes and the API description stay open.
    assert.equal((await request(app).get('/healthz')).status, 200);
    assert.equal((await request(app).get('/api/v1/openapi.json')).status, 200);
  });

  it('with API keys required, lets a widget key ask and send feedback only from its own origin', async () => {
    const portal = 'https://portal.contoso.com';
    const { app } = makeApp({ options: { apiKeys: ['secret-k1'], widgetKeys: [{ key: 'wk_portal_01', origin: portal }] } });
    const ask = () => request(app).post('/api/v1/ask').send({ question: 'OutOfQuota' });
    const ok = await ask().set('Origin', portal).set('x-stepwise-widget-key', 'wk_portal_01');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], portal, "the key's origin is allowed by CORS");
    const feedback = await request(app)
      .post('/api/v1/feedback')
      .set('Origin', portal)
      .set('x-stepwise-widget-key', 'wk_portal_01')
      .send({ answerId: ok.body.answer.id, helpful: true });
    assert.equal(feedback.status, 202);
    assert.equal((await ask().set('Origin', 'https://evil.example').set('x-stepwise-widget-key', 'wk_portal_01')).status, 401, 'another origin');
    assert.equal((await ask().set('x-stepwise-widget-key', 'wk_portal_01')).status, 401, 'no origin');
    assert.equal((await ask().set('Origin', portal).set('x-stepwise-widget-key', 'wk_portal_02')).status, 401, 'a wrong key');
    assert.equal((await ask().set('Origin', portal).set('x-api-key', 'wk_portal_01')).status, 401, 'not an API key');
    const topics = await request(app).get('/api/v1/topics').set('Origin', portal).set('x-stepwise-widget-key', 'wk_portal_01');
    assert.equal(topics.status, 401, 'only what the widget calls');
    const preflight = await request(app).options('/api/v1/ask').set('Origin', portal).set('Access-Control-Request-Method', 'POST');
    assert.match(preflight.headers['access-control-allow-headers'], /x-stepwise-widget-key/);
  });

  it('rate-limits per client with 429 problem+json and Retry-After', async () => {
    const { app } = makeApp({ options: { rateLimit: { max: 3, windowMs: 60_000 } } });
    for (let i = 0; i < 3; i++) assert.equal((await request(app).get('/api/v1/topics')).status, 200);
    const res = await request(app).get('/api/v1/topics').set('Accept-Language', 'zh-CN');
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '60');
    assert.equal(res.body.title, '请求过多');
    assert.equal(res.body.detail, '请在 60 秒后重试。');
    assertMatchesOpenApi(res, '/api/v1/topics', 'get');
  });

  it('counts a valid API key as its own client, separate from its IP', async () => {
    const { app } = makeApp({ options: { apiKeys: ['k1'], rateLimit: { max: 1, windowMs: 60_000 } } });
    assert.equal((await request(app).get('/api/v1/topics').set('x-api-key', 'k1')).status, 200);
    assert.equal((await request(app).get('/api/v1/topics').set('x-api-key', 'k1')).status, 429);
    assert.equal((await request(app).get('/api/v1/topics').set('x-api-key', 'bad')).status, 401);
  });
});
