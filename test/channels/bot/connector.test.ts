/**
 * The bot against a slow connector and failing invokes, through the real CloudAdapter: a connector that does not
 * answer has its request aborted and its socket destroyed; an invoke that fails or is unknown gets an invoke
 * response Teams can show (never 501 or 500).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { MemoryStorage, type Activity, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type TurnContext } from 'botbuilder';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createAdapter, createBotMount, createState, parseBotConfig, StepwiseBot } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { i18n, realEngine, silentLogger } from './helpers.ts';
import { listenServer, messageActivity } from './servers.ts';

/** Waits for `condition`, failing with `what` if it does not hold within `ms` (a bound, not a measurement). */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((done) => setTimeout(done, 20))) {
    if (Date.now() - started > ms) assert.fail(`${what} (waited ${ms} ms)`);
  }
}

/** The bot behind the real HTTP app, with its log lines parsed. */
async function startBot(env: Record<string, string>, storage = new MemoryStorage()) {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (s: string) => void raw.push(s) });
  const store = createMemoryStore();
  const mount = createBotMount({ engine: Promise.resolve(realEngine()), store, i18n, logger, config: parseBotConfig(env), storeQuestions: true, storage });
  const app = createHttpApp({ engine: realEngine(), store, i18n, logger, mounts: [mount] });
  const logs = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { url: await listenServer(createServer(app)), store, logs };
}

const activity = (serviceUrl: string, extra: Record<string, unknown> = {}) => messageActivity(serviceUrl, { text: 'OutOfQuota', ...extra });

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('a connector that never answers: the reply is aborted at the timeout, its socket destroyed, and the reply kept in the outbox (202)', async () => {
  // A tarpit: takes the connection and the request, never answers, never closes (no server-side timeouts).
  const sockets: Socket[] = [];
  const closed = new Set<Socket>();
  let requests = 0;
  const tarpit = createServer(() => void requests++);
  tarpit.requestTimeout = 0;
  tarpit.headersTimeout = 0;
  tarpit.keepAliveTimeout = 0;
  tarpit.on('connection', (socket: Socket) => {
    sockets.push(socket);
    socket.on('close', () => closed.add(socket));
  });
  const tarpitUrl = await listenServer(tarpit);
  // Retries an hour apart: this test looks at the first attempt only (deliveries.test.ts follows the retries).
  const bot = await startBot({ BOT_CONNECTOR_TIMEOUT_MS: '300', BOT_DELIVERY_BACKOFF_MS: '3600000' });

  const res = await post(bot.url, activity(tarpitUrl));
  assert.equal(res.status, 202);
  assert.equal(requests, 1);
  // Only the bot's side can close these sockets: the tarpit would hold them forever.
  await until(() => sockets.length > 0 && closed.size === sockets.length, `the bot closed ${closed.size} of ${sockets.length} sockets to the connector`);
  // The question itself was taken: its answer is recorded, the reply waits in the outbox, and the log says so in one JSON line.
  assert.equal((await bot.store.answers()).length, 1);
  assert.equal((await bot.store.outboxState('teams')).pending, 1);
  const queued = bot.logs().filter((l) => l.event === 'bot.deliveryQueued');
  assert.deepEqual(
    queued.map((l) => l.reason),
    ['bot: the connector did not answer within 300 ms'],
  );
});

test('an Action.Execute the bot does not know is answered 200 with a message in the card’s language, through the real CloudAdapter', async () => {
  const bot = await startBot({});
  const invoke = (lang: string, locale: string) =>
    activity('http://127.0.0.1:1', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      locale,
      value: { action: { type: 'Action.Execute', verb: 'stepwise.gone', data: { lang } } },
    });
  const ko = await post(bot.url, invoke('ko', 'en-US'));
  assert.equal(ko.status, 200);
  assert.deepEqual(await ko.json(), {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: '이 버튼은 더 이상 사용할 수 없습니다. 질문을 다시 입력해 주세요.',
  });
  // No language on the card: Teams' locale.
  const zh = await post(bot.url, invoke('', 'zh-CN'));
  assert.deepEqual(await zh.json(), { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '此按钮已不可用。请重新提问。' });
});

test('an invoke whose handler fails mid-turn gets a 200 invoke response with the error in the user’s language, not 501', async () => {
  // State storage that fails: the compose-box search reads the user's language from it mid-turn.
  const broken = new MemoryStorage();
  broken.read = () => Promise.reject(new Error('storage account unreachable'));
  const bot = await startBot({}, broken);
  const search = activity('http://127.0.0.1:1', {
    type: 'invoke',
    name: 'composeExtension/query',
    locale: 'zh-CN',
    value: { commandId: 'searchTopics', parameters: [{ name: 'initialRun', value: 'true' }] },
  });
  const res = await post(bot.url, search);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { composeExtension: { type: 'message', text: '抱歉，我这边出了点问题。请重试。' } });
  assert.ok(bot.logs().some((l) => l.msg === 'bot: turn failed' && l.activityName === 'composeExtension/query'));
});

test('an Action.Execute handler that throws is answered with the error as an Adaptive Card message (real CloudAdapter, no HTTP)', async () => {
  class FailingBot extends StepwiseBot {
    protected override async onAdaptiveCardInvoke(_context: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
      throw new Error('handler bug');
    }
  }
  const { conversationState, userState } = createState(new MemoryStorage());
  const bot = new FailingBot({ engine: realEngine(), store: createMemoryStore(), i18n, conversationState, userState, logger: silentLogger });
  const adapter = createAdapter(parseBotConfig({}), i18n, silentLogger);
  const invoke = activity('http://127.0.0.1:1', {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: 'assign', data: { lang: 'ko' } } },
  });
  const response = await adapter.processAuthenticated('', invoke as unknown as Activity, (context) => bot.run(context));
  assert.deepEqual(response, {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '죄송합니다. 문제가 발생했습니다. 다시 시도해 주세요.' },
  });
});
