import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { loadKnowledgeBase } from '../../../src/engine/index.ts';
import { createPostgresStore, createSqliteStore, type Store } from '../../../src/store/index.ts';
import { createReader } from '../../../src/support/reader.ts';
import { createWebhook, webhookSignature, type TicketEvent } from '../../../src/support/webhook.ts';
import { createTicketRoutes } from '../../../src/channels/http/routes/tickets.ts';
import { createMetrics, type Metrics } from '../../../src/observability/index.ts';
import { assertMatchesOpenApi, makeApp } from './helpers.ts';

const kb = loadKnowledgeBase(fileURLToPath(new URL('../../../content', import.meta.url))).kb;
const reader = createReader(kb.topics);
const ADMIN = 'admin-key-1';
const SECRET = 'whsec-test-💥';

const KOREAN_LOG = `배포가 계속 실패합니다. 어떻게 해야 하나요?
Traceback (most recent call last):
  File "/var/azureml-app/score.py", line 3, in <module>
ModuleNotFoundError: No module named 'xgboost'`;

/** A receiver that checks each delivery's signature and answers 503 to the first `failFirst` attempts. */
function receiver(failFirst: number) {
  const attempts: Array<{ at: number; ok: boolean; event: TicketEvent; delivery: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = req.headers['x-stepwise-signature-256'] === webhookSignature(SECRET, body);
      attempts.push({ at: Date.now(), ok, event: JSON.parse(body) as TicketEvent, delivery: String(req.headers['x-stepwise-delivery']) });
      if (!ok) return void res.writeHead(401).end();
      res.writeHead(attempts.length <= failFirst ? 503 : 204).end();
    });
  });
  return {
    attempts,
    listen: () =>
      new Promise<string>((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as { port: number }).port}/hook`))),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function appWith(store: Store, metrics?: Metrics) {
  return makeApp({
    store,
    ...(metrics ? { metrics } : {}),
    options: { adminKeys: [ADMIN] },
    mounts: [createTicketRoutes({ store, reader: () => reader, adminKeys: [ADMIN] })],
  });
}

describe('tickets over HTTP with the SQLite store', () => {
  let dir: string;
  let store: Store;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-tickets-'));
    store = createSqliteStore(join(dir, 'stepwise.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a Korean asker pastes a traceback after a 👎, opens a ticket with the error statement first and shows the expert’s reply with the token', async () => {
    const { app } = appWith(store);
    const asked = await request(app).post('/api/v1/ask').set('x-stepwise-channel', 'widget').send({ question: KOREAN_LOG });
    assert.equal(asked.status, 200);
    // The answer id (inside `answer` since the answer-cache change; at the top level before it).
    const answerId = (asked.body.answer?.id ?? asked.body.id) as string;
    const created = await request(app)
      .post('/api/v1/tickets')
      .set('x-stepwise-channel', 'widget')
      .send({ answerId, helpful: false, step: 2, comment: '2단계도 안 돼요', contact: 'kim@example.com' });
    assertMatchesOpenApi(created, '/api/v1/tickets', 'post');
    assert.equal(created.status, 201, created.text);
    const { token, ticket } = created.body as { token: string; ticket: { id: string } };
    assert.equal(created.headers.location, `/api/v1/tickets/${ticket.id}`);
    assert.match(token, /^[A-Za-z0-9_-]{32}$/);

    // Stored before 201: the expert's view (admin key) has what the expert needs without asking again.
    const stored = await store.getTicket(ticket.id);
    assert.equal(stored?.lang, 'ko');
    assert.equal(stored?.channel, 'widget');
    assert.equal(stored?.question, KOREAN_LOG);
    assert.deepEqual(stored?.statements, ["ModuleNotFoundError: No module named 'xgboost'"]);
    assert.equal(stored?.answerId, answerId);
    assert.equal(stored?.topicId, asked.body.answer.topic?.id);
    assert.equal(stored?.stepsWalked, 2);
    assert.equal(stored?.helpful, false);
    assert.equal(stored?.contact, 'kim@example.com');
    assert.notEqual(stored?.tokenHash, token);

    const pending = await request(app).get(`/api/v1/tickets/${ticket.id}`).set('x-stepwise-ticket-token', token);
    assertMatchesOpenApi(pending, '/api/v1/tickets/{id}', 'get');
    assert.equal(pending.body.ticket.status, 'open');
    assert.equal(pending.body.ticket.reply, undefined);

    const resolved = await request(app)
      .post(`/api/v1/tickets/${ticket.id}/resolve`)
      .set('x-api-key', ADMIN)
      .send({ expert: 'park@contoso.com', answer: 'requirements.txt 에 xgboost 를 추가하고 환경을 다시 빌드하세요.' });
    assertMatchesOpenApi(resolved, '/api/v1/tickets/{id}/resolve', 'post');
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.ticket.status, 'resolved');

    const back = await request(app).get(`/api/v1/tickets/${ticket.id}`).set('x-stepwise-ticket-token', token);
    assert.equal(back.status, 200);
    assert.equal(back.body.ticket.reply.text, 'requirements.txt 에 xgboost 를 추가하고 환경을 다시 빌드하세요.');
    assert.equal(back.body.ticket.resolvedBy, undefined, 'the asker does not see expert fields');
  });

  it('answers an unknown ticket and a wrong token alike with 404, and a resolved ticket’s second resolve with a clear 409 in Korean', async () => {
    const { app } = appWith(store);
    const created = await request(app).post('/api/v1/tickets').send({ question: 'OutOfQuota 가 계속 나요', lang: 'ko' });
    const id = created.body.ticket.id as string;
    const wrong = await request(app).get(`/api/v1/tickets/${id}`).set('x-stepwise-ticket-token', 'not-the-token');
    assertMatchesOpenApi(wrong, '/api/v1/tickets/{id}', 'get');
    assert.equal(wrong.status, 404);
    const unknown = await request(app).get('/api/v1/tickets/nope').set('x-stepwise-ticket-token', created.body.token);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.title, wrong.body.title);

    const assign = await request(app).post(`/api/v1/tickets/${id}/assign`).set('x-api-key', ADMIN).send({ expert: 'lee' });
    assert.equal(assign.body.ticket.assignee, 'lee');
    await request(app).post(`/api/v1/tickets/${id}/resolve`).set('x-api-key', ADMIN).send({ expert: 'lee', answer: 'Request more quota.' }).expect(200);
    const again = await request(app)
      .post(`/api/v1/tickets/${id}/resolve`)
      .set('x-api-key', ADMIN)
      .set('accept-language', 'ko')
      .send({ expert: 'choi', answer: 'other' });
    assertMatchesOpenApi(again, '/api/v1/tickets/{id}/resolve', 'post');
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'urn:stepwise:problem:ticketResolved');
    const resolvedAt = (await store.getTicket(id))!.resolvedAt!;
    assert.equal(
      again.body.detail,
      `티켓 "${id}"은(는) ${resolvedAt}에 lee님이 해결했습니다. 그 답변은 유지되며 다시 해결할 수 없습니다. 문제가 다시 생겼다면 새 티켓을 여세요.`,
    );
    assert.equal((await store.getTicket(id))?.resolution, 'Request more quota.');
    const proposed = await request(app)
      .post(`/api/v1/tickets/${id}/knowledge-base`)
      .set('x-api-key', ADMIN)
      .send({ expert: 'lee', note: 'alias: 할당량 계속' });
    assert.equal(proposed.status, 200);
    assert.deepEqual(
      (await store.listTickets({ knowledgeBase: true, limit: 5 })).map((t) => t.id),
      [id],
    );
  });

  it('refuses expert actions without the admin key, and a ticket with neither question nor stored answer', async () => {
    const { app } = appWith(store);
    const created = await request(app).post('/api/v1/tickets').send({ question: 'help' });
    const denied = await request(app).post(`/api/v1/tickets/${created.body.ticket.id}/assign`).send({ expert: 'me' });
    assertMatchesOpenApi(denied, '/api/v1/tickets/{id}/assign', 'post');
    assert.equal(denied.status, 401);
    const list = await request(app).get('/api/v1/tickets').set('authorization', `Bearer ${ADMIN}`);
    assertMatchesOpenApi(list, '/api/v1/tickets', 'get');
    assert.ok(list.body.tickets.length >= 1);
    const empty = await request(app).post('/api/v1/tickets').send({ contact: 'x@example.com' });
    assertMatchesOpenApi(empty, '/api/v1/tickets', 'post');
    assert.equal(empty.status, 422);
    assert.deepEqual(
      empty.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      [['question', 'needQuestion']],
    );
    const unknown = await request(app).post('/api/v1/tickets/nope/assign').set('x-api-key', ADMIN).send({ expert: 'me' });
    assert.equal(unknown.status, 404);
  });

  it('refuses a step the answer did not show, as feedback does: past its last step 422 stepOutOfRange, without an answer 422 noSteps, and stores no ticket', async () => {
    const { app } = appWith(store);
    const asked = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', topic: 'OutOfQuota/cpu', lang: 'en' });
    const answerId = asked.body.answer.id as string;
    const steps = asked.body.answer.steps.length as number;
    assert.ok(steps >= 2, 'the topic has steps');
    const stored = (await store.listTickets({ limit: 500 })).length;

    const past = await request(app)
      .post('/api/v1/tickets')
      .send({ answerId, helpful: false, step: steps + 1 });
    assertMatchesOpenApi(past, '/api/v1/tickets', 'post');
    assert.equal(past.status, 422);
    assert.equal(past.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(past.body.type, 'urn:stepwise:problem:validation');
    assert.deepEqual(past.body.errors, [{ field: 'step', code: 'stepOutOfRange', message: `step must be a step of this answer: between 1 and ${steps}.` }]);

    const noAnswer = await request(app).post('/api/v1/tickets').send({ question: 'OutOfQuota again', step: 1 });
    assert.equal(noAnswer.status, 422);
    assert.deepEqual(noAnswer.body.errors, [{ field: 'step', code: 'noSteps', message: 'step: this answer has no steps; send feedback without a step.' }]);
    assert.equal((await store.listTickets({ limit: 500 })).length, stored);

    const last = await request(app).post('/api/v1/tickets').send({ answerId, helpful: false, step: steps });
    assert.equal(last.status, 201, last.text);
    assert.equal((await store.getTicket(last.body.ticket.id as string))?.stepsWalked, steps);
  });
});

describe('tickets when the database is down', () => {
  it('answers 503 problem+json with Retry-After and never 201 when the ticket cannot be committed', async () => {
    // A real PostgreSQL store on a port nothing listens on: every write fails, nothing is acknowledged.
    const store = createPostgresStore('postgres://stepwise@127.0.0.1:1/stepwise', { probeIntervalMs: 60_000 });
    try {
      const { app } = appWith(store);
      const res = await request(app).post('/api/v1/tickets').send({ question: 'ImageBuildFailure again' });
      assertMatchesOpenApi(res, '/api/v1/tickets', 'post');
      assert.equal(res.status, 503);
      assert.equal(res.body.type, 'urn:stepwise:problem:storeUnavailable');
      assert.ok(Number(res.headers['retry-after']) >= 1);
    } finally {
      await store.close();
    }
  });
});

describe('the ticket webhook', () => {
  it('signs every event with HMAC-SHA256, retries a failing receiver with growing waits, and counts a dead letter in /metrics', async () => {
    const rx = receiver(2);
    const url = await rx.listen();
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-webhook-'));
    const store = createSqliteStore(join(dir, 'stepwise.db'));
    try {
      const metrics = createMetrics();
      const webhook = createWebhook({ url, secret: SECRET, store, backoffMs: 100, attempts: 4, registry: metrics.registry });
      const { app } = appWith(webhook.withEvents(store), metrics);
      const created = await request(app).post('/api/v1/tickets').send({ question: 'Deployment fails\nImageBuildFailure: conda failed', lang: 'en' });
      assert.equal(created.status, 201);
      await webhook.idle();
      // Two 503s, then delivered: three attempts of the same delivery, each correctly signed, waits of ≥100 and ≥200 ms.
      assert.equal(rx.attempts.length, 3);
      assert.ok(rx.attempts.every((a) => a.ok));
      assert.equal(new Set(rx.attempts.map((a) => a.delivery)).size, 1);
      assert.equal(rx.attempts[0].event.type, 'ticket.created');
      assert.equal(rx.attempts[0].event.ticket.id, created.body.ticket.id);
      assert.deepEqual(rx.attempts[0].event.ticket.statements, ['ImageBuildFailure: conda failed']);
      assert.equal(rx.attempts[0].event.ticket.tokenHash, undefined);
      assert.ok(rx.attempts[1].at - rx.attempts[0].at >= 95);
      assert.ok(rx.attempts[2].at - rx.attempts[1].at >= 195);

      // A receiver that is gone: every attempt fails, the event is dead-lettered and counted.
      await rx.close();
      await request(app).post(`/api/v1/tickets/${created.body.ticket.id}/assign`).set('x-api-key', ADMIN).send({ expert: 'lee' }).expect(200);
      await webhook.idle();
      const text = (await request(app).get('/metrics').expect(200)).text;
      assert.match(text, /^stepwise_webhook_dead_letters_total 1$/m);
      assert.match(text, /^stepwise_webhook_attempts_total\{result="delivered"\} 1$/m);
      assert.match(text, /^stepwise_webhook_attempts_total\{result="retry"\} 5$/m);
      assert.match(text, /^stepwise_webhook_attempts_total\{result="failed"\} 1$/m);
      // The dead letter is kept in the outbox: counted across restarts, not only by this process.
      assert.match(text, /^stepwise_webhook_outbox_events\{status="dead"\} 1$/m);
      assert.match(text, /^stepwise_webhook_outbox_events\{status="pending"\} 0$/m);
      await webhook.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tickets from the widget with API keys required', () => {
  it('opens and reads a ticket with the site’s widget key from its origin, and never an expert action', async () => {
    const origin = 'https://portal.contoso.com';
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-tickets-key-'));
    const store = createSqliteStore(join(dir, 'stepwise.db'));
    try {
      const { app } = makeApp({
        store,
        options: { apiKeys: ['api-key-1'], adminKeys: [ADMIN], widgetKeys: [{ key: 'wk_portal_01', origin }] },
        mounts: [createTicketRoutes({ store, reader: () => reader, adminKeys: [ADMIN] })],
      });
      const widget = { origin, 'x-stepwise-widget-key': 'wk_portal_01' };
      const created = await request(app).post('/api/v1/tickets').set(widget).send({ question: 'ImageBuildFailure 계속 나요' });
      assert.equal(created.status, 201);
      const read = await request(app).get(`/api/v1/tickets/${created.body.ticket.id}`).set(widget).set('x-stepwise-ticket-token', created.body.token);
      assert.equal(read.status, 200);
      const elsewhere = await request(app)
        .post('/api/v1/tickets')
        .set({ ...widget, origin: 'https://evil.example' })
        .send({ question: 'x' });
      assert.equal(elsewhere.status, 401);
      const act = await request(app).post(`/api/v1/tickets/${created.body.ticket.id}/assign`).set(widget).send({ expert: 'me' });
      assert.equal(act.status, 401);
      const list = await request(app).get('/api/v1/tickets').set(widget);
      assert.equal(list.status, 401);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
