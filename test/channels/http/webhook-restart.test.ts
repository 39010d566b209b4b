/**
 * The ticket webhook across a crash: events acknowledged by one app instance and not yet delivered are sent by
 * the next instance on the same SQLite file, each with its signature and its delivery id, so a receiver that
 * de-duplicates by X-Stepwise-Delivery sees every event exactly once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { loadKnowledgeBase } from '../../../src/engine/index.ts';
import { createSqliteStore, type Store } from '../../../src/store/index.ts';
import { createReader } from '../../../src/support/reader.ts';
import { createWebhook, webhookSignature, type TicketEvent } from '../../../src/support/webhook.ts';
import { createTicketRoutes } from '../../../src/channels/http/routes/tickets.ts';
import { makeApp } from './helpers.ts';

const reader = createReader(loadKnowledgeBase(fileURLToPath(new URL('../../../content', import.meta.url))).kb.topics);
const ADMIN = 'admin-key-1';
const SECRET = 'whsec-restart-💥';

/** Waits for `condition`, failing with `what` after `ms` (a bound, not a measurement). */
async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((done) => setTimeout(done, 10))) {
    if (Date.now() - started > ms) assert.fail(`${what} (waited ${ms} ms)`);
  }
}

interface Attempt {
  delivery: string;
  signed: boolean;
  body: string;
  status: number;
}

/**
 * A receiver that checks every signature, refuses the first two attempts of each delivery with 503, accepts the
 * third, and, while `hold` is set, keeps the next request waiting until `release` answers it.
 */
function receiver() {
  const attempts: Attempt[] = [];
  let hold = false;
  let held: { res: ServerResponse; attempt: Attempt } | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const delivery = String(req.headers['x-stepwise-delivery']);
      const attempt: Attempt = { delivery, signed: req.headers['x-stepwise-signature-256'] === webhookSignature(SECRET, body), body, status: 0 };
      attempts.push(attempt);
      if (!attempt.signed) return void res.writeHead((attempt.status = 401)).end();
      if (hold) {
        hold = false;
        held = { res, attempt };
        return;
      }
      const earlier = attempts.filter((a) => a.delivery === delivery).length;
      res.writeHead((attempt.status = earlier <= 2 ? 503 : 204)).end();
    });
  });
  return {
    attempts,
    holdNext: () => void (hold = true),
    held: () => held?.attempt,
    release: () => {
      held!.res.writeHead((held!.attempt.status = 204)).end();
    },
    listen: () =>
      new Promise<string>((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as { port: number }).port}/hook`))),
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

/** One app instance: its own store on `file`, its own webhook sender, the ticket routes. */
function instance(file: string, url: string) {
  const store = createSqliteStore(file);
  const webhook = createWebhook({ url, secret: SECRET, store, backoffMs: 50, attempts: 8, leaseMs: 400, pollMs: 100 });
  const tickets: Store = webhook.withEvents(store);
  const { app } = makeApp({
    store: tickets,
    options: { adminKeys: [ADMIN] },
    mounts: [createTicketRoutes({ store: tickets, reader: () => reader, adminKeys: [ADMIN] })],
  });
  return { store, webhook, app };
}

describe('the ticket webhook across a crash', () => {
  it('delivers every acknowledged event once or more, signed, with a stable delivery id, after a crash mid-delivery and a new instance on the same file', async () => {
    const rx = receiver();
    const url = await rx.listen();
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-webhook-restart-'));
    const file = join(dir, 'stepwise.db');
    const a = instance(file, url);
    let b: ReturnType<typeof instance> | undefined;
    try {
      // Instance A acknowledges five changes: three tickets, an assignment and a resolution.
      const ids: string[] = [];
      for (const question of [
        'Deploy fails\nImageBuildFailure: conda failed',
        '배포 실패\nResourceNotReady: User container has crashed',
        '部署失败 OutOfQuota',
      ]) {
        const res = await request(a.app).post('/api/v1/tickets').send({ question });
        assert.equal(res.status, 201);
        ids.push(res.body.ticket.id as string);
      }
      await request(a.app).post(`/api/v1/tickets/${ids[0]}/assign`).set('x-api-key', ADMIN).send({ expert: 'lee' }).expect(200);
      await request(a.app).post(`/api/v1/tickets/${ids[0]}/resolve`).set('x-api-key', ADMIN).send({ expert: 'lee', answer: 'Pin conda' }).expect(200);
      await until(() => new Set(rx.attempts.map((x) => x.delivery)).size === 5, 'every event tried at least once by instance A');

      // A crash in the middle: the next attempt is held by the receiver, and A's database goes away underneath its sender
      // (as with kill -9, nothing is settled from here on). The receiver then accepts the held attempt: A cannot record it.
      rx.holdNext();
      await until(() => rx.held() !== undefined, 'an attempt of instance A in flight');
      await a.store.close();
      rx.release();
      const acceptedByA = rx.held()!.delivery;

      // Instance B on the same file: it resumes what A left (the held event once A's lease runs out) and adds its own.
      b = instance(file, url);
      const late = await request(b.app).post('/api/v1/tickets').send({ question: 'Endpoint returns 502' });
      assert.equal(late.status, 201);
      await b.webhook.idle();

      assert.ok(
        rx.attempts.every((x) => x.signed),
        'every attempt carries a valid signature',
      );
      const events = rx.attempts.map((x) => ({ ...x, event: JSON.parse(x.body) as TicketEvent }));
      for (const x of events) assert.equal(x.event.id, x.delivery, 'the delivery id is the event id');
      // Every attempt of one delivery carries the same bytes.
      for (const id of new Set(events.map((x) => x.delivery))) assert.equal(new Set(events.filter((x) => x.delivery === id).map((x) => x.body)).size, 1);
      const accepted = events.filter((x) => x.status === 204);
      const unique = new Map(accepted.map((x) => [x.delivery, x.event]));
      assert.equal(unique.size, 6, 'six events accepted once de-duplicated by delivery id');
      assert.deepEqual(
        [...unique.values()].map((e) => `${e.type} ${e.ticket.id}`).sort(),
        [
          `ticket.assigned ${ids[0]}`,
          `ticket.created ${ids[0]}`,
          `ticket.created ${ids[1]}`,
          `ticket.created ${ids[2]}`,
          `ticket.created ${late.body.ticket.id}`,
          `ticket.resolved ${ids[0]}`,
        ].sort(),
      );
      // The event A's receiver accepted while A was going down arrived again from B: once or more, never lost.
      assert.equal(accepted.filter((x) => x.delivery === acceptedByA).length, 2);
      assert.deepEqual(await b.store.outboxState(), { pending: 0, dead: 0 });
    } finally {
      await a.webhook.close();
      await b?.webhook.close();
      await b?.store.close();
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
