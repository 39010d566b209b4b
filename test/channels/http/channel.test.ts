import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApi } from '../../../src/channels/widget/client/api.ts';
import { makeApp, assertMatchesOpenApi } from './helpers.ts';

const ask = (app: ReturnType<typeof makeApp>['app'], channel?: string) => {
  const req = request(app).post('/api/v1/ask');
  if (channel !== undefined) req.set('x-stepwise-channel', channel);
  return req.send({ question: 'OutOfQuota CPU 할당량이 부족합니다' });
};

describe('x-stepwise-channel', () => {
  it('records an ask and its feedback sent with x-stepwise-channel: widget as channel widget', async () => {
    const { app, store } = makeApp();
    const answer = await ask(app, 'widget');
    assert.equal(answer.status, 200);
    assertMatchesOpenApi(answer, '/api/v1/ask', 'post');
    assert.equal((await store.getAnswer(answer.body.answer.id))?.channel, 'widget');
    const vote = await request(app).post('/api/v1/feedback').set('x-stepwise-channel', 'Widget').send({ answerId: answer.body.answer.id, helpful: true });
    assert.equal(vote.status, 202);
    assert.deepEqual(
      (await store.feedback()).map((f) => f.channel),
      ['widget'],
    );
    const metrics = await request(app).get('/metrics');
    assert.match(metrics.text, /stepwise_answers_total\{status="answered",lang="ko",channel="widget"\} 1/);
  });

  it('records http when the header is absent, http, or names a channel this API does not serve', async () => {
    const { app, store } = makeApp();
    for (const channel of [undefined, 'http', 'bot', 'cli', 'teams', '', 'widget, bot']) {
      const res = await ask(app, channel);
      assert.equal(res.status, 200, String(channel));
      assert.equal((await store.getAnswer(res.body.answer.id))?.channel, 'http', String(channel));
    }
  });

  it('documents the header on ask and feedback with the values it accepts', async () => {
    const { app } = makeApp();
    const doc = (await request(app).get('/api/v1/openapi.json')).body;
    for (const path of ['/api/v1/ask', '/api/v1/feedback']) {
      const param = doc.paths[path].post.parameters.find((p: { name: string }) => p.name === 'x-stepwise-channel');
      assert.deepEqual(param.schema, { type: 'string', enum: ['http', 'widget'] }, path);
    }
  });

  it('is sent by the web widget client, so widget asks and votes are recorded as widget', async () => {
    const { app, store } = makeApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const api = createApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const answer = await api.ask({ question: 'OutOfQuota CPU', lang: 'en' });
      assert.ok(answer.ok);
      assert.equal((await store.getAnswer(answer.data.id))?.channel, 'widget');
      assert.deepEqual(await api.feedback({ answerId: answer.data.id, helpful: false }), { ok: true, data: undefined });
      assert.deepEqual(
        (await store.feedback()).map((f) => f.channel),
        ['widget'],
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
