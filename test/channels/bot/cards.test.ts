import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGS } from '../../../src/engine/types.ts';
import { answerCard, cardBytes, clarifyCard, helpCard, MAX_CARD_BYTES, notFoundCard, welcomeCard, type AdaptiveCard } from '../../../src/channels/bot/cards.ts';
import { botHarness, cardOf, cardProblems, cardTexts, i18n, realEngine } from './helpers.ts';
import { MAX_ACTION_TEXT } from '../../../src/channels/bot/actions.ts';

function check(name: string, card: AdaptiveCard): void {
  assert.deepEqual(cardProblems(card), [], name);
  assert.equal(card.version, '1.5', name);
  assert.ok(cardBytes(card) <= MAX_CARD_BYTES, `${name}: ${cardBytes(card)} bytes`);
}

test('every answer card the bot can send (every topic, language and step mode) parses as Adaptive Card 1.5 and fits in a Teams message', () => {
  const engine = realEngine();
  let cards = 0;
  let largest = 0;
  for (const lang of LANGS) {
    const t = i18n.getFixedT(lang, 'bot');
    for (const topic of engine.topics(lang)) {
      const answer = engine.answerTopic(topic.id, lang)!;
      assert.equal(answer.status, 'answered', `${lang} ${topic.id}`);
      const modes = [{ kind: 'all' as const }, ...answer.steps.map((_, step) => ({ kind: 'walk' as const, step }))];
      for (const mode of modes) {
        for (const interactive of [true, false]) {
          const card = answerCard(answer, t, { answerId: 'a', mode, interactive });
          check(`${lang} ${topic.id} ${JSON.stringify(mode)}`, card);
          largest = Math.max(largest, cardBytes(card));
          cards++;
        }
      }
      // The comment box 👎 opens, on the longest card of the topic (all steps).
      {
        const card = answerCard(answer, t, { answerId: 'a', mode: { kind: 'all' }, interactive: true, feedback: 'comment' });
        check(`${lang} ${topic.id} comment box`, card);
        largest = Math.max(largest, cardBytes(card));
      }
      // After 👎 with the longest comment, the primary Ask an expert carries it; once asked, the line that says so.
      for (const expert of [{ comment: '배'.repeat(MAX_ACTION_TEXT) }, { ticketId: 'a'.repeat(36) }]) {
        const card = answerCard(answer, t, { answerId: 'a', mode: { kind: 'all' }, interactive: true, feedback: 'thanksNegative', expert });
        check(`${lang} ${topic.id} ask an expert`, card);
        largest = Math.max(largest, cardBytes(card));
      }
    }
    check(`${lang} welcome`, welcomeCard(t, lang));
    check(`${lang} help`, helpCard(t));
    check(`${lang} not found`, notFoundCard(engine.ask('오늘 날씨 어때요', { lang }), t));
    check(`${lang} not found, ask an expert`, notFoundCard(engine.ask('오늘 날씨 어때요', { lang }), t, { answerId: 'a' }));
    check(`${lang} clarify`, clarifyCard(engine.ask('OutOfQuota', { lang }), t, 'OutOfQuota'));
  }
  assert.ok(cards > 1500, `${cards} cards checked`);
  console.log(`bot cards: ${cards} answer cards validated, largest ${largest} bytes (limit ${MAX_CARD_BYTES})`);
});

test('a table (the inference server versions) becomes one fact set per row, headed by its first cell', () => {
  const engine = realEngine();
  const answer = engine.answerTopic('InferenceServer', 'en')!;
  const card = answerCard(answer, i18n.getFixedT('en', 'bot'), { answerId: 'a', mode: { kind: 'all' }, interactive: true });
  const factSets = JSON.stringify(card).match(/"type":"FactSet"/g) ?? [];
  assert.equal(factSets.length, answer.tables[0].rows.length);
  assert.equal(answer.tables[0].rows.length, 9);
  const texts = cardTexts(card);
  const firstRow = answer.tables[0].rows[0];
  const at = texts.indexOf(firstRow[0]);
  assert.ok(at > 0);
  assert.deepEqual(texts.slice(at + 1, at + 4), [`Notes: ${firstRow[1]}`, `Known issue: ${firstRow[2]}`, `Fix: ${firstRow[3]}`]);
});

test('content text is shown through TextRuns, so Markdown characters in commands are not interpreted', () => {
  const engine = realEngine();
  const answer = engine.answerTopic('ContainerLogs', 'en')!;
  const card = answerCard(answer, i18n.getFixedT('en', 'bot'), { answerId: 'a', mode: { kind: 'all' }, interactive: true });
  const command = answer.steps.find((s) => s.command)!.command!;
  assert.match(command, /<endpoint-name>/);
  assert.ok(JSON.stringify(card).includes(JSON.stringify({ type: 'TextRun', text: command, fontType: 'Monospace' })));
});

test('a legacy topic card carries the legacy notice in its language', () => {
  const engine = realEngine();
  const answer = engine.answerTopic('v1/HTTP-503', 'ko')!;
  const texts = cardTexts(answerCard(answer, i18n.getFixedT('ko', 'bot'), { answerId: 'a', mode: { kind: 'all' }, interactive: true }));
  assert.ok(texts.includes('레거시 SDK v1(ACI/AKS 웹 서비스) 항목입니다.'));
});

test('the message extension searches topics in the query language and inserts a full answer card without bot buttons', async () => {
  const { say } = botHarness();
  const replies = await say({
    type: 'invoke',
    name: 'composeExtension/query',
    value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: '할당량' }], queryOptions: { skip: 0, count: 3 } },
  });
  assert.equal(replies.length, 1);
  const response = replies[0].value as {
    status: number;
    body: {
      composeExtension: {
        type: string;
        attachmentLayout: string;
        attachments: Array<{ contentType: string; content: AdaptiveCard; preview: { content: { title: string } } }>;
      };
    };
  };
  assert.equal(response.status, 200);
  const { composeExtension } = response.body;
  assert.equal(composeExtension.type, 'result');
  assert.equal(composeExtension.attachmentLayout, 'list');
  const titles = composeExtension.attachments.map((a) => a.preview.content.title);
  const expected = realEngine()
    .search('할당량', { lang: 'ko', limit: 3 })
    .map((r) => realEngine().answerTopic(r.topicId, 'ko')!.topic!.title);
  assert.deepEqual(titles, expected);
  assert.equal(titles.length, 3);
  assert.ok(titles.includes('CPU 할당량') && titles.includes('클러스터 할당량'), titles.join(', '));
  const inserted = composeExtension.attachments[0];
  assert.equal(inserted.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.deepEqual(cardProblems(inserted.content), []);
  assert.ok(!JSON.stringify(inserted.content).includes('Action.Submit'), 'no buttons that need the bot in the target chat');
  assert.ok(cardTexts(inserted.content).includes('해결 단계'));
});

test('the message extension opened without a query lists the main topics in the Teams locale', async () => {
  const { say } = botHarness();
  const replies = await say(
    {
      type: 'invoke',
      name: 'composeExtension/query',
      value: { commandId: 'searchTopics', parameters: [{ name: 'initialRun', value: 'true' }], queryOptions: { count: 4 } },
    },
    'zh-CN',
  );
  const titles = (
    replies[0].value as { body: { composeExtension: { attachments: Array<{ preview: { content: { title: string } } }> } } }
  ).body.composeExtension.attachments.map((a) => a.preview.content.title);
  assert.equal(titles.length, 4);
  assert.deepEqual(
    titles,
    realEngine()
      .topics('zh')
      .filter((t) => !t.parent && !t.legacy)
      .slice(0, 4)
      .map((t) => t.title),
  );
  assert.ok(titles.every((t) => !/[\p{Script=Hangul}]/u.test(t)));
});

test('a card reply from the bot always uses the card content type Teams expects', async () => {
  const { say } = botHarness();
  const [reply] = await say('ResourceNotReady');
  assert.equal(reply.attachments![0].contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(cardTexts(cardOf(reply))[0], 'ERROR: ResourceNotReady');
});
