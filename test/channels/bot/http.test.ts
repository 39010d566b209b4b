import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotMount, parseBotConfig, type BotLogger } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { cardOf, cardTexts, i18n, realEngine } from './helpers.ts';
import { listen, messageActivity } from './servers.ts';

/** A stand-in for the Bot Framework connector service: records what the bot posts to the conversation. */
async function startConnector() {
  const posted: Array<{ path: string; body: Record<string, unknown> }> = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/v3/conversations/:conversation/activities{/:replyTo}', (req, res) => {
    posted.push({ path: req.path, body: req.body });
    res.json({ id: `sent-${posted.length}` });
  });
  return { url: await listen(app), posted };
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger: BotLogger = { info() {}, warn: (m) => void (typeof m === 'string' && warnings.push(m)), error() {} };
  return { logger, warnings };
}

async function startBot(env: Record<string, string>, logger: BotLogger) {
  const store = createMemoryStore();
  const mount = createBotMount({ engine: Promise.resolve(realEngine()), store, i18n, logger, config: parseBotConfig(env) });
  const app = createHttpApp({ engine: realEngine(), store, i18n, logger: createLogger('silent'), mounts: [mount] });
  return { url: await listen(app), store };
}

const activity = (serviceUrl: string, extra: Record<string, unknown>) => messageActivity(serviceUrl, { locale: 'ko-KR', ...extra });

test('in local mode a real CloudAdapter over HTTP answers a Korean question by posting the card to the connector', async () => {
  const { logger, warnings } = recordingLogger();
  const connector = await startConnector();
  const bot = await startBot({}, logger);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^bot: LOCAL MODE — MicrosoftAppId is not set, so POST \/api\/messages accepts activities WITHOUT Bot Framework authentication/);

  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity(connector.url, { text: 'CPU 할당량이 부족해서 배포가 실패해요' })),
  });
  assert.equal(res.status, 200);
  assert.equal(connector.posted.length, 1);
  const { path, body } = connector.posted[0];
  assert.equal(path, '/v3/conversations/conv-1/activities/incoming-1');
  assert.equal(body.replyToId, 'incoming-1');
  assert.equal(cardTexts(cardOf(body as never))[0], 'CPU 할당량');
  assert.equal((await bot.store.answers())[0].topicId, 'OutOfQuota/cpu');

  // The sent message's id (from the connector) is what Teams' feedback loop refers to (messages sent before cards stopped asking for it).
  const feedback = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      activity(connector.url, {
        type: 'invoke',
        id: 'incoming-2',
        name: 'message/submitAction',
        replyToId: 'sent-1',
        value: { actionName: 'feedback', actionValue: { reaction: 'like', feedback: '' } },
      }),
    ),
  });
  assert.equal(feedback.status, 200);
  assert.deepEqual(await feedback.json(), {});
  assert.deepEqual(
    (await bot.store.feedback()).map((f) => [f.channel, f.helpful]),
    [['bot', true]],
  );
  assert.equal(connector.posted[1].body.text, '의견 감사합니다!');
});

test('a message-extension query over HTTP gets its results in the invoke response body', async () => {
  const connector = await startConnector();
  const bot = await startBot({}, recordingLogger().logger);
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      activity(connector.url, {
        type: 'invoke',
        name: 'composeExtension/query',
        value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: 'HTTP 503' }] },
      }),
    ),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { composeExtension: { attachments: Array<{ preview: { content: { title: string } } }> } };
  assert.equal(body.composeExtension.attachments[0].preview.content.title, 'HTTP 503 초당 요청 급증 수신');
  assert.equal(connector.posted.length, 0);
});

test('with a Bot Framework identity configured, an activity without a valid token is refused with 401', async () => {
  const { logger, warnings } = recordingLogger();
  const connector = await startConnector();
  const bot = await startBot(
    { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' },
    logger,
  );
  assert.deepEqual(warnings, []);
  const post = (headers: Record<string, string>) =>
    fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity(connector.url, { text: 'OutOfQuota' })),
    });
  assert.equal((await post({})).status, 401);
  assert.equal((await post({ authorization: 'Bearer not.a.jwt' })).status, 401);
  assert.equal(connector.posted.length, 0);
  assert.deepEqual(await bot.store.answers(), []);
});

test('express.json() runs before the adapter: a non-JSON body is a 4xx, not a crash', async () => {
  const bot = await startBot({}, recordingLogger().logger);
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(res.status, 400);
});
