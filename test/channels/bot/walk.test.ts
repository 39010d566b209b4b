/**
 * Cards that update in place, through a real CloudAdapter over HTTP: a local stand-in for the Bot
 * Framework connector records what the bot sends (POST) and which messages it replaces (PUT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotMount, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import type { AdaptiveCard } from '../../../src/channels/bot/cards.ts';
import { cardTexts, i18n, realEngine, silentLogger, submitData } from './helpers.ts';
import { listen, messageActivity } from './servers.ts';

interface Call {
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

/** Starts the connector stand-in and a bot (local mode) posting to it; `send` posts one activity as Teams would. */
async function teams() {
  const calls: Call[] = [];
  let sent = 0;
  const connector = express();
  connector.use(express.json({ limit: '1mb' }));
  connector.post('/v3/conversations/:conversation/activities{/:replyTo}', (req, res) => {
    calls.push({ method: 'POST', path: req.path, body: req.body });
    res.json({ id: `sent-${++sent}` });
  });
  connector.put('/v3/conversations/:conversation/activities/:id', (req, res) => {
    calls.push({ method: 'PUT', path: req.path, body: req.body });
    res.json({ id: req.params.id });
  });
  const serviceUrl = await listen(connector);
  const store = createMemoryStore();
  let incoming = 0;
  const mount = createBotMount({ engine: realEngine(), store, i18n, logger: silentLogger, config: parseBotConfig({ BOT_RATE_LIMIT_PER_MINUTE: '0' }) });
  const bot = await listen(createHttpApp({ engine: realEngine(), store, i18n, logger: createLogger('silent'), mounts: [mount] }));
  /** Posts an activity; resolves with the connector calls it caused. */
  async function send(extra: Record<string, unknown>): Promise<Call[]> {
    const before = calls.length;
    const res = await fetch(`${bot}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(messageActivity(serviceUrl, { id: `incoming-${++incoming}`, ...extra })),
    });
    assert.equal(res.status, 200, await res.text());
    return calls.slice(before);
  }
  /** Taps a card button: Teams posts the button's data with the card's message id in replyToId. */
  const tap = (value: Record<string, unknown>, cardId: string) => send({ value, replyToId: cardId });
  return { send, tap, store, calls };
}

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

const steps = (lang: 'en' | 'ko' | 'zh', topic: string) => realEngine().ask('', { lang, topic }).steps.length;

test('a walk through every step of an answer is one sent card, then updates of that card (PUT to its activity), Back and All steps included', async () => {
  const { send, tap, calls } = await teams();
  const total = steps('en', 'ContainerLogs');
  assert.ok(total >= 5, `ContainerLogs has ${total} steps`);
  const [first] = await send({ text: 'how do I get container logs' });
  assert.equal(first.method, 'POST');
  assert.equal(first.body.channelData, undefined, 'no Teams feedback loop beside the card buttons');
  let card = cardOf(first);
  assert.ok(cardTexts(card).includes(`Step 1 of ${total}`));

  for (let n = 2; n <= total; n++) {
    const replies = await tap(
      button(card, (d) => d.stepwise === 'next'),
      'sent-1',
    );
    assert.deepEqual(
      replies.map((r) => [r.method, r.path]),
      [['PUT', '/v3/conversations/conv-1/activities/sent-1']],
    );
    card = cardOf(replies[0]);
    assert.ok(cardTexts(card).includes(`Step ${n} of ${total}`), `step ${n}: ${cardTexts(card).join(' | ')}`);
  }
  assert.ok(!cardTexts(card).includes('[Next step]'), 'no Next on the last step');

  const back = await tap(
    button(card, (d) => d.stepwise === 'back'),
    'sent-1',
  );
  assert.ok(cardTexts(cardOf(back[0])).includes(`Step ${total - 1} of ${total}`));
  const all = await tap(
    button(cardOf(back[0]), (d) => d.stepwise === 'all'),
    'sent-1',
  );
  const allTexts = cardTexts(cardOf(all[0]));
  assert.deepEqual(
    allTexts.filter((t) => /^\d+\.$/.test(t)),
    Array.from({ length: total }, (_, i) => `${i + 1}.`),
  );
  // From all steps, "Step by step" goes back to the step the walk was at.
  const again = await tap(
    button(cardOf(all[0]), (d) => d.stepwise === 'back'),
    'sent-1',
  );
  assert.ok(cardTexts(cardOf(again[0])).includes(`Step ${total - 1} of ${total}`));

  assert.deepEqual(
    calls.map((c) => c.method),
    ['POST', ...Array.from({ length: total - 1 + 3 }, () => 'PUT')],
  );
  assert.ok(calls.slice(1).every((c) => c.path === '/v3/conversations/conv-1/activities/sent-1'));
});

test('typed "next" walks the newest answer: after a new question (also one answered with a clarify card) it never goes back to the older topic', async () => {
  const { send, tap } = await teams();
  await send({ text: 'how do I get container logs' });
  const walked = await send({ text: 'next' });
  assert.deepEqual(
    walked.map((c) => [c.method, c.path]),
    [['PUT', '/v3/conversations/conv-1/activities/sent-1']],
  );

  const [clarify] = await send({ text: 'ImageBuildFailure 오류' });
  assert.equal(clarify.method, 'POST');
  assert.equal(cardTexts(cardOf(clarify))[0], '어떤 경우인가요?');
  // The newest answer asks to choose: "다음" does not walk the container logs any more.
  const early = await send({ text: '다음' });
  assert.deepEqual(
    early.map((c) => [c.method, c.body.text]),
    [['POST', '먼저 위 카드에서 주제를 하나 선택해 주세요. 그러면 "다음"으로 단계를 볼 수 있습니다.']],
  );

  const choice = button(cardOf(clarify), (d) => d.topic === 'ImageBuildFailure/timeout');
  const [answer] = await tap(choice, 'sent-2');
  assert.equal(answer.method, 'POST', 'a chosen topic is a new answer card');
  assert.equal(cardTexts(cardOf(answer))[0], '이미지 빌드 시간 초과');
  const total = steps('ko', 'ImageBuildFailure/timeout');
  const next = await send({ text: '다음' });
  if (total > 1) {
    assert.deepEqual(
      next.map((c) => [c.method, c.path]),
      [['PUT', '/v3/conversations/conv-1/activities/sent-4']],
    );
    const texts = cardTexts(cardOf(next[0]));
    assert.equal(texts[0], '이미지 빌드 시간 초과');
    assert.ok(texts.includes(`${total}단계 중 2단계`), texts.join(' | '));
  } else {
    assert.equal(next[0].body.text, '이 답변의 마지막 단계였습니다. 도움이 되었나요? 카드에서 평가하거나 다른 질문을 해 주세요.');
  }
});

test('a button on an older card replaces that card and leaves the newest answer where it was', async () => {
  const { send, tap } = await teams();
  const [older] = await send({ text: 'how do I get container logs' });
  await send({ text: 'vCPU quota exceeded when I deploy' });
  const olderNext = await tap(
    button(cardOf(older), (d) => d.stepwise === 'next'),
    'sent-1',
  );
  assert.deepEqual(
    olderNext.map((c) => [c.method, c.path]),
    [['PUT', '/v3/conversations/conv-1/activities/sent-1']],
  );
  assert.equal(cardTexts(cardOf(olderNext[0]))[0], 'Get container logs');
  const typed = await send({ text: 'next' });
  assert.deepEqual(
    typed.map((c) => [c.method, c.path]),
    [['PUT', '/v3/conversations/conv-1/activities/sent-2']],
  );
  const texts = cardTexts(cardOf(typed[0]));
  assert.equal(texts[0], 'CPU quota');
  assert.ok(texts.includes(`Step 2 of ${steps('en', 'OutOfQuota/cpu')}`));
});

test('the language buttons replace the card in the other language at the same step, and typed "next" goes on from there', async () => {
  const { send, tap } = await teams();
  const total = steps('zh', 'ContainerLogs');
  let [reply] = await send({ text: 'how do I get container logs' });
  for (let i = 0; i < 2; i++)
    [reply] = await tap(
      button(cardOf(reply), (d) => d.stepwise === 'next'),
      'sent-1',
    );
  assert.ok(cardTexts(cardOf(reply)).includes(`Step 3 of ${total}`));
  const [zh] = await tap(
    button(cardOf(reply), (d) => d.stepwise === 'lang' && d.lang === 'zh'),
    'sent-1',
  );
  assert.equal(zh.method, 'PUT');
  const zhTexts = cardTexts(cardOf(zh));
  assert.equal(zhTexts[0], '获取容器日志');
  assert.ok(zhTexts.includes(`第 3 步，共 ${total} 步`), zhTexts.join(' | '));
  const [ko] = await tap(
    button(cardOf(zh), (d) => d.stepwise === 'lang' && d.lang === 'ko'),
    'sent-1',
  );
  assert.ok(cardTexts(cardOf(ko)).includes(`${total}단계 중 3단계`));
  const [typed] = await send({ text: 'next' });
  assert.equal(typed.method, 'PUT');
  assert.ok(cardTexts(cardOf(typed)).includes(`${total}단계 중 4단계`), 'an English "next" keeps the card\'s Korean');
});

test('👎 always offers a comment: the card gets a comment box, and Send stores the vote with the comment and thanks on the card', async () => {
  const { send, tap, store } = await teams();
  const [reply] = await send({ text: 'how do I get container logs' });
  const [up] = await tap(
    button(cardOf(reply), (d) => d.stepwise === 'feedback' && d.helpful === true),
    'sent-1',
  );
  assert.equal(up.method, 'PUT');
  assert.ok(cardTexts(cardOf(up)).includes('Thanks for the feedback!'));

  const [form] = await tap(
    button(cardOf(reply), (d) => d.stepwise === 'comment'),
    'sent-1',
  );
  assert.equal(form.method, 'PUT');
  const formCard = cardOf(form);
  assert.ok(cardTexts(formCard).includes('What was wrong or missing? (optional)'));
  assert.ok(cardTexts(formCard).includes(`Step 1 of ${steps('en', 'ContainerLogs')}`), 'the step stays');
  assert.match(JSON.stringify(formCard), /"type":"Input.Text","id":"comment"/);
  // Teams merges the inputs into the button's data.
  const sendButton = button(formCard, (d) => d.stepwise === 'feedback' && d.helpful === false);
  const [thanks] = await tap({ ...sendButton, comment: 'the az command needs --resource-group' }, 'sent-1');
  assert.equal(thanks.method, 'PUT');
  assert.ok(
    cardTexts(cardOf(thanks)).includes(
      'Thanks for telling me. Try rephrasing the question or pasting the exact error message; the source link has the full article.',
    ),
  );
  assert.deepEqual(
    (await store.feedback()).map((f) => [f.helpful, f.step, f.comment]),
    [
      [true, 1, undefined],
      [false, 1, 'the az command needs --resource-group'],
    ],
  );
});

test('a card sent into the chat (inserted from the message extension, or pasted back) gets no reply, not the help card', async () => {
  const { send } = await teams();
  const inserted = realEngine().ask('', { lang: 'en', topic: 'HTTP-503' });
  const card = {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: inserted.topic!.title }] },
  };
  assert.deepEqual(await send({ attachments: [card] }), []);
  assert.deepEqual(await send({ text: '', attachments: [card] }), []);
  // Teams puts a placeholder for the card in the text of a message that carries one.
  assert.deepEqual(
    await send({ text: '<attachment id="1700000000000"></attachment>', textFormat: 'xml', attachments: [{ ...card, id: '1700000000000' }] }),
    [],
  );
  // An image alone still gets the help card.
  const image = await send({ attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }] });
  assert.equal(cardTexts(cardOf(image[0]))[0], 'How to use Stepwise');
});
