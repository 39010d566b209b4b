/**
 * Drives the bot through the Microsoft 365 Agents Playground (`-c msteams`), a Teams-like client that
 * runs offline: it posts real activities to /api/messages, hosts the connector the bot replies to,
 * and streams the conversation over WebSocket. Its API (found in its bundled server):
 *   POST /_conversation/v1/conversations/:id/messages  user message   {from, text, textFormat, mentions?}
 *   POST /_conversation/v1/submit                      Action.Submit  {conversation, from, replyToId, value}
 *   POST /_conversation/v1/invoke                      invokes        {name, value, from, conversation}
 *   POST /_debug/conversation/:id/installation          installs the app (conversationUpdate)
 *   GET  /_internal/v1/config                           users, personal/group chats, bot id
 *   WS   /_ws_conversation/v1/conversations/stream      {action: 'createMessage' | 'updateMessage', message} per bot message or update
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotChannel, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { loadKnowledgeBase } from '../../../src/engine/index.ts';
import { createReader } from '../../../src/support/reader.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import type { AdaptiveCard } from '../../../src/channels/bot/cards.ts';
import { cardTexts, contentDir, i18n, realEngine, silentLogger, submitData } from './helpers.ts';

// `ws` is botbuilder's own WebSocket client (through botframework-streaming); Node 20 has none built in.
const fromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder/package.json'));
const fromStreaming = createRequire(fromBotbuilder.resolve('botframework-streaming/package.json'));
interface WsClient {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open' | 'error', listener: (arg?: unknown) => void): void;
  close(): void;
}
const WebSocket = fromStreaming('ws') as new (url: string) => WsClient;

const reader = createReader(loadKnowledgeBase(contentDir).kb.topics);
const playgroundCli = fileURLToPath(new URL('../../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url));

interface PlaygroundMessage {
  messageId: string;
  text?: string;
  attachments?: Array<{ contentType: string; content: AdaptiveCard }>;
}

let playground: ChildProcess | undefined;
let botServer: Server | undefined;
let home = '';
let base = '';
let ws: WsClient | undefined;
const store = createMemoryStore();
const received: PlaygroundMessage[] = [];
/** Messages the bot replaced (PUT to the connector), in order. */
const updates: PlaygroundMessage[] = [];
let config: {
  bot: { id: string; name: string };
  currentUser: { id: string; name: string };
  users: Array<{ id: string; name: string }>;
  personalChat: { id: string };
  groupChats: Array<{ id: string }>;
  teams: Array<{ id: string; name: string; channels: Array<{ id: string; name: string }> }>;
};
/** Every message the bot sent or replaced, with the conversation it is in (a team channel's posts are in the channel's). */
const stream: Array<{ action: string; conversation: string; message: PlaygroundMessage }> = [];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`playground test: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the next bot message after `count` messages were already seen. */
function nextBotMessage(count: number): Promise<PlaygroundMessage> {
  return waitFor(`bot message #${count + 1}`, () => received[count]);
}

/** Waits for the next update of a message after `count` updates were already seen. */
function nextUpdate(count: number): Promise<PlaygroundMessage> {
  return waitFor(`message update #${count + 1}`, () => updates[count]);
}

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

function cardOfMessage(message: PlaygroundMessage): AdaptiveCard {
  const attachment = message.attachments?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
  return attachment.content;
}

before(async () => {
  const app = createHttpApp({
    engine: realEngine(),
    store,
    i18n,
    logger: createLogger('silent'),
    mounts: [
      createBotChannel({ engine: realEngine(), store, i18n, logger: silentLogger, storeQuestions: true, reader: () => reader, config: parseBotConfig({}) })
        .mount,
    ],
  });
  const botPort = await new Promise<number>((done) => {
    botServer = app.listen(0, '127.0.0.1', () => done((botServer!.address() as AddressInfo).port));
  });
  const port = await freePort();
  home = mkdtempSync(join(tmpdir(), 'stepwise-playground-'));
  playground = spawn(
    process.execPath,
    [playgroundCli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    // TEAMSAPPTESTER_BROWSER=none: the CLI opens no browser (without xdg-open on the machine, trying to exits it).
    { env: { ...process.env, HOME: home, USERPROFILE: home, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  playground.stdout!.on('data', (chunk) => (output += chunk));
  playground.stderr!.on('data', (chunk) => (output += chunk));
  // The CLI falls back to a random port when the one asked for is taken; it prints the one it uses.
  const listening = await waitFor('the playground to listen', () => /Listening on (\d+)/.exec(output)?.[1], 30_000);
  base = `http://127.0.0.1:${listening}`;
  config = (await waitFor('the playground config', async () => (await fetch(`${base}/_internal/v1/config`)).json())).config;
  ws = new WebSocket(`ws://127.0.0.1:${listening}/_ws_conversation/v1/conversations/stream`);
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString()) as { action: string; actionConversationId: string; message?: PlaygroundMessage };
    if (event.message) stream.push({ action: event.action, conversation: event.actionConversationId, message: event.message });
    if (event.action === 'createMessage' && event.message) received.push(event.message);
    if (event.action === 'updateMessage' && event.message) updates.push(event.message);
  });
  await new Promise((done, fail) => {
    ws!.once('open', done);
    ws!.once('error', fail);
  });
});

after(async () => {
  ws?.close();
  if (playground && playground.exitCode === null) {
    const exited = new Promise((done) => playground!.once('exit', done));
    playground.kill();
    await exited;
  }
  botServer?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('installing the app in the playground makes the bot send its welcome card', async () => {
  const seen = received.length;
  const res = await post(`/_debug/conversation/${config.personalChat.id}/installation`, {});
  assert.equal(res.status, 200);
  const welcome = cardTexts(cardOfMessage(await nextBotMessage(seen)));
  // The playground's user has the en-US locale.
  assert.equal(welcome[0], "Hi, I'm Stepwise");
});

test('a Korean question typed in the playground comes back as the Korean card; its buttons walk the steps and rate the answer', async () => {
  const chat = config.personalChat.id;
  const user = config.currentUser.id;
  let seen = received.length;
  const sent = await post(`/_conversation/v1/conversations/${chat}/messages`, {
    from: { id: user },
    text: 'CPU 할당량이 부족해서 배포가 실패해요',
    textFormat: 'plain',
  });
  assert.equal(sent.status, 200);
  const answer = await nextBotMessage(seen++);
  const card = cardOfMessage(answer);
  const texts = cardTexts(card);
  assert.equal(texts[0], 'CPU 할당량');
  assert.ok(texts.includes('2단계 중 1단계'));

  // Next replaces the card in the playground's chat (an updateMessage of the same message), no new message.
  let updated = updates.length;
  const next = submitData(card).find((d) => d.stepwise === 'next');
  const pressed = await post('/_conversation/v1/submit', { conversation: { id: chat }, from: { id: user }, replyToId: answer.messageId, value: next });
  assert.equal(pressed.status, 200);
  const step2 = await nextUpdate(updated++);
  assert.equal(step2.messageId, answer.messageId);
  assert.ok(cardTexts(cardOfMessage(step2)).includes('2단계 중 2단계'), cardTexts(cardOfMessage(step2)).join(' | '));

  const helpful = submitData(card).find((d) => d.stepwise === 'feedback' && d.helpful === true);
  assert.equal(
    (await post('/_conversation/v1/submit', { conversation: { id: chat }, from: { id: user }, replyToId: answer.messageId, value: helpful })).status,
    200,
  );
  assert.ok(cardTexts(cardOfMessage(await nextUpdate(updated++))).includes('의견 감사합니다!'));
  assert.equal(received.length, seen, 'every tap replaced the one card');

  // 👎 opens a comment box on the card; its Send (with the box's text merged in, as the client does) stores both.
  const down = submitData(card).find((d) => d.stepwise === 'comment');
  assert.equal(
    (await post('/_conversation/v1/submit', { conversation: { id: chat }, from: { id: user }, replyToId: answer.messageId, value: down })).status,
    200,
  );
  const form = cardOfMessage(await nextUpdate(updated++));
  const send = submitData(form).find((d) => d.stepwise === 'feedback' && d.helpful === false);
  const value = { ...send, comment: 'needs the portal steps' };
  assert.equal((await post('/_conversation/v1/submit', { conversation: { id: chat }, from: { id: user }, replyToId: answer.messageId, value })).status, 200);
  assert.ok(cardTexts(cardOfMessage(await nextUpdate(updated))).some((t) => t.startsWith('알려 주셔서 감사합니다')));
  const answerId = (helpful as { answerId: string }).answerId;
  const feedback = await waitFor('two feedback records', async () => ((await store.feedback()).length === 2 ? store.feedback() : undefined));
  assert.deepEqual(
    feedback.map((f) => [f.channel, f.answerId, f.helpful, f.step, f.comment]),
    [
      ['bot', answerId, true, 1, undefined],
      ['bot', answerId, false, 1, 'needs the portal steps'],
    ],
  );
  assert.equal(received.length, seen);
});

test('in the playground group chat an @mention of the bot is stripped and the Chinese question answered', async () => {
  const chat = config.groupChats[0].id;
  const seen = received.length;
  const mention = `<at>${config.bot.name}</at>`;
  const sent = await post(`/_conversation/v1/conversations/${chat}/messages`, {
    from: { id: config.currentUser.id },
    text: `${mention} CPU 配额不足，部署失败`,
    textFormat: 'plain',
    mentions: [{ mentioned: { id: config.bot.id }, text: mention }],
  });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(cardTexts(cardOfMessage(await nextBotMessage(seen)))[0], 'CPU 配额');
});

test('a message-extension search from the playground compose box returns answer cards to insert', async () => {
  const res = await post('/_conversation/v1/invoke', {
    name: 'composeExtension/query',
    value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: 'HTTP 503' }], queryOptions: { skip: 0, count: 5 } },
    from: { id: config.currentUser.id },
    conversation: { id: config.personalChat.id },
  });
  assert.equal(res.status, 200);
  const body = JSON.parse(res.text) as {
    composeExtension: { type: string; attachments: Array<{ content: AdaptiveCard; preview: { content: { title: string } } }> };
  };
  assert.equal(body.composeExtension.type, 'result');
  // The playground user's locale is en-US and "HTTP 503" has no words to tell a language: English.
  assert.equal(body.composeExtension.attachments[0].preview.content.title, 'HTTP 503: large spikes in requests per second');
  assert.equal(cardTexts(body.composeExtension.attachments[0].content)[0], 'HTTP 503: large spikes in requests per second');
});

test('the playground compose box search (no command id or parameter name filled in) searches like Teams, and sending the inserted card gets no help card', async () => {
  // The playground's message-extension panel sends the command id and parameter name only when they are typed in.
  const res = await post('/_conversation/v1/invoke', {
    name: 'composeExtension/query',
    value: { parameters: [{ value: 'ImageBuildFailure' }], queryOptions: { skip: 0, count: 25 } },
    from: { id: config.currentUser.id },
    conversation: { id: config.personalChat.id },
  });
  assert.equal(res.status, 200, res.text);
  const body = JSON.parse(res.text) as { composeExtension: { attachments: Array<{ content: AdaptiveCard; preview: { content: { title: string } } }> } };
  const titles = body.composeExtension.attachments.map((a) => a.preview.content.title);
  // The search text was read: the best match first, not the main-topic list an empty query gets.
  assert.equal(titles[0], 'ERROR: ImageBuildFailure', titles.join(' | '));

  // Sending the inserted card: the playground posts it as a message with the card attached and no text.
  const seen = received.length;
  const inserted = body.composeExtension.attachments[0];
  const sent = await post(`/_conversation/v1/conversations/${config.personalChat.id}/messages`, {
    from: { id: config.currentUser.id },
    attachmentLayout: 'list',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: inserted.content }],
  });
  assert.equal(sent.status, 200, sent.text);
  // The next thing the bot says is its Chinese help for "帮助" (a help card for the card would come first, in Korean).
  await post(`/_conversation/v1/conversations/${config.personalChat.id}/messages`, { from: { id: config.currentUser.id }, text: '帮助', textFormat: 'plain' });
  assert.equal(cardTexts(cardOfMessage(await nextBotMessage(seen)))[0], '如何使用 Stepwise');
});

test("installed in the playground's team, its General channel becomes the experts' channel: a Korean ticket is posted there, assigned and resolved in place, and the asker told in Korean", async () => {
  const general = config.teams[0].channels[0];
  const expert = config.users[0];
  const chat = config.personalChat.id;
  const next = (from: number, what: string, match: (e: (typeof stream)[number]) => boolean) => waitFor(what, () => stream.slice(from).find(match));
  let from = stream.length;
  assert.equal((await post(`/_debug/conversation/${general.id}/installation`, {})).status, 200);
  const welcome = await next(from, "the experts' welcome", (e) => e.action === 'createMessage' && e.conversation === general.id);
  assert.equal(cardTexts(cardOfMessage(welcome.message))[0], 'Stepwise will post tickets in this channel');

  from = stream.length;
  await post(`/_conversation/v1/conversations/${chat}/messages`, {
    from: { id: config.currentUser.id },
    text: '배포가 계속 실패합니다\nModuleNotFoundError: No module named xgboost_custom_thing',
    textFormat: 'plain',
  });
  const answer = await next(from, 'the answer', (e) => e.action === 'createMessage' && e.conversation === chat);
  const ask = submitData(cardOfMessage(answer.message)).find((d) => d.stepwise === 'expert');
  from = stream.length;
  assert.equal(
    (
      await post('/_conversation/v1/submit', {
        conversation: { id: chat },
        from: { id: config.currentUser.id },
        replyToId: answer.message.messageId,
        value: ask,
      })
    ).status,
    200,
  );
  const posted = await next(from, 'the ticket card in General', (e) => e.action === 'createMessage' && e.conversation === general.id);
  const ticket = await waitFor('the ticket', async () => (await store.listTickets({ limit: 1 }))[0]);
  assert.deepEqual(
    [ticket.channel, ticket.lang, ticket.contact, ticket.statements],
    ['teams', 'ko', config.currentUser.name, ['ModuleNotFoundError: No module named xgboost_custom_thing']],
  );
  const card = cardOfMessage(posted.message);
  assert.deepEqual(cardTexts(card).slice(0, 2), [`Ticket ${ticket.id.slice(0, 8)}`, 'Open: waiting for an expert']);

  // Another member taps the card's buttons in its thread: the card is replaced (updateMessage of the same message).
  const thread = { id: `${general.id};messageid=${posted.message.messageId}` };
  const tap = (value: Record<string, unknown> | undefined) =>
    post('/_conversation/v1/submit', { conversation: thread, from: { id: expert.id }, replyToId: posted.message.messageId, value });
  from = stream.length;
  assert.equal((await tap(submitData(card).find((d) => d.act === 'assign'))).status, 200);
  const assigned = await next(from, 'the assigned card', (e) => e.action === 'updateMessage' && e.message.messageId === posted.message.messageId);
  assert.equal(cardTexts(cardOfMessage(assigned.message))[1], `Assigned to ${expert.name}`);
  from = stream.length;
  assert.equal(
    (await tap({ ...submitData(card).find((d) => d.act === 'resolve'), answer: 'conda.yaml의 pip 목록에 xgboost_custom_thing을 추가하세요.' })).status,
    200,
  );
  const told = await next(from, 'the answer in the personal chat', (e) => e.action === 'createMessage' && e.conversation === chat);
  assert.deepEqual(cardTexts(cardOfMessage(told.message)).slice(0, 4), [
    '전문가가 질문에 답했습니다',
    `티켓 ${ticket.id.slice(0, 8)}`,
    'ModuleNotFoundError: No module named xgboost_custom_thing',
    'conda.yaml의 pip 목록에 xgboost_custom_thing을 추가하세요.',
  ]);
  const resolved = await next(from, 'the resolved card', (e) => e.action === 'updateMessage' && e.message.messageId === posted.message.messageId);
  assert.equal(cardTexts(cardOfMessage(resolved.message))[1], `Resolved by ${expert.name}`);
  from = stream.length;
  assert.equal((await tap({ ...submitData(card).find((d) => d.act === 'resolve'), answer: 'again' })).status, 200);
  const again = await next(from, 'the answer to a second Resolve', (e) => e.action === 'createMessage' && !!e.message.text);
  assert.match(again.message.text!, /^Ticket [0-9a-f]{8} was already resolved by /);
});
