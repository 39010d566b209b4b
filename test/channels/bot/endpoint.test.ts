import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotMount, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore, StoreUnavailableError, type Store } from '../../../src/store/index.ts';
import { MAX_QUESTION_CHARS } from '../../../src/engine/text/normalize.ts';
import { botHarness, i18n, realEngine } from './helpers.ts';
import { listen, messageActivity } from './servers.ts';

/** A connector stand-in: records posts; `delayMs` holds every answer that long (a tarpit). */
async function startConnector(delayMs = 0) {
  const posted: Array<Record<string, unknown>> = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/v3/conversations/:conversation/activities{/:replyTo}', (req, res) => {
    posted.push(req.body);
    setTimeout(() => res.json({ id: `sent-${posted.length}` }), delayMs).unref();
  });
  return { url: await listen(app), posted };
}

/** The bot behind the real HTTP app, logging through pino into `lines`. */
async function startBot(env: Record<string, string> = {}, apiKeys: string[] = []) {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (s: string) => void raw.push(s) });
  const store = createMemoryStore();
  const mount = createBotMount({ engine: Promise.resolve(realEngine()), store, i18n, logger, config: parseBotConfig(env), storeQuestions: true, apiKeys });
  const app = createHttpApp({ engine: realEngine(), store, i18n, logger, mounts: [mount] });
  const refusals = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'bot.refused');
  return { url: await listen(app), store, raw, refusals };
}

const activity = (serviceUrl: string, extra: Record<string, unknown> = {}) => messageActivity(serviceUrl, { text: 'OutOfQuota', ...extra });

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('malformed activities are 400 problems, each refusal logged as one JSON line', async () => {
  const bot = await startBot();
  const connector = await startConnector();
  const bodies: Array<[unknown, string]> = [
    [{}, 'unknown activity type'],
    [[], 'body is not an object'],
    [{ ...activity(connector.url), type: 'bogus' }, 'unknown activity type'],
    [{ ...activity(connector.url), conversation: undefined }, 'no conversation id'],
    [{ ...activity(connector.url), serviceUrl: 'javascript:alert(1)' }, 'no http(s) serviceUrl'],
    [{ ...activity(connector.url), text: 42 }, 'text is not a string'],
    [{ ...activity(connector.url), from: 'user-1' }, 'from is not an object'],
  ];
  for (const [body] of bodies) {
    const res = await post(bot.url, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await res.json()) as { type: string }).type, 'urn:stepwise:problem:badActivity');
  }
  assert.deepEqual(
    bot.refusals().map((l) => l.reason),
    bodies.map(([, reason]) => reason),
  );
  assert.equal(connector.posted.length, 0);
  for (const line of bot.raw) assert.equal(line.trimEnd().split('\n').length, 1);
});

test('in local mode a serviceUrl that is not loopback or allowlisted is refused with 403 and nothing is sent there', async () => {
  const bot = await startBot();
  const res = await post(bot.url, activity('https://attacker.example/'));
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { type: string }).type, 'urn:stepwise:problem:serviceUrlNotAllowed');
  assert.equal(bot.refusals()[0].reason, 'serviceUrl https://attacker.example is not loopback or allowlisted');
  // An allowlisted origin is taken: an invoke answers in the response, so nothing needs to reach it.
  const allowed = await startBot({ BOT_SERVICE_URL_ALLOWLIST: 'https://smba.trafficmanager.net' });
  const invoke = activity('https://smba.trafficmanager.net/amer/', {
    type: 'invoke',
    name: 'composeExtension/query',
    value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: 'OutOfQuota' }] },
  });
  assert.equal((await post(allowed.url, invoke)).status, 200);
});

test('an invoke the bot does not handle is answered 200, with a sentence where the invoke can show one, as Teams expects', async () => {
  const bot = await startBot();
  const connector = await startConnector();
  const gone = 'This button no longer works. Ask your question again.';
  const invokes: Array<[string, unknown, unknown]> = [
    ['task/fetch', {}, { task: { type: 'message', value: gone } }],
    [
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'refresh', data: {} } },
      { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: gone },
    ],
    ['vendor/unknown', {}, {}],
  ];
  for (const [name, value, body] of invokes) {
    const res = await post(bot.url, activity(connector.url, { type: 'invoke', name, value }));
    assert.equal(res.status, 200, name);
    assert.deepEqual(await res.json(), body, name);
  }
  // A value the SDK cannot read is the client's fault: 400, not a failed turn.
  const malformed = await post(bot.url, activity(connector.url, { type: 'invoke', name: 'adaptiveCard/action', value: {} }));
  assert.equal(malformed.status, 400);
  assert.equal(connector.posted.length, 0);
});

test('activities per conversation are rate limited with 429 and Retry-After', async () => {
  const bot = await startBot({ BOT_RATE_LIMIT_PER_MINUTE: '3' });
  const connector = await startConnector();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await post(bot.url, activity(connector.url, { type: 'conversationUpdate', text: undefined }))).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  const limited = await post(bot.url, activity(connector.url, { type: 'conversationUpdate', text: undefined, conversation: { id: 'conv-2' } }));
  // In local mode the conversation id is the client's word: the client's address is limited as well.
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.deepEqual(
    bot.refusals().map((l) => l.reason),
    ['too many activities per conversation', 'too many activities per client'],
  );
});

test('a connector that does not answer holds the request only for the connector timeout (then 202, the reply queued; see deliveries.test.ts)', async () => {
  const bot = await startBot({ BOT_CONNECTOR_TIMEOUT_MS: '300', BOT_DELIVERY_BACKOFF_MS: '3600000' });
  const tarpit = await startConnector(60_000);
  const started = Date.now();
  const res = await post(bot.url, activity(tarpit.url));
  const ms = Date.now() - started;
  assert.equal(res.status, 202);
  assert.ok(ms < 3000, `held ${ms} ms`);
  assert.equal(tarpit.posted.length, 1);
});

test('a declared Content-Length over 256 KiB (the Bot Framework payload limit) is refused with 413 before the body is read', async () => {
  const bot = await startBot();
  const res = await post(bot.url, JSON.stringify(activity('http://127.0.0.1:1', { text: 'x'.repeat(256 * 1024 + 10) })));
  assert.equal(res.status, 413);
  const fits = await post(bot.url, JSON.stringify(activity('http://127.0.0.1:1', { type: 'conversationUpdate', text: 'x'.repeat(255 * 1024) })));
  assert.equal(fits.status, 200);
});

test('a 250 KB message is answered and never stored whole: the record keeps what the engine reads, as the API does', async () => {
  const bot = await startBot();
  const connector = await startConnector();
  const log = Array.from({ length: 3000 }, (_, i) => `2026-03-02T09:14:07Z INFO worker ${i} waiting for model load (attempt ${i}/500)`).join('\n');
  const text = `${log}\nERROR Deployment failed: OutOfQuota: not enough CPU quota`;
  assert.ok(text.length > 200_000 && text.length < 250_000);
  const res = await post(bot.url, activity(connector.url, { text }));
  assert.equal(res.status, 200);
  const [record] = await bot.store.answers();
  assert.ok(record.question!.length <= MAX_QUESTION_CHARS, `stored ${record.question!.length} characters`);
  assert.equal(record.topicId?.split('/')[0], 'OutOfQuota');
  // The bot reads its start and end and says so.
  assert.equal(connector.posted[0].text, 'Your message was too long, so I read only its first and last lines and the lines that look like errors.');
});

test('"all steps" or "next" on a card whose topic is unknown gets a clear reply in the card\'s language, not a failed turn', async () => {
  const { say } = botHarness();
  const all = await say({ value: { stepwise: 'all', answerId: 'a1', topic: 'NoSuchTopic', lang: 'ko' } });
  assert.deepEqual(
    all.map((r) => r.text),
    ['그 주제는 더 이상 없습니다. 질문을 다시 입력해 주세요.'],
  );
  const next = await say({ value: { stepwise: 'next', answerId: 'a1', topic: 'NoSuchTopic', lang: 'zh', step: 2 } });
  assert.deepEqual(
    next.map((r) => r.text),
    ['该主题已不存在。请重新提问。'],
  );
});

test('a Teams feedback vote the store cannot take is answered 503 (nothing stored, Teams may retry), not a failed turn', async () => {
  const inner = createMemoryStore();
  const store = { ...inner, addFeedback: () => Promise.reject(new StoreUnavailableError('disk full')) } satisfies Store;
  const { say } = botHarness({ store });
  const [answer] = await say('how do I get container logs');
  const replies = await say({
    type: 'invoke',
    name: 'message/submitAction',
    replyToId: answer.id,
    value: { actionName: 'feedback', actionValue: { reaction: 'like' } },
  });
  assert.deepEqual(
    replies.map((r) => r.value),
    [{ status: 503, body: { error: 'stepwise: feedback not stored, try again' } }],
  );
});

test('in local mode with API keys configured, an activity without one of them is refused with 401', async () => {
  const bot = await startBot({}, ['k-123']);
  const invoke = activity('http://127.0.0.1:1', {
    type: 'invoke',
    name: 'composeExtension/query',
    value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: 'OutOfQuota' }] },
  });
  const none = await post(bot.url, invoke);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.equal((await post(bot.url, invoke, { 'x-api-key': 'wrong' })).status, 401);
  assert.equal((await post(bot.url, invoke, { 'x-api-key': 'k-123' })).status, 200);
  assert.equal((await post(bot.url, invoke, { authorization: 'Bearer k-123' })).status, 200);
  assert.deepEqual(
    bot.refusals().map((l) => l.reason),
    ['no valid API key in local mode', 'no valid API key in local mode'],
  );
});
