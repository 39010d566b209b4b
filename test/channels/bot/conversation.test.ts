import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botHarness, cardOf, cardProblems, cardTexts, realEngine, submitData } from './helpers.ts';

const BOT = { id: 'bot-id', name: 'Stepwise' };

test('when a Korean question names a CPU quota shortage, answers with the Korean OutOfQuota/cpu card at step 1 of 2', async () => {
  const { say, store } = botHarness({ ids: ['answer-1'] });
  const replies = await say('CPU 할당량이 부족해서 배포가 실패해요');
  assert.equal(replies.length, 1);
  const card = cardOf(replies[0]);
  assert.deepEqual(cardProblems(card), []);
  const texts = cardTexts(card);
  assert.equal(texts[0], 'CPU 할당량');
  assert.ok(texts.includes('2단계 중 1단계'), texts.join(' | '));
  assert.ok(texts.includes('완화할 수 있는 한 가지 방법은 사용되지 않은 배포를 삭제할 수 있는지 확인하는 것입니다.'));
  assert.ok(!texts.includes('또는 할당량 증가 요청을 제출할 수 있습니다.'), 'step 2 is not shown yet');
  assert.deepEqual(
    texts.filter((t) => t.startsWith('[')),
    ['[다음 단계]', '[모든 단계]', '[👍 도움이 됨]', '[👎 도움이 안 됨]', '[English 보기]', '[中文 보기]', '[출처 열기]'],
  );
  // One feedback mechanism: the card's buttons. Teams' own feedback loop is not asked for beside them.
  assert.equal(replies[0].channelData, undefined);
  assert.deepEqual(await store.answers(), [
    { id: 'answer-1', at: '2026-01-02T03:04:05.000Z', channel: 'bot', lang: 'ko', status: 'answered', topicId: 'OutOfQuota/cpu' },
  ]);
});

test("when an English question is asked, answers in English with the source link at the section's anchor on the source page", async () => {
  const { say } = botHarness();
  const card = cardOf((await say('vCPU quota exceeded when I deploy', 'ko-KR'))[0]);
  const texts = cardTexts(card);
  assert.equal(texts[0], 'CPU quota');
  assert.ok(texts.includes('Step 1 of 2'));
  const open = JSON.stringify(card).match(/"type":"Action.OpenUrl","title":"Open the source","url":"([^"]+)"/);
  assert.equal(open?.[1], 'https://learn.microsoft.com/en-us/azure/machine-learning/how-to-troubleshoot-online-endpoints#cpu-quota');
});

test('when a Chinese question is asked, answers in Chinese', async () => {
  const { say } = botHarness();
  const texts = cardTexts(cardOf((await say('CPU 配额不足，部署失败'))[0]));
  assert.equal(texts[0], 'CPU 配额');
  assert.ok(texts.includes('第 1 步，共 2 步'));
  assert.deepEqual(
    texts.filter((t) => t.startsWith('[')),
    ['[下一步]', '[全部步骤]', '[👍 有帮助]', '[👎 没有帮助]', '[用英语显示]', '[用韩语显示]', '[打开来源]'],
  );
});

test('"next", "다음" and "下一步" walk the steps one at a time on the same card, then say it was the last step', async () => {
  const { say, updated } = botHarness();
  const [first] = await say('엔드포인트 호출이 503을 반환해요');
  const [secondReply] = await say('다음');
  assert.deepEqual(updated, [first.id], 'the card is replaced, not followed by a new one');
  const second = cardTexts(cardOf(secondReply));
  assert.ok(second.includes('2단계 중 2단계'), second.join(' | '));
  assert.ok(second.includes('마지막 단계였습니다.'));
  assert.ok(!second.includes('[다음 단계]'));
  // The code, tables and notes that belong to no single step appear with the last step: the replica
  // calculation is a Python snippet, shown as code, not as a command.
  assert.ok(second.includes('코드') && !second.includes('명령'), second.join(' | '));
  const done = await say('next');
  assert.deepEqual(
    done.map((r) => r.text),
    ['이 답변의 마지막 단계였습니다. 도움이 되었나요? 카드에서 평가하거나 다른 질문을 해 주세요.'],
  );

  const zh = botHarness();
  const total = realEngine().answerTopic('HTTP-503', 'zh')!.steps.length;
  await zh.say('评分返回 HTTP 503');
  for (let n = 2; n <= total; n++) assert.ok(cardTexts(cardOf((await zh.say('下一步'))[0])).includes(`第 ${n} 步，共 ${total} 步`), `step ${n}`);
});

test('the "Next step" button walks the same answer without conversation state', async () => {
  const { say } = botHarness({ ids: ['a1'] });
  const first = cardOf((await say('how do I get container logs'))[0]);
  const next = submitData(first).find((d) => d.stepwise === 'next');
  assert.deepEqual(next, { stepwise: 'next', answerId: 'a1', topic: 'ContainerLogs', lang: 'en', step: 1 });
  // Without the card's id (replyToId) there is nothing to replace: the step comes as a new card.
  const other = botHarness();
  const texts = cardTexts(cardOf((await other.say({ value: next }))[0]));
  assert.equal(texts[0], 'Get container logs');
  assert.ok(texts.includes(`Step 2 of ${realEngine().answerTopic('ContainerLogs', 'en')!.steps.length}`));
});

test('"all steps" shows every step numbered, with commands in monospace', async () => {
  const { say } = botHarness();
  await say('如何获取容器日志');
  const card = cardOf((await say('全部步骤'))[0]);
  const texts = cardTexts(card);
  const total = realEngine().answerTopic('ContainerLogs', 'zh')!.steps.length;
  assert.deepEqual(
    texts.filter((t) => /^\d+\.$/.test(t)),
    Array.from({ length: total }, (_, i) => `${i + 1}.`),
  );
  const monospace = JSON.stringify(card).match(/"text":"([^"]*)","fontType":"Monospace"/g) ?? [];
  assert.ok(monospace.length >= 1);
  assert.ok(!texts.includes('[下一步]'));
});

test('a clarify answer offers one button per candidate, and one tap answers with that topic', async () => {
  const { say } = botHarness();
  const card = cardOf((await say('ImageBuildFailure 오류'))[0]);
  assert.deepEqual(cardProblems(card), []);
  const choices = submitData(card);
  assert.deepEqual(
    choices.map((c) => c.topic),
    ['ImageBuildFailure/registry-authorization', 'ImageBuildFailure/vnet-build-compute', 'ImageBuildFailure/timeout', 'ImageBuildFailure/generic'],
  );
  assert.equal(cardTexts(card)[0], '어떤 경우인가요?');
  const answer = cardTexts(cardOf((await say({ value: choices[2] }))[0]));
  assert.equal(answer[0], '이미지 빌드 시간 초과');
});

test('an unanswerable question gets a polite card with rephrasing tips and tappable suggestions', async () => {
  const { say } = botHarness();
  const card = cardOf((await say('今天天气怎么样'))[0]);
  assert.deepEqual(cardProblems(card), []);
  const texts = cardTexts(card);
  assert.equal(texts[0], '没有找到相关主题');
  assert.ok(texts.includes('• 粘贴确切的错误代码，例如 OutOfQuota 或 ImageBuildFailure。'));
  assert.deepEqual(
    submitData(card).map((d) => d.topic),
    ['ImageBuildFailure', 'OutOfQuota', 'ResourceNotReady', 'HTTP-503', 'DeploymentCannotScore'],
  );
});

test('a pasted log line finds its topic', async () => {
  const { say } = botHarness();
  const log = [
    '2026-01-02T03:04:05Z Step 7/9 : RUN conda env create -f conda.yml',
    'Collecting numpy==1.24.0',
    'Installing pip dependencies: ...working...',
    'ERROR: image build failed',
  ].join('\n');
  assert.equal(cardTexts(cardOf((await say(log))[0]))[0], 'Generic image build failure');
});

test('the language buttons re-render the same topic in English and Chinese on the same card, keeping the step, and remember the choice', async () => {
  const { say, updated } = botHarness({ ids: ['answer-1'] });
  const [sent] = await say('CPU 할당량이 부족해서 배포가 실패해요');
  const ko = cardOf(sent);
  const toEn = submitData(ko).find((d) => d.stepwise === 'lang' && d.lang === 'en');
  assert.deepEqual(toEn, { stepwise: 'lang', answerId: 'answer-1', topic: 'OutOfQuota/cpu', lang: 'en', step: 0 });
  const en = cardTexts(cardOf((await say({ value: toEn, replyToId: sent.id }, 'ko-KR'))[0]));
  assert.equal(en[0], 'CPU quota');
  assert.deepEqual(updated, [sent.id]);
  // An English "help" now follows the user's choice rather than the ko-KR locale.
  assert.equal(cardTexts(cardOf((await say('help', 'ko-KR'))[0]))[0], 'How to use Stepwise');
  const toZh = submitData(ko).find((d) => d.stepwise === 'lang' && d.lang === 'zh');
  assert.equal(cardTexts(cardOf((await say({ value: toZh }))[0]))[0], 'CPU 配额');
});

test('a text without words (an error code) is answered in the Teams locale language', async () => {
  const { say } = botHarness();
  assert.equal(cardTexts(cardOf((await say('HTTP 503', 'ko-KR'))[0]))[0], 'HTTP 503 초당 요청 급증 수신');
  const zh = botHarness();
  assert.equal(cardTexts(cardOf((await zh.say('HTTP 503', 'zh-CN'))[0]))[0], '503 每秒请求量大幅增加');
  const none = botHarness();
  assert.equal(cardTexts(cardOf((await none.say('HTTP 503'))[0]))[0], 'HTTP 503: large spikes in requests per second');
});

test('feedback buttons write to the shared feedback store and thank the user in their language', async () => {
  const { say, store } = botHarness({ ids: ['answer-7', 'feedback-1', 'feedback-2'] });
  const card = cardOf((await say('CPU 할당량이 부족해서 배포가 실패해요'))[0]);
  const view = { topic: 'OutOfQuota/cpu', lang: 'ko', step: 0 };
  const [up, down] = submitData(card).filter((d) => d.stepwise === 'feedback' || d.stepwise === 'comment');
  assert.deepEqual(up, { stepwise: 'feedback', answerId: 'answer-7', helpful: true, step: 1, view });
  assert.ok(cardTexts(cardOf((await say({ value: up }))[0])).includes('의견 감사합니다!'));
  // 👎 always offers a comment: the card gets a comment box, and its Send stores the vote with the comment.
  assert.deepEqual(down, { stepwise: 'comment', answerId: 'answer-7', step: 1, view });
  const form = cardOf((await say({ value: down }))[0]);
  assert.ok(cardTexts(form).includes('무엇이 틀렸거나 빠졌나요? (선택 사항)'));
  assert.match(JSON.stringify(form), /"type":"Input.Text","id":"comment"/);
  const send = submitData(form).find((d) => d.stepwise === 'feedback');
  assert.deepEqual(send, { stepwise: 'feedback', answerId: 'answer-7', helpful: false, step: 1, view });
  await say({ value: { ...send, comment: '  할당량 요청 링크가 없어요 ' } });
  assert.deepEqual(await store.feedback(), [
    { id: 'feedback-1', at: '2026-01-02T03:04:05.000Z', channel: 'bot', answerId: 'answer-7', helpful: true, step: 1 },
    { id: 'feedback-2', at: '2026-01-02T03:04:05.000Z', channel: 'bot', answerId: 'answer-7', helpful: false, step: 1, comment: '할당량 요청 링크가 없어요' },
  ]);
});

test("Teams' feedback loop (message/submitAction) reaches the same store with the comment", async () => {
  const { say, store } = botHarness({ ids: ['answer-9', 'feedback-9'] });
  const [answer] = await say('how do I get container logs');
  const replies = await say({
    type: 'invoke',
    name: 'message/submitAction',
    replyToId: answer.id,
    value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: '{"feedbackText":"step 3 fails for me"}' } },
  });
  assert.equal(replies[0].text, 'Thanks for telling me. Try rephrasing the question or pasting the exact error message; the source link has the full article.');
  assert.deepEqual([replies[1].type, replies[1].value], ['invokeResponse', { status: 200, body: {} }]);
  assert.deepEqual(await store.feedback(), [
    { id: 'feedback-9', at: '2026-01-02T03:04:05.000Z', channel: 'bot', answerId: 'answer-9', helpful: false, comment: 'step 3 fails for me' },
  ]);
  const unknown = await say({
    type: 'invoke',
    name: 'message/submitAction',
    replyToId: 'nope',
    value: { actionName: 'feedback', actionValue: { reaction: 'like' } },
  });
  assert.deepEqual(
    unknown.map((r) => r.value),
    [{ status: 400, body: { error: 'stepwise: unknown feedback target' } }],
  );
});

test('in a channel the @mention of the bot is stripped before the question is read', async () => {
  const { say } = botHarness();
  const replies = await say({
    text: '<at>Stepwise</at> CPU 配额不足，部署失败',
    recipient: BOT,
    entities: [{ type: 'mention', mentioned: BOT, text: '<at>Stepwise</at>' }],
    conversation: { id: '19:channel@thread.tacv2', isGroup: true, conversationType: 'channel', name: 'General' },
  });
  assert.equal(cardTexts(cardOf(replies[0]))[0], 'CPU 配额');
});

test('a message without a recipient does not crash mention stripping', async () => {
  const { adapter } = botHarness();
  const { messageText } = await import('../../../src/channels/bot/bot.ts');
  const activity = { type: 'message', text: '<at>Stepwise</at> OutOfQuota', entities: [{ type: 'mention', mentioned: BOT, text: '<at>Stepwise</at>' }] };
  assert.equal(messageText(activity as never), 'OutOfQuota');
  assert.ok(adapter);
});

test('when the bot is added, it welcomes in the locale language; help answers in the typed language', async () => {
  for (const [locale, title] of [
    ['ko-KR', '안녕하세요, Stepwise입니다'],
    ['zh-CN', '你好，我是 Stepwise'],
    ['en-US', "Hi, I'm Stepwise"],
  ] as const) {
    const { say } = botHarness();
    const replies = await say({ type: 'conversationUpdate', recipient: BOT, membersAdded: [BOT], text: undefined }, locale);
    const card = cardOf(replies[0]);
    assert.deepEqual(cardProblems(card), []);
    assert.equal(cardTexts(card)[0], title);
  }
  const user = botHarness();
  assert.deepEqual(await user.say({ type: 'conversationUpdate', recipient: BOT, membersAdded: [{ id: 'someone-else', name: 'Someone' }] }), []);
  assert.equal(cardTexts(cardOf((await user.say('도움말', 'en-US'))[0]))[0], 'Stepwise 사용 방법');
  assert.equal(cardTexts(cardOf((await user.say('帮助'))[0]))[0], '如何使用 Stepwise');
});

test('a welcome example button asks that question', async () => {
  const { say } = botHarness();
  const welcome = cardOf((await say({ type: 'conversationUpdate', recipient: BOT, membersAdded: [BOT] }, 'ko-KR'))[0]);
  const [example] = submitData(welcome);
  assert.deepEqual(example, { stepwise: 'ask', text: '배포할 때 OutOfQuota 오류가 나요', lang: 'ko' });
  assert.equal(cardTexts(cardOf((await say({ value: example }))[0]))[0], '어떤 경우인가요?');
});

test('"next" before any answer says to ask first', async () => {
  const { say } = botHarness();
  assert.equal((await say('다음'))[0].text, '아직 단계별로 볼 답변이 없습니다. 먼저 질문해 주세요.');
});

test('a pasted log longer than 20,000 characters is read whole: the signature on its first line still answers, no cut notice', async () => {
  const { say } = botHarness();
  const filler = Array.from({ length: 400 }, (_, i) => `2026-01-02T03:04:${String(i % 60).padStart(2, '0')}Z build step ${i}: downloading layer`).join('\n');
  const log = `Installing pip dependencies: ...working...\n${filler}`;
  assert.ok(log.length > 20_000);
  const card = cardOf((await say(log))[0]);
  assert.deepEqual(cardProblems(card), []);
  const texts = cardTexts(card);
  assert.equal(texts[0], 'Generic image build failure');
  assert.ok(!texts.includes('Your message was long, so only its first part was read.'));
});

test('a pasted log over the API limit is cut to its head, error lines and tail: the user is told, and the final error is answered', async () => {
  const { say } = botHarness();
  const info = (i: number) => `2026-01-02T03:04:05Z INFO Step ${i}/3000 : RUN pip install -r requirements.txt (cached layer ${i})`;
  const log = [
    'My deployment fails, log below:',
    ...Array.from({ length: 1600 }, (_, i) => info(i)),
    'ERROR: Image build failed: ImageBuildFailure. See https://aka.ms/oe-tsg#error-imagebuildfailure',
  ].join('\n');
  assert.ok(log.length > 150_000);
  const replies = await say(log);
  assert.equal(replies.length, 2);
  assert.equal(replies[0].text, 'Your message was too long, so I read only its first and last lines and the lines that look like errors.');
  assert.equal(cardTexts(cardOf(replies[1]))[0], 'ERROR: ImageBuildFailure');
});

test('a clarify card for a long paste carries at most 2,000 characters of it in each choice, so the card stays small', async () => {
  const { say } = botHarness();
  const card = cardOf((await say(`ImageBuildFailure 오류\n${'빌드 로그 줄입니다\n'.repeat(400)}`))[0]);
  assert.equal(cardTexts(card)[0], '어떤 경우인가요?');
  assert.deepEqual(
    submitData(card).map((d) => (d as { q: string }).q.length),
    [2000, 2000, 2000, 2000],
  );
});

test('when a turn fails, the user is told in their locale language and the error is logged once', async () => {
  const { TestAdapter, MemoryStorage } = await import('botbuilder');
  const { createState, turnErrorHandler } = await import('../../../src/channels/bot/adapter.ts');
  const { StepwiseBot } = await import('../../../src/channels/bot/bot.ts');
  const { i18n } = await import('./helpers.ts');
  const errors: string[] = [];
  const brokenStore = {
    recordAnswer: async () => {
      throw new Error('disk full');
    },
  } as never;
  const bot = new StepwiseBot({ engine: realEngine(), store: brokenStore, i18n, ...createState(new MemoryStorage()) });
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.onTurnError = turnErrorHandler(i18n, { info() {}, warn() {}, error: (_obj, msg) => errors.push(msg ?? '') });
  await adapter.processActivity({ type: 'message', text: 'OutOfQuota', locale: 'zh-CN' });
  assert.deepEqual(
    adapter.activeQueue.splice(0).map((a) => a.text),
    ['抱歉，我这边出了点问题。请重试。'],
  );
  assert.deepEqual(errors, ['bot: turn failed']);
});

test('a message with no text (an image alone) gets the help card in the locale language', async () => {
  const { say } = botHarness();
  const replies = await say({ text: '', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }] }, 'ko-KR');
  assert.equal(cardTexts(cardOf(replies[0]))[0], 'Stepwise 사용 방법');
});
