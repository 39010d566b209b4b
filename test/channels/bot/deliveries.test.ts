/**
 * Replies and notifications the connector does not take are kept, not lost: through the real CloudAdapter (local
 * mode) against a real HTTP connector stand-in that hangs, fails or refuses connections and later comes back. The
 * request is answered 202 once the answer and the outbox entry are committed, 503 with Retry-After when the store
 * cannot write, and the reply arrives when the connector is back — also through a new process over the same SQLite.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotChannel, createBotRuntime, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore, createSqliteStore, StoreUnavailableError, type Store } from '../../../src/store/index.ts';
import { ticket } from '../../store/tickets-contract.ts';
import { i18n, realEngine } from './helpers.ts';
import { listen, listenServer, messageActivity } from './servers.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Waits for `condition`, failing with `what` if it does not hold within `ms` (a bound, not a measurement). */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !(await condition()); await new Promise((done) => setTimeout(done, 20))) {
    if (Date.now() - started > ms) assert.fail(`${what} (waited ${ms} ms)`);
  }
}

interface Call {
  method: 'POST' | 'PUT';
  conversation: string;
  /** POST: the message replied to; PUT: the message replaced. */
  activity?: string;
  body: Record<string, unknown>;
}

/**
 * A connector stand-in whose behaviour the test switches: `hang` takes each request and never answers, `fail` answers
 * 503, `ok` records the call and answers with a new message id.
 */
async function connector(mode: 'hang' | 'fail' | 'ok') {
  const state = { mode, calls: [] as Call[], attempts: 0 };
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const handle = (method: Call['method']) => (req: express.Request, res: express.Response) => {
    state.attempts++;
    if (state.mode === 'hang') return;
    if (state.mode === 'fail') return void res.status(503).json({ error: { code: 'ServiceUnavailable', message: 'try later' } });
    const replyTo = (req.params as Record<string, string | undefined>).replyTo ?? (req.params as Record<string, string | undefined>).id;
    state.calls.push({
      method,
      conversation: String(req.params.conversation),
      ...(replyTo ? { activity: replyTo } : {}),
      body: req.body as Record<string, unknown>,
    });
    res.json({ id: `sent-${state.calls.length}` });
  };
  app.post('/v3/conversations/:conversation/activities{/:replyTo}', handle('POST'));
  app.put('/v3/conversations/:conversation/activities/:id', handle('PUT'));
  const server = createServer(app);
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  return { state, url: await listenServer(server) };
}

const TEST_ENV = { BOT_CONNECTOR_TIMEOUT_MS: '300', BOT_DELIVERY_BACKOFF_MS: '100', BOT_RATE_LIMIT_PER_MINUTE: '0' };

/** The bot behind the real HTTP app over `store`, logging into `raw`. */
async function startBot(store: Store, env: Record<string, string> = {}) {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (s: string) => void raw.push(s) });
  const channel = createBotChannel({ engine: realEngine(), store, i18n, logger, config: parseBotConfig({ ...TEST_ENV, ...env }), storeQuestions: true });
  const url = await listen(createHttpApp({ engine: realEngine(), store, i18n, logger: createLogger('silent'), mounts: [channel.mount] }));
  const events = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>).map((l) => l.event);
  return { url, outbox: channel.outbox, router: channel.router, events };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const question = (serviceUrl: string) => messageActivity(serviceUrl, { text: 'OutOfQuota' });

/** The title of the Adaptive Card a message carries. */
const cardTitle = (body: Record<string, unknown>) => {
  const card = (body.attachments as Array<{ content: { body: Array<{ text?: string }> } }>)[0].content;
  return card.body.find((b) => b.text)?.text;
};

test('a connector that times out: 202 once the answer and the reply are committed; the reply arrives when the connector comes back', async () => {
  const teams = await connector('hang');
  const store = createMemoryStore();
  const bot = await startBot(store);
  const started = Date.now();
  const res = await post(bot.url, question(teams.url));
  assert.equal(res.status, 202);
  assert.ok(Date.now() - started < 5000, `held ${Date.now() - started} ms`);
  assert.equal((await store.answers()).length, 1);
  assert.equal((await store.outboxState('teams')).pending, 1);
  // The webhook's sender never sees a Teams reply.
  assert.deepEqual(await store.outboxState(), { pending: 0, dead: 0 });
  assert.ok(bot.events().includes('bot.deliveryQueued'));

  teams.state.mode = 'ok';
  await until(() => teams.state.calls.length === 1, 'the reply reached the connector');
  const [reply] = teams.state.calls;
  assert.equal(reply.method, 'POST');
  assert.equal(reply.conversation, 'conv-1');
  // Still a reply to the user's message, with the card the engine's answer made (OutOfQuota alone: which one?).
  assert.equal(reply.activity, 'incoming-1');
  assert.equal(cardTitle(reply.body), 'Which one is it?');
  await bot.outbox.idle();
  assert.deepEqual(await store.outboxState('teams'), { pending: 0, dead: 0 });
  await bot.outbox.close();
});

test('a connector that answers 503, or whose port refuses connections, is retried with backoff until it takes the reply', async () => {
  const teams = await connector('fail');
  const store = createMemoryStore();
  const bot = await startBot(store);
  assert.equal((await post(bot.url, question(teams.url))).status, 202);
  await until(() => teams.state.attempts >= 3, 'three attempts on the failing connector');
  teams.state.mode = 'ok';
  await until(() => teams.state.calls.length === 1, 'the reply reached the connector');
  await bot.outbox.idle();

  // Nothing listens on the port: the connection is refused, which is worth retrying too.
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  assert.equal((await post(bot.url, { ...question(`http://127.0.0.1:${port}`), conversation: { id: 'conv-2' } })).status, 202);
  assert.equal((await store.outboxState('teams')).pending, 1);
  await bot.outbox.close();
});

test('a store that cannot keep the undelivered reply: 503 with Retry-After, never a 2xx for a reply that would be lost', async () => {
  const teams = await connector('hang');
  const inner = createMemoryStore();
  const store: Store = {
    ...inner,
    enqueueOutbox: () => Promise.reject(new StoreUnavailableError('disk full', { retryAfterSeconds: 7 })),
  };
  const bot = await startBot(store);
  const res = await post(bot.url, question(teams.url));
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '7');
  assert.equal(((await res.json()) as { type: string }).type, 'urn:stepwise:problem:storeUnavailable');
  await bot.outbox.close();
});

test('a store that cannot record the answer: 503 with Retry-After, not a 200 with an apology for an answer id that is lost', async () => {
  const teams = await connector('ok');
  const inner = createMemoryStore();
  const store: Store = { ...inner, recordAnswer: () => Promise.reject(new StoreUnavailableError('disk full', { retryAfterSeconds: 3 })) };
  const bot = await startBot(store);
  const res = await post(bot.url, question(teams.url));
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '3');
  assert.deepEqual(teams.state.calls, []);
  await bot.outbox.close();
});

test('a reply queued by one process is delivered by the next one over the same SQLite database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-deliveries-'));
  dirs.push(dir);
  const teams = await connector('hang');
  const first = createSqliteStore(join(dir, 'stepwise.db'));
  const a = await startBot(first);
  assert.equal((await post(a.url, question(teams.url))).status, 202);
  await a.outbox.close();
  await first.close();

  teams.state.mode = 'ok';
  const second = createSqliteStore(join(dir, 'stepwise.db'));
  // The first process stopped before its first retry: the new one sends the reply once it is due.
  const b = createBotRuntime({
    engine: realEngine(),
    store: second,
    i18n,
    config: parseBotConfig({ ...TEST_ENV }),
    logger: { info() {}, warn() {}, error() {} },
  });
  await until(() => teams.state.calls.length === 1, 'the queued reply reached the connector after the restart', 30_000);
  assert.equal(teams.state.calls[0].activity, 'incoming-1');
  await b.outbox.idle();
  assert.deepEqual(await second.outboxState('teams'), { pending: 0, dead: 0 });
  await b.outbox.close();
  await second.close();
});

test("proactive sends: the experts' card and the asker's answer wait in the outbox while the connector hangs, then arrive; the card is recorded with the ticket", async () => {
  const teams = await connector('hang');
  const store = createMemoryStore();
  const bot = await startBot(store, { EXPERT_CHANNEL_ID: '19:experts@thread.tacv2', EXPERT_CHANNEL_SERVICE_URL: teams.url, EXPERT_CHANNEL_LANG: 'en' });
  const asker = { channelId: 'msteams', serviceUrl: teams.url, conversation: { id: 'a:minji' }, user: { id: '29:minji' }, bot: { id: 'bot-1' } };
  const t = ticket('t1', { channel: 'teams', askerAddress: JSON.stringify(asker) });
  await store.createTicket(t);
  assert.equal(await bot.router.post(t), true);
  const resolved = { ...t, status: 'resolved' as const, resolution: '할당량을 늘려 주세요.', resolvedBy: 'Lee', resolvedAt: t.at };
  assert.equal(await bot.router.notifyAsker(resolved), 'sent');
  assert.equal((await store.outboxState('teams')).pending, 2);
  assert.equal((await store.getTicket('t1'))?.expertCard, undefined);

  teams.state.mode = 'ok';
  await until(() => teams.state.calls.length === 2, 'both proactive messages reached the connector');
  await bot.outbox.idle();
  const byConversation = Object.fromEntries(teams.state.calls.map((c) => [c.conversation, c]));
  // New messages, not replies to the continuation activity.
  assert.equal(byConversation['19:experts@thread.tacv2'].activity, undefined);
  assert.equal(byConversation['a:minji'].activity, undefined);
  const place = JSON.parse((await store.getTicket('t1'))?.expertCard ?? '{}') as { activityId?: string };
  assert.equal(place.activityId, teams.state.calls.indexOf(byConversation['19:experts@thread.tacv2']) === 0 ? 'sent-1' : 'sent-2');
  await bot.outbox.close();
});
