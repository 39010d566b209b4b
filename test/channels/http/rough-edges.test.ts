/** Issue 11's API rough edges: disabled admin routes, 405 with Allow, malformed query strings, step bounds, no version on open routes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import request from 'supertest';
import { createMetrics } from '../../../src/observability/index.ts';
import { createDrainableServer } from '../../../src/channels/http/server.ts';
import { createAdminMount } from '../../../src/channels/admin/index.ts';
import { makeApp, assertMatchesOpenApi, assertProblem, i18n } from './helpers.ts';

describe('admin routes without ADMIN_KEYS', () => {
  it('answer 403 adminDisabled saying to set ADMIN_KEYS, not a 401 asking for a key no one has', async () => {
    const { app } = makeApp({
      options: { adminKeys: [] },
      content: {
        onSwap: () => undefined,
        reload: async () => {
          throw new Error('not called');
        },
      },
    });
    for (const [method, path, doc] of [
      ['get', '/api/v1/insights', '/api/v1/insights'],
      ['post', '/api/v1/admin/reload', '/api/v1/admin/reload'],
    ] as const) {
      const res = await request(app)[method](path).set('x-api-key', 'anything');
      assert.equal(res.status, 403, path);
      assert.equal(res.body.type, 'urn:stepwise:problem:adminDisabled');
      assert.equal(
        res.body.detail,
        'Admin routes are disabled: no admin key is configured, so no key can open them. Set ADMIN_KEYS on the server to enable them.',
      );
      assert.equal(res.headers['www-authenticate'], undefined);
      assertMatchesOpenApi(res, doc, method);
    }
    const ko = await request(app).get('/api/v1/insights').set('Accept-Language', 'ko');
    assert.equal(ko.body.title, '관리자 경로가 꺼져 있음');
  });

  it('still answer 401 to a caller without an API key when the API requires one (the key check comes first)', async () => {
    const { app } = makeApp({ options: { apiKeys: ['k1'], adminKeys: [] } });
    assert.equal((await request(app).get('/api/v1/insights')).status, 401);
    assert.equal((await request(app).get('/api/v1/insights').set('x-api-key', 'k1')).status, 403);
  });

  it('show the dashboard as disabled (403, in the page language) instead of a sign-in form no key can pass', async () => {
    const { app } = makeApp({
      options: { adminKeys: [] },
      mounts: [createAdminMount({ store: undefined as never, engine: () => undefined, reader: () => undefined, adminKeys: [], i18n })],
    });
    const page = await request(app).get('/admin?lang=en');
    assert.equal(page.status, 403);
    assert.match(page.text, /The dashboard is disabled: no admin key is configured \(ADMIN_KEYS\)/);
    assert.doesNotMatch(page.text, /<form/);
    const login = await request(app).post('/admin/login?lang=zh').type('form').send({ key: 'x' });
    assert.equal(login.status, 403);
    assert.match(login.text, /仪表板已关闭/);
  });
});

describe('a known address asked with another method', () => {
  it('answers 405 problem+json with an Allow header listing the methods it answers', async () => {
    const { app } = makeApp();
    const cases: Array<['get' | 'put' | 'delete' | 'post' | 'patch', string, string]> = [
      ['get', '/api/v1/ask', 'POST'],
      ['put', '/api/v1/feedback', 'POST'],
      ['delete', '/api/v1/topics/OutOfQuota/cpu', 'GET, HEAD'],
      ['post', '/api/v1/search?q=x', 'GET, HEAD'],
      ['post', '/healthz', 'GET, HEAD'],
      ['patch', '/readyz', 'GET, HEAD'],
      ['post', '/metrics', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request(app)[method](path);
      assertProblem(res, 'methodNotAllowed', 405);
      assert.equal(res.headers.allow, allow, `${method} ${path}`);
      assert.equal(res.body.detail, `${method.toUpperCase()} is not allowed here; this address answers ${allow} (see the Allow header).`);
    }
  });

  it('answers OPTIONS on a known address with 204 and Allow', async () => {
    const { app } = makeApp();
    const res = await request(app).options('/api/v1/ask');
    assert.equal(res.status, 204);
    assert.equal(res.headers.allow, 'POST, OPTIONS');
  });

  it('leaves unknown addresses a 404', async () => {
    const { app } = makeApp();
    assertProblem(await request(app).delete('/api/v1/nothing-here'), 'notFound', 404);
  });
});

describe('malformed query strings', () => {
  it('answer 400 badQuery problem+json, never 500: bad percent-encoding, repeated parameters, name[] arrays', async () => {
    const { app } = makeApp();
    for (const url of [
      '/api/v1/search?q=%E0%A4%A',
      '/api/v1/search?q=%ZZ',
      '/api/v1/search?q=quota&q=cpu',
      '/api/v1/search?q=quota&lang=en&lang=ko',
      '/api/v1/topics?lang[]=en',
      '/api/v1/search?q[]=quota',
      '/api/v1/topics/OutOfQuota?lang=en&lang=ko',
      '/api/v1/insights?examples=1&examples=2',
    ]) {
      const res = await request(app).get(url).set('x-api-key', 'admin');
      assert.equal(res.status, 400, url);
      assert.equal(res.body.type, 'urn:stepwise:problem:badQuery', url);
      assert.equal(
        res.body.detail,
        'The query string could not be read. Send each parameter once, as name=value, percent-encoded as UTF-8 (no name[] arrays).',
      );
      assertMatchesOpenApi(res, url.startsWith('/api/v1/topics/') ? '/api/v1/topics/{id}' : url.split('?')[0], 'get');
    }
  });

  it('read well-formed ones as before: + and %20 are spaces, encoded Hangul is text, an empty value is absent', async () => {
    const { app } = makeApp();
    const res = await request(app).get(`/api/v1/search?q=${encodeURIComponent('배포 할당량')}+quota&limit=&lang=`);
    assert.equal(res.status, 200);
    assert.equal(res.body.query, '배포 할당량 quota');
  });

  it('answer a URL with raw (unencoded) Hangul, which Node refuses before the app, with a problem+json 400 body', async () => {
    const { app } = makeApp();
    const { server } = createDrainableServer(app);
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const port = (server.address() as { port: number }).port;
      const raw = await new Promise<string>((done, fail) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(Buffer.concat([Buffer.from('GET /api/v1/search?q='), Buffer.from('배포', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
        });
        let out = '';
        socket.on('data', (d) => (out += d.toString()));
        socket.on('end', () => done(out));
        socket.on('error', fail);
      });
      const [head, body] = raw.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(head, /Content-Type: application\/problem\+json; charset=utf-8/);
      const problem = JSON.parse(body) as Record<string, unknown>;
      assert.equal(problem.type, 'urn:stepwise:problem:badRequest');
      assert.match(String(problem.detail), /Percent-encode every non-ASCII character of the URL as UTF-8/);
    } finally {
      server.close();
    }
  });
});

describe('feedback on a step', () => {
  it("accepts a step within the answer's steps and refuses one past them (422 stepOutOfRange) or on an answer without steps (422 noSteps)", async () => {
    const { app } = makeApp();
    const asked = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', topic: 'OutOfQuota/cpu', lang: 'en' });
    const steps = asked.body.answer.steps.length as number;
    assert.ok(steps >= 2, 'the topic has steps');
    const ok = await request(app).post('/api/v1/feedback').send({ answerId: asked.body.answer.id, helpful: false, step: steps });
    assert.equal(ok.status, 202);
    const past = await request(app)
      .post('/api/v1/feedback')
      .send({ answerId: asked.body.answer.id, helpful: false, step: steps + 1 });
    assert.equal(past.status, 422);
    assert.deepEqual(past.body.errors, [{ field: 'step', code: 'stepOutOfRange', message: `step must be a step of this answer: between 1 and ${steps}.` }]);
    assertMatchesOpenApi(past, '/api/v1/feedback', 'post');

    const none = await request(app).post('/api/v1/ask').send({ question: 'how do I bake bread at home' });
    assert.equal(none.body.answer.status, 'not_found');
    const noSteps = await request(app).post('/api/v1/feedback').send({ answerId: none.body.answer.id, helpful: false, step: 1 });
    assert.equal(noSteps.status, 422);
    assert.equal(noSteps.body.errors[0].code, 'noSteps');
    assert.equal((await request(app).post('/api/v1/feedback').send({ answerId: none.body.answer.id, helpful: false })).status, 202);
  });
});

describe('changing a vote', () => {
  it('counts the last vote of an answer once: 👎, then 👎 with a comment, then 👍 is one helpful vote in /insights', async () => {
    const { app } = makeApp({ options: { adminKeys: ['adm'] } });
    const asked = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', topic: 'OutOfQuota/cpu', lang: 'en' });
    const answerId = asked.body.answer.id as string;
    const totals = async () => (await request(app).get('/api/v1/insights').set('x-api-key', 'adm')).body.totals as Record<string, number>;
    for (const body of [{ helpful: false }, { helpful: false, comment: 'the quota page moved' }]) {
      const res = await request(app)
        .post('/api/v1/feedback')
        .send({ answerId, ...body });
      assert.equal(res.status, 202);
      assertMatchesOpenApi(res, '/api/v1/feedback', 'post');
    }
    assert.deepEqual(await totals(), { answers: 1, notFound: 0, feedback: 1, unhelpful: 1 });
    assert.equal((await request(app).post('/api/v1/feedback').send({ answerId, helpful: true })).status, 202);
    assert.deepEqual(await totals(), { answers: 1, notFound: 0, feedback: 1, unhelpful: 0 });
  });
});

describe('open routes show no software version', () => {
  it("/metrics has no nodejs_version_info (the runtime's version), and no open route names Node", async () => {
    const { app } = makeApp({ metrics: createMetrics({ defaults: true }) });
    const metrics = await request(app).get('/metrics');
    assert.equal(metrics.status, 200);
    assert.doesNotMatch(metrics.text, /nodejs_version_info|version="v\d/);
    assert.match(metrics.text, /process_cpu_user_seconds_total/);
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/v1/topics']) {
      const res = await request(app).get(path);
      assert.equal(res.headers['x-powered-by'], undefined, path);
      assert.doesNotMatch(JSON.stringify(res.headers), new RegExp(process.version.replace(/\./g, '\\.')), path);
    }
  });
});
