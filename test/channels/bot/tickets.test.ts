/**
 * Routing of tickets in Teams through the real CloudAdapter (local mode, no app id) over HTTP: a local stand-in for
 * the Bot Framework connector records every message the bot sends (POST, with the conversation it went to) and
 * every card it replaces (PUT). A Korean user's 👎 → Ask an expert → the card in the experts' channel → Assign →
 * Resolve → the asker told in Korean; a second Resolve answered clearly; the same after a restart over SQLite.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotChannel, parseBotConfig } from '../../../src/channels/bot/index.ts';
import type { AdaptiveCard } from '../../../src/channels/bot/cards.ts';
import { loadKnowledgeBase } from '../../../src/engine/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore, createSqliteStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/types.ts';
import { createReader } from '../../../src/support/reader.ts';
import { watchTickets } from '../../../src/support/watch.ts';
import { cardProblems, cardTexts, contentDir, i18n, realEngine, silentLogger, submitData } from './helpers.ts';
import { listen } from './servers.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const reader = createReader(loadKnowledgeBase(contentDir).kb.topics);

interface Call {
  method: 'POST' | 'PUT';
  conversation: string;
  /** POST: the message replied to (absent: a new message); PUT: the message replaced. */
  activity?: string;
  /** POST: the id the connector gave the new message. */
  id?: string;
  body: Record<string, unknown>;
}

/** The connector stand-in: records the calls, answers each POST with a new message id; POSTs to `refuse` get a 403 (the bot was removed there). */
async function connector(refuse: Set<string> = new Set()) {
  const calls: Call[] = [];
  let sent = 0;
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/v3/conversations/:conversation/activities{/:replyTo}', (req, res) => {
    if (refuse.has(req.params.conversation))
      return void res.status(403).json({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    const id = `sent-${++sent}`;
    calls.push({ method: 'POST', conversation: req.params.conversation, ...(req.params.replyTo ? { activity: req.params.replyTo } : {}), id, body: req.body });
    res.json({ id });
  });
  app.put('/v3/conversations/:conversation/activities/:id', (req, res) => {
    calls.push({ method: 'PUT', conversation: req.params.conversation, activity: req.params.id, body: req.body });
    res.json({ id: req.params.id });
  });
  return { calls, serviceUrl: await listen(app) };
}

const EXPERTS = '19:experts@thread.tacv2';
const PERSONAL = 'a:personal-minji';
const MINJI = { id: '29:minji', name: '김민지', aadObjectId: 'aad-minji' };
const LEE = { id: '29:lee', name: 'Lee Expert', aadObjectId: 'aad-lee' };
const PARK = { id: '29:park', name: 'Park Expert', aadObjectId: 'aad-park' };

/** A bot (local mode) posting to `serviceUrl`, over `store`; `send` posts one activity as Teams would and returns the calls it caused. */
async function teams(store: Store, serviceUrl: string, calls: Call[], env: Record<string, string> = {}) {
  const channel = createBotChannel({
    engine: realEngine(),
    store,
    i18n,
    logger: process.env.TICKETS_DEBUG
      ? { info: console.log, warn: console.log, error: (o: unknown, m?: string) => console.log(m, String((o as { err?: Error }).err?.message)) }
      : silentLogger,
    storeQuestions: true,
    reader: () => reader,
    config: parseBotConfig({ BOT_RATE_LIMIT_PER_MINUTE: '0', ...env }),
  });
  const bot = await listen(createHttpApp({ engine: realEngine(), store, i18n, logger: createLogger('silent'), mounts: [channel.mount] }));
  let incoming = 0;
  async function send(activity: Record<string, unknown>): Promise<Call[]> {
    const before = calls.length;
    const res = await fetch(`${bot}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `incoming-${++incoming}`,
        channelId: 'msteams',
        serviceUrl,
        recipient: { id: 'bot-1', name: 'Stepwise' },
        ...activity,
      }),
    });
    assert.equal(res.status, 200, await res.text());
    return calls.slice(before);
  }
  /** The Korean user, in their personal chat. */
  const asker = (extra: Record<string, unknown>) =>
    send({ locale: 'ko-KR', from: MINJI, conversation: { id: PERSONAL, conversationType: 'personal' }, ...extra });
  /** An expert's tap on the ticket card `cardId` in the experts' channel (Teams names the thread in the conversation id). */
  const expert = (who: typeof LEE, value: Record<string, unknown>, cardId: string) =>
    send({
      locale: 'en-US',
      from: who,
      conversation: { id: `${EXPERTS};messageid=${cardId}`, conversationType: 'channel', isGroup: true },
      channelData: { team: { id: EXPERTS } },
      replyToId: cardId,
      value,
    });
  return { send, asker, expert, router: channel.router };
}

/** Installs the bot in the experts' team (Teams' conversationUpdate). */
const install = (send: (a: Record<string, unknown>) => Promise<Call[]>) =>
  send({
    type: 'conversationUpdate',
    locale: 'en-US',
    from: LEE,
    membersAdded: [{ id: 'bot-1' }],
    conversation: { id: EXPERTS, conversationType: 'channel', isGroup: true },
    channelData: { team: { id: EXPERTS, name: 'Azure ML experts' }, tenant: { id: 'tenant-1' } },
  });

function cardOf(call: Call | undefined): AdaptiveCard {
  const attachment = (call?.body.attachments as Array<{ contentType: string; content: AdaptiveCard }> | undefined)?.[0];
  assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive', JSON.stringify(call));
  return attachment.content;
}

function button(card: AdaptiveCard, match: (data: Record<string, unknown>) => boolean): Record<string, unknown> {
  const data = submitData(card).find(match);
  assert.ok(data, `no such button on ${cardTexts(card).join(' | ')}`);
  return data;
}

const QUESTION = '배포가 계속 실패합니다\nModuleNotFoundError: No module named xgboost_custom_thing';
const ANSWER = 'conda.yaml의 pip 목록에 xgboost_custom_thing을 추가하고 환경을 다시 빌드한 뒤 배포하세요.';

test("a Korean ticket from Teams: card in the experts' channel, assigned and resolved in place, the asker told in Korean; a second Resolve is answered clearly", async () => {
  const { calls, serviceUrl } = await connector();
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls);

  // Installed in the experts' team: the channel is told what will come, in its locale.
  const [welcome] = await install(t.send);
  assert.equal(welcome.conversation, EXPERTS);
  assert.equal(cardTexts(cardOf(welcome))[0], 'Stepwise will post tickets in this channel');

  // The asker: an answer, a quiet "Still stuck?" under it; 👎 and a comment make Ask an expert the primary button.
  const [first] = await t.asker({ text: QUESTION });
  assert.equal(first.conversation, PERSONAL);
  const answerCardId = first.id!;
  let card = cardOf(first);
  assert.ok(cardTexts(card).includes('[아직 해결되지 않았나요? 전문가에게 문의]'), cardTexts(card).join(' | '));
  const [commentBox] = await t.asker({ value: button(card, (d) => d.stepwise === 'comment'), replyToId: answerCardId });
  const [thanked] = await t.asker({
    value: { ...button(cardOf(commentBox), (d) => d.stepwise === 'feedback'), comment: '2단계 후에도 같아요' },
    replyToId: answerCardId,
  });
  card = cardOf(thanked);
  const ask = button(card, (d) => d.stepwise === 'expert');
  assert.deepEqual(
    { ...ask, view: undefined },
    { stepwise: 'expert', answerId: ask.answerId, lang: 'ko', step: 1, helpful: false, comment: '2단계 후에도 같아요', view: undefined },
  );
  assert.ok(JSON.stringify(card).includes('"title":"전문가에게 문의","data"'), 'the primary Ask an expert after 👎');

  let started = performance.now();
  const asked = await t.asker({ value: ask, replyToId: answerCardId });
  const askMs = performance.now() - started;
  // 1. the ticket card, a new message in the experts' channel; 2. the confirmation; 3. the asker's card, its button now the "sent" line.
  assert.deepEqual(
    asked.map((c) => [c.method, c.conversation, c.activity]),
    [
      ['POST', EXPERTS, undefined],
      ['POST', PERSONAL, asked[1].activity],
      ['PUT', PERSONAL, answerCardId],
    ],
  );
  const [, confirmation, replaced] = asked;
  const [ticket] = await store.listTickets({ limit: 5 });
  assert.ok(ticket);
  const short = ticket.id.slice(0, 8);
  assert.match(
    String(confirmation.body.text),
    new RegExp(`^질문을 지원 전문가에게 보냈습니다\\(티켓 ${short}\\)\\. 전문가가 답하면 이 채팅으로 답변을 보내 드리겠습니다\\.$`),
  );
  assert.ok(cardTexts(cardOf(replaced)).includes(`지원 전문가에게 보냈습니다(티켓 ${short}). 답변은 이 채팅으로 옵니다.`));
  assert.ok(!cardTexts(cardOf(replaced)).some((x) => x.includes('[전문가에게 문의]')), 'no second Ask an expert on that card');

  // The ticket carries what the expert needs, through the same support code the API uses.
  assert.equal(ticket.channel, 'teams');
  assert.equal(ticket.lang, 'ko');
  assert.equal(ticket.question, QUESTION);
  assert.deepEqual(ticket.statements, ['ModuleNotFoundError: No module named xgboost_custom_thing']);
  assert.equal(ticket.topicId, 'ResourceNotReady');
  assert.equal(ticket.answerStatus, 'answered');
  assert.equal(ticket.stepsWalked, 1);
  assert.equal(ticket.helpful, false);
  assert.equal(ticket.comment, '2단계 후에도 같아요');
  assert.equal(ticket.contact, '김민지');
  assert.equal(ticket.asker, 'aad-minji');
  assert.equal(JSON.parse(ticket.askerAddress!).conversation.id, PERSONAL);
  const ticketCardId = asked[0].id!;
  assert.equal(JSON.parse(ticket.expertCard!).activityId, ticketCardId);

  // The card in the experts' channel: the error line first, the facts, the question and the comment, three actions.
  const posted = cardOf(asked[0]);
  assert.deepEqual(cardProblems(posted), []);
  const texts = cardTexts(posted);
  assert.deepEqual(texts.slice(0, 2), [`Ticket ${short}`, 'Open: waiting for an expert']);
  for (const line of [
    'Language: 한국어',
    'Asked by: 김민지',
    'From: Teams',
    'Topic answered: ResourceNotReady',
    'Answer: answered',
    'Steps walked: 1',
    'Feedback: 👎 not helpful',
  ]) {
    assert.ok(texts.includes(line), `${line} in ${texts.join(' | ')}`);
  }
  assert.ok(texts.indexOf('ModuleNotFoundError: No module named xgboost_custom_thing') < texts.indexOf(QUESTION), 'error lines before the question');
  assert.ok(texts.includes('2단계 후에도 같아요'));
  assert.deepEqual(
    texts.filter((x) => x.startsWith('[')),
    ['[Assign to me]', '[Resolve]', '[Resolve and send the answer]', '[Add to knowledge base]'],
  );

  // Assign to me: the same card, replaced in place (PUT to its message id), says who has it.
  const assigned = await t.expert(
    LEE,
    button(posted, (d) => d.act === 'assign'),
    ticketCardId,
  );
  assert.deepEqual(
    assigned.map((c) => [c.method, c.conversation.split(';')[0], c.activity]),
    [['PUT', EXPERTS, ticketCardId]],
  );
  const assignedTexts = cardTexts(cardOf(assigned[0]));
  assert.equal(assignedTexts[1], 'Assigned to Lee Expert');
  assert.ok(!assignedTexts.includes('[Assign to me]'));
  assert.equal((await store.getTicket(ticket.id))?.status, 'assigned');

  // Resolve without an answer: said what to do, nothing changed.
  const empty = await t.expert(LEE, { ...button(posted, (d) => d.act === 'resolve'), answer: '  ' }, ticketCardId);
  assert.deepEqual(
    empty.map((c) => c.method),
    ['POST'],
  );
  assert.equal(empty[0].body.text, `Write the answer for the asker in the box under Resolve, then tap "Resolve and send the answer" (ticket ${short}).`);
  assert.equal((await store.getTicket(ticket.id))?.status, 'assigned');

  // Resolve with the answer: the asker gets it in their chat, in Korean, as a new message; the card says resolved and that the asker was told.
  started = performance.now();
  const resolved = await t.expert(LEE, { ...button(posted, (d) => d.act === 'resolve'), answer: ANSWER }, ticketCardId);
  console.log(
    `tickets: Ask an expert tap → ticket stored, card posted, confirmed, card replaced: ${askMs.toFixed(0)} ms; Resolve tap → asker told, card replaced: ${(performance.now() - started).toFixed(0)} ms`,
  );
  assert.deepEqual(
    resolved.map((c) => [c.method, c.conversation.split(';')[0], c.activity]),
    [
      ['POST', PERSONAL, undefined],
      ['PUT', EXPERTS, ticketCardId],
    ],
  );
  assert.deepEqual(cardTexts(cardOf(resolved[0])), [
    '전문가가 질문에 답했습니다',
    `티켓 ${short}`,
    'ModuleNotFoundError: No module named xgboost_custom_thing',
    ANSWER,
    '아직 해결되지 않았나요? 시도한 내용과 함께 여기에서 다시 질문하세요.',
  ]);
  assert.deepEqual(resolved[0].body.recipient, { id: MINJI.id, name: MINJI.name, aadObjectId: MINJI.aadObjectId });
  const resolvedTexts = cardTexts(cardOf(resolved[1]));
  assert.equal(resolvedTexts[1], 'Resolved by Lee Expert');
  assert.ok(resolvedTexts.includes(ANSWER));
  assert.ok(resolvedTexts.includes('The answer was sent to the asker in their Teams chat, in 한국어.'));
  assert.deepEqual(
    resolvedTexts.filter((x) => x.startsWith('[')),
    ['[Add to knowledge base]'],
  );

  // A second Resolve (Park, from a stale card): answered clearly, the card shows the ticket as it is, the first answer stays.
  const again = await t.expert(PARK, { ...button(posted, (d) => d.act === 'resolve'), answer: 'other answer' }, ticketCardId);
  assert.deepEqual(
    again.map((c) => c.method),
    ['PUT', 'POST'],
  );
  assert.equal(cardTexts(cardOf(again[0]))[1], 'Resolved by Lee Expert');
  assert.match(
    String(again[1].body.text),
    new RegExp(
      `^Ticket ${short} was already resolved by Lee Expert at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\. The first answer is kept; nothing was changed\\.$`,
    ),
  );
  assert.equal((await store.getTicket(ticket.id))?.resolution, ANSWER);
  const told = calls.filter((c) => c.conversation === PERSONAL && c.method === 'POST' && JSON.stringify(c.body).includes('전문가가 질문에 답했습니다'));
  assert.equal(told.length, 1, 'the asker was told once');

  // Add to knowledge base (allowed on a resolved ticket): the card says who proposed it.
  const kb = await t.expert(
    PARK,
    button(posted, (d) => d.act === 'knowledgeBase'),
    ticketCardId,
  );
  const kbTexts = cardTexts(cardOf(kb[0]));
  assert.ok(kbTexts.includes('Proposed for the knowledge base by Park Expert'));
  assert.ok(kbTexts.includes("Added to the dashboard's From gap to content list."));
  assert.equal((await store.getTicket(ticket.id))?.knowledgeBase?.by, 'Park Expert');

  // Ask an expert again on the same answer: no second ticket.
  const twice = await t.asker({ value: ask, replyToId: answerCardId });
  assert.deepEqual(
    twice.map((c) => c.conversation),
    [PERSONAL],
  );
  assert.equal(twice[0].body.text, `이 답변에 대해 이미 전문가에게 문의했습니다(티켓 ${short}). 답변은 이 채팅으로 옵니다.`);
  assert.equal((await store.listTickets({ limit: 5 })).length, 1);
});

test("bad ticket buttons, buttons outside the experts' channel and unknown tickets get a clear sentence, never an error", async () => {
  const { calls, serviceUrl } = await connector();
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls);
  await install(t.send);
  const text = async (p: Promise<Call[]>) => (await p).map((c) => c.body.text);
  assert.deepEqual(await text(t.expert(LEE, { stepwise: 'ticket', act: 'explode', ticketId: 'x' }, 'c1')), [
    "That ticket button is from a card I can't read. Use the buttons on the ticket's newest card.",
  ]);
  assert.deepEqual(await text(t.expert(LEE, { stepwise: 'ticket', act: 'assign', ticketId: '../../etc' }, 'c1')), [
    "That ticket button is from a card I can't read. Use the buttons on the ticket's newest card.",
  ]);
  assert.deepEqual(await text(t.expert(LEE, { stepwise: 'ticket', act: 'assign', ticketId: 'nope-1234' }, 'c1')), [
    "I can't find ticket nope-123. It may have been opened on another Stepwise installation.",
  ]);
  assert.deepEqual(await text(t.asker({ value: { stepwise: 'expert', lang: 'ko' } })), [
    '이 전문가에게 문의 버튼은 읽을 수 없는 카드에서 왔습니다. 질문을 다시 한 다음 새 답변의 버튼을 사용하세요.',
  ]);
  assert.deepEqual(await text(t.asker({ value: { stepwise: 'expert', answerId: 'never', lang: 'ko' } })), [
    '그 답변을 더 이상 찾을 수 없습니다. 질문을 다시 한 다음 새 답변에서 전문가에게 문의를 누르세요.',
  ]);

  // A ticket button sent from the asker's own chat (a forged or forwarded card) does not act on the ticket.
  await t.asker({ text: QUESTION });
  const answerId = (await store.listTickets({ limit: 1 })).length; // no ticket yet
  assert.equal(answerId, 0);
  const [answer] = await t.asker({ text: '엔드포인트 호출이 503을 반환해요' });
  const ask = button(cardOf(answer), (d) => d.stepwise === 'expert');
  await t.asker({ value: ask });
  const [ticket] = await store.listTickets({ limit: 1 });
  assert.ok(ticket);
  assert.deepEqual(await text(t.asker({ value: { stepwise: 'ticket', act: 'resolve', ticketId: ticket.id, answer: 'hijack' } })), [
    '티켓 버튼은 전문가 채널의 티켓 카드에서만 동작합니다.',
  ]);
  assert.equal((await store.getTicket(ticket.id))?.status, 'open');
});

test("on not_found the card offers Ask an expert at once; without an experts' channel the ticket waits and is posted when the bot is installed", async () => {
  const { calls, serviceUrl } = await connector();
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls);
  const [notFound] = await t.asker({ text: '피자 반죽 레시피 알려줘' });
  const card = cardOf(notFound);
  assert.equal(cardTexts(card)[0], '해당 항목을 찾지 못했습니다');
  const ask = button(card, (d) => d.stepwise === 'expert');
  const asked = await t.asker({ value: ask });
  // No experts' channel yet: the ticket is stored (dashboard, API, webhook) and the asker is told it was sent.
  assert.deepEqual(
    asked.map((c) => [c.method, c.conversation]),
    [['POST', PERSONAL]],
  );
  const [ticket] = await store.listTickets({ limit: 1 });
  assert.equal(ticket?.answerStatus, 'not_found');
  assert.equal(ticket?.expertCard, undefined);
  // Teams sends conversationUpdate and installationUpdate together on an install: the waiting ticket is posted once.
  const installUpdate = t.send({
    type: 'installationUpdate',
    action: 'add',
    locale: 'en-US',
    from: LEE,
    conversation: { id: EXPERTS, conversationType: 'channel', isGroup: true },
    channelData: { team: { id: EXPERTS, name: 'Azure ML experts' } },
  });
  await install(t.send);
  await installUpdate;
  const posts = calls.filter((c) => c.method === 'POST' && c.conversation === EXPERTS).map((c) => cardTexts(cardOf(c))[0]);
  assert.deepEqual(posts.sort(), ['Stepwise will post tickets in this channel', `Ticket ${ticket.id.slice(0, 8)}`].sort());
  assert.ok((await store.getTicket(ticket.id))?.expertCard);
});

test("tickets from the widget or the API reach the experts' channel too, and their card follows changes made through the API", async () => {
  const { calls, serviceUrl } = await connector();
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls, { EXPERT_CHANNEL_ID: EXPERTS, EXPERT_CHANNEL_SERVICE_URL: serviceUrl, EXPERT_CHANNEL_LANG: 'zh' });
  const watched = watchTickets(store, (change) => t.router.changed(change));
  await watched.createTicket({
    id: 'w-1234567890',
    tokenHash: 'b'.repeat(64),
    at: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    status: 'open',
    channel: 'widget',
    lang: 'en',
    question: 'deploy fails\nOSError: disk full',
    statements: ['OSError: disk full'],
    codes: [],
    contact: 'kim@contoso.com',
  });
  await t.router.idle();
  const [post] = calls;
  assert.equal(post?.conversation, EXPERTS);
  assert.deepEqual(cardTexts(cardOf(post)).slice(0, 2), ['工单 w-123456', '待处理：等待专家']);
  await watched.actOnTicket('w-1234567890', { kind: 'resolve', expert: 'park', answer: 'Free the disk.', at: '2026-03-01T11:00:00.000Z' });
  await t.router.idle();
  // The card is updated proactively (no tap to come from); a widget asker has no Teams chat to be told in.
  assert.deepEqual(
    calls.slice(1).map((c) => [c.method, c.conversation, c.activity]),
    [['PUT', EXPERTS, 'sent-1']],
  );
  assert.equal(cardTexts(cardOf(calls[1]))[1], '已由 park 解决');
});

test('nothing is lost across a restart: a ticket opened before it is resolved after it, its card updated and the asker told, from what SQLite kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-tickets-'));
  dirs.push(dir);
  const file = join(dir, 'stepwise.db');
  const { calls, serviceUrl } = await connector();
  const first = createSqliteStore(file);
  const before = await teams(first, serviceUrl, calls);
  await install(before.send);
  const [answer] = await before.asker({ text: QUESTION });
  await before.asker({ value: button(cardOf(answer), (d) => d.stepwise === 'expert') });
  const [ticket] = await first.listTickets({ limit: 1 });
  const cardId = JSON.parse(ticket.expertCard!).activityId as string;
  await first.close();

  // A new process: new store handle, new adapter, empty conversation state.
  const store = createSqliteStore(file);
  const afterRestart = await teams(store, serviceUrl, calls);
  const resolved = await afterRestart.expert(LEE, { stepwise: 'ticket', act: 'resolve', ticketId: ticket.id, answer: ANSWER }, cardId);
  assert.deepEqual(
    resolved.map((c) => [c.method, c.conversation.split(';')[0], c.activity]),
    [
      ['POST', PERSONAL, undefined],
      ['PUT', EXPERTS, cardId],
    ],
  );
  assert.ok(cardTexts(cardOf(resolved[0])).includes(ANSWER));
  assert.equal(cardTexts(cardOf(resolved[0]))[0], '전문가가 질문에 답했습니다');
  await store.close();
});

test("watchTickets passes the webhook's event builder through and reports only committed changes", async () => {
  const seen: unknown[] = [];
  const inner = createMemoryStore();
  const args: unknown[] = [];
  const recording: Store = Object.assign(Object.create(inner), {
    createTicket: (ticket: Parameters<Store['createTicket']>[0], event?: unknown) => (args.push(event), inner.createTicket(ticket)),
    actOnTicket: (id: string, action: Parameters<Store['actOnTicket']>[1], event?: unknown) => (args.push(event), inner.actOnTicket(id, action)),
  });
  const watched = watchTickets(recording, (change) => seen.push([change.kind, change.ticket.status]));
  const builder = () => ({ id: 'e', type: 't', at: 'a', body: '{}' });
  const ticket = {
    id: 't1',
    tokenHash: 'c'.repeat(64),
    at: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    status: 'open' as const,
    channel: 'teams' as const,
    lang: 'ko' as const,
    question: 'q',
    statements: [],
    codes: [],
  };
  await watched.createTicket(ticket, builder);
  await watched.actOnTicket('t1', { kind: 'resolve', expert: 'lee', answer: 'a', at: '2026-03-01T11:00:00.000Z' }, builder);
  await watched.actOnTicket('t1', { kind: 'assign', expert: 'lee', at: '2026-03-01T12:00:00.000Z' });
  await watched.actOnTicket('nope', { kind: 'assign', expert: 'lee', at: '2026-03-01T12:00:00.000Z' });
  assert.deepEqual(args, [builder, builder, undefined, undefined]);
  assert.deepEqual(seen, [
    ['created', 'open'],
    ['resolve', 'resolved'],
  ]);
  assert.equal((await watched.getTicket('t1'))?.resolution, 'a', "the other methods are the store's own");
});

test("every ticket card parses as Adaptive Cards 1.5 and stays under Teams' size limit at its longest, in every language", async () => {
  const { expertTicketCard, askerReplyCard, expertsWelcomeCard } = await import('../../../src/channels/bot/ticket-cards.ts');
  const { cardBytes, MAX_CARD_BYTES } = await import('../../../src/channels/bot/cards.ts');
  const { MAX_ANSWER_TEXT, MAX_ACTION_TEXT } = await import('../../../src/channels/bot/actions.ts');
  const long = (n: number) => '배포실패오류'.repeat(Math.ceil(n / 6)).slice(0, n);
  const base = {
    id: 'a'.repeat(36),
    tokenHash: 'b'.repeat(64),
    at: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    channel: 'teams' as const,
    question: long(65_536),
    statements: Array.from({ length: 40 }, () => long(2000)),
    codes: ['OutOfQuota', 'ResourceNotReady'],
    comment: long(MAX_ACTION_TEXT),
    contact: long(200),
    topicId: 'ResourceNotReady',
    answerStatus: 'answered' as const,
    stepsWalked: 4,
    helpful: false,
  };
  for (const lang of ['en', 'ko', 'zh'] as const) {
    const t = i18n.getFixedT(lang, 'bot');
    const states = [
      { ...base, lang, status: 'open' as const },
      { ...base, lang, status: 'assigned' as const, assignee: long(200) },
      {
        ...base,
        lang,
        status: 'resolved' as const,
        assignee: 'lee',
        resolvedBy: long(200),
        resolvedAt: base.at,
        resolution: long(MAX_ANSWER_TEXT),
        knowledgeBase: { at: base.at, by: long(200) },
      },
    ];
    for (const ticket of states) {
      for (const card of [expertTicketCard(ticket, t, long(300)), askerReplyCard(ticket, t)]) {
        assert.deepEqual(cardProblems(card), [], `${lang} ${ticket.status}`);
        assert.ok(cardBytes(card) < MAX_CARD_BYTES, `${lang} ${ticket.status}: ${cardBytes(card)} bytes`);
      }
    }
    assert.deepEqual(cardProblems(expertsWelcomeCard(t)), []);
  }
});

test("with EXPERT_CHANNEL_ID set, installing the bot in another team greets it as usual and does not move the experts' channel", async () => {
  const { calls, serviceUrl } = await connector();
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls, { EXPERT_CHANNEL_ID: '19:configured@thread.tacv2', EXPERT_CHANNEL_SERVICE_URL: serviceUrl });
  const [greeting] = await install(t.send);
  assert.equal(cardTexts(cardOf(greeting))[0], "Hi, I'm Stepwise");
  assert.equal(await store.getAddress('teams:experts'), undefined);
  assert.equal((await t.router.experts())?.reference.conversation?.id, '19:configured@thread.tacv2');
});

test('when Teams refuses the proactive messages (the bot was removed), the ticket is still kept and confirmed, and the card says the asker could not be told', async () => {
  const refuse = new Set<string>();
  const { calls, serviceUrl } = await connector(refuse);
  const store = createMemoryStore();
  const t = await teams(store, serviceUrl, calls);
  await install(t.send);
  refuse.add(EXPERTS);
  const [answer] = await t.asker({ text: QUESTION });
  const asked = await t.asker({ value: button(cardOf(answer), (d) => d.stepwise === 'expert') });
  // The experts' channel refused the card: the asker is still told the ticket was sent (it is stored, on the dashboard and the API).
  assert.match(String(asked.find((c) => c.method === 'POST' && c.conversation === PERSONAL)?.body.text), /^질문을 지원 전문가에게 보냈습니다/);
  const [ticket] = await store.listTickets({ limit: 1 });
  assert.equal(ticket?.expertCard, undefined);

  // The channel is back; a change through the API posts the card; then the asker's chat refuses the answer.
  refuse.delete(EXPERTS);
  const watched = watchTickets(store, (change) => t.router.changed(change));
  await watched.actOnTicket(ticket.id, { kind: 'assign', expert: 'lee', at: '2026-03-01T11:00:00.000Z' });
  await t.router.idle();
  const posted = calls.filter((c) => c.method === 'POST' && c.conversation === EXPERTS).at(-1);
  assert.ok(posted?.id);
  assert.equal(cardTexts(cardOf(posted))[1], 'Assigned to lee');
  refuse.add(PERSONAL);
  const resolved = await t.expert(LEE, { stepwise: 'ticket', act: 'resolve', ticketId: ticket.id, answer: ANSWER }, posted.id);
  assert.deepEqual(
    resolved.map((c) => c.method),
    ['PUT'],
  );
  assert.ok(cardTexts(cardOf(resolved[0])).includes('The answer is saved, but Teams did not take the message to the asker; they see it with their ticket.'));
  assert.equal((await store.getTicket(ticket.id))?.status, 'resolved');
});
