import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createMemoryStore, StoreUnavailableError, type Store } from '../../../src/store/index.ts';
import { makeApp, assertMatchesOpenApi } from './helpers.ts';

/** A memory store whose writes can be held, failed, or marked unhealthy from the test. */
function controllableStore() {
  const inner = createMemoryStore();
  let fail: Error | undefined;
  let hold: Promise<void> | undefined;
  let ready = true;
  const gate = async () => {
    if (hold) await hold;
    if (fail) throw fail;
  };
  // `satisfies` rather than a type: the spread keeps whatever else the memory store offers.
  const store = {
    ...inner,
    async recordAnswer(record) {
      await gate();
      return inner.recordAnswer(record);
    },
    async addFeedback(record) {
      await gate();
      return inner.addFeedback(record);
    },
    health: () => (ready ? { ready: true } : { ready: false, reason: 'disk full' }),
  } satisfies Store;
  return {
    store,
    failWith: (error: Error | undefined) => void (fail = error),
    holdUntil: (promise: Promise<void> | undefined) => void (hold = promise),
    setReady: (value: boolean) => void (ready = value),
  };
}

describe('an id is acknowledged only once its record is stored', () => {
  it('holds the /ask response until recordAnswer has resolved, then the answer id is in the store', async () => {
    const control = controllableStore();
    const { app, store } = makeApp({ store: control.store });
    let release!: () => void;
    control.holdUntil(new Promise((done) => (release = done)));
    let answered = false;
    const pending = request(app)
      .post('/api/v1/ask')
      .send({ question: 'OutOfQuota', lang: 'en' })
      .then((res) => ((answered = true), res));
    await new Promise((done) => setTimeout(done, 100));
    assert.equal(answered, false);
    assert.deepEqual(await store.answers(), []);
    release();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal((await store.getAnswer(res.body.answer.id))?.id, res.body.answer.id);
  });

  it("answers /ask with a 503 problem and the store's Retry-After when the write fails, and logs one line", async () => {
    const control = controllableStore();
    const { app, logs } = makeApp({ store: control.store });
    control.failWith(new StoreUnavailableError('SQLITE_FULL: database or disk is full', { retryAfterSeconds: 7 }));
    const res = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', lang: 'en' });
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '7');
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.body.type, 'urn:stepwise:problem:storeUnavailable');
    assert.equal(res.body.detail, 'Nothing was stored. Try again in 7 seconds.');
    assert.equal(res.body.answer, undefined);
    assert.doesNotMatch(res.text, /SQLITE_FULL/);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    const failures = logs.lines.filter((l) => l.msg === 'store unavailable');
    assert.equal(failures.length, 1);
    assert.equal(
      logs
        .text()
        .split('\n')
        .filter(Boolean)
        .every((line) => line.startsWith('{')),
      true,
    );
  });

  it('turns any store rejection (a plain I/O error) into a 503 with Retry-After 5, never a 500', async () => {
    const control = controllableStore();
    const { app } = makeApp({ store: control.store });
    control.failWith(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    const res = await request(app).post('/api/v1/ask').set('accept-language', 'ko').send({ question: 'OutOfQuota' });
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.body.title, '저장소를 사용할 수 없음');
  });

  it('answers /feedback 202 only after addFeedback resolved, and 503 when it fails (the vote is not stored)', async () => {
    const control = controllableStore();
    const { app, store } = makeApp({ store: control.store });
    const asked = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', lang: 'en' });
    const answerId = asked.body.answer.id as string;
    control.failWith(new StoreUnavailableError('database is down', { retryAfterSeconds: 3 }));
    const refused = await request(app).post('/api/v1/feedback').send({ answerId, helpful: true });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '3');
    assertMatchesOpenApi(refused, '/api/v1/feedback', 'post');
    assert.deepEqual(await store.feedback(), []);
    control.failWith(undefined);
    const accepted = await request(app).post('/api/v1/feedback').send({ answerId, helpful: true });
    assert.equal(accepted.status, 202);
    assert.deepEqual(
      (await store.feedback()).map((f) => f.id),
      [accepted.body.id],
    );
  });

  it('answers /feedback 503 when the store cannot even look the answer up', async () => {
    const control = controllableStore();
    const store = { ...control.store, getAnswer: () => Promise.reject(new Error('connection terminated')) } satisfies Store;
    const { app } = makeApp({ store });
    const res = await request(app).post('/api/v1/feedback').send({ answerId: 'a1', helpful: false });
    assert.equal(res.status, 503);
    assert.equal(res.body.type, 'urn:stepwise:problem:storeUnavailable');
  });

  it('says not ready on /readyz while the store reports unhealthy, and ready again once it recovers', async () => {
    const control = controllableStore();
    const { app } = makeApp({ store: control.store });
    control.setReady(false);
    const down = await request(app).get('/readyz');
    assert.equal(down.status, 503);
    assert.equal(down.headers['retry-after'], '5');
    assert.deepEqual(down.body, { status: 'store_unavailable' });
    assertMatchesOpenApi(down, '/readyz', 'get');
    control.setReady(true);
    const up = await request(app).get('/readyz');
    assert.equal(up.status, 200);
    assert.equal(up.body.status, 'ready');
  });
});
