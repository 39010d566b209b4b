import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localeLang, parseIntent, plainText, textLang } from '../../../src/channels/bot/intent.ts';
import { parseCardAction, parseFeedbackLoop } from '../../../src/channels/bot/actions.ts';
import { realEngine } from './helpers.ts';

const detect = (s: string) => realEngine().detectLang(s);

test('step commands are recognised in English, Korean and Chinese; only the non-English ones carry a language', () => {
  assert.deepEqual(parseIntent('next'), { kind: 'next' });
  assert.deepEqual(parseIntent('  Next step. '), { kind: 'next' });
  assert.deepEqual(parseIntent('다음'), { kind: 'next', lang: 'ko' });
  assert.deepEqual(parseIntent('下一步'), { kind: 'next', lang: 'zh' });
  assert.deepEqual(parseIntent('all steps'), { kind: 'all' });
  assert.deepEqual(parseIntent('모든 단계'), { kind: 'all', lang: 'ko' });
  assert.deepEqual(parseIntent('全部步骤'), { kind: 'all', lang: 'zh' });
  assert.deepEqual(parseIntent('help'), { kind: 'help' });
  assert.deepEqual(parseIntent('?'), { kind: 'help' });
  assert.deepEqual(parseIntent('도움말'), { kind: 'help', lang: 'ko' });
  assert.deepEqual(parseIntent('帮助'), { kind: 'help', lang: 'zh' });
  assert.deepEqual(parseIntent('next time the deployment fails'), { kind: 'question', text: 'next time the deployment fails' });
});

test('the text language wins when the text has one; codes and numbers alone have none', () => {
  assert.equal(textLang('배포가 실패해요', detect), 'ko');
  assert.equal(textLang('部署失败', detect), 'zh');
  assert.equal(textLang('my deployment failed', detect), 'en');
  assert.equal(textLang('OutOfQuota', detect), undefined);
  assert.equal(textLang('HTTP 503', detect), undefined);
  assert.equal(localeLang('ko-KR'), 'ko');
  assert.equal(localeLang('zh-CN'), 'zh');
  assert.equal(localeLang('zh-TW'), 'zh');
  assert.equal(localeLang('en_US'), 'en');
  assert.equal(localeLang('fr-FR'), undefined);
  assert.equal(localeLang(undefined), undefined);
});

test('rich Teams message HTML is reduced to the text the user pasted', () => {
  assert.equal(plainText('<p>Error:</p><pre>Installing pip dependencies: ...working...</pre>'), 'Error:\nInstalling pip dependencies: ...working...');
  assert.equal(plainText('a &lt;endpoint-name&gt; &amp; b'), 'a <endpoint-name> & b');
  assert.equal(plainText('get-logs -e <endpoint-name>'), 'get-logs -e <endpoint-name>');
  assert.equal(plainText('<p>get-logs -e &lt;endpoint-name&gt;</p>'), 'get-logs -e <endpoint-name>');
  assert.equal(plainText('no markup at all'), 'no markup at all');
  // Teams' placeholder for a card the message carries is not text the user wrote.
  assert.equal(plainText('<attachment id="1700000000000"></attachment>'), '');
});

test('card action data is accepted only in the shapes the cards send', () => {
  assert.deepEqual(parseCardAction({ stepwise: 'next', answerId: 'a', topic: 'HTTP-503', lang: 'ko', step: 1 }), {
    stepwise: 'next',
    answerId: 'a',
    topic: 'HTTP-503',
    lang: 'ko',
    step: 1,
  });
  assert.equal(parseCardAction({ stepwise: 'next', answerId: 'a', topic: 'HTTP-503', lang: 'fr', step: 1 }), undefined);
  assert.equal(parseCardAction({ stepwise: 'next', answerId: 'a', topic: 'HTTP-503', lang: 'ko', step: -1 }), undefined);
  assert.equal(parseCardAction({ stepwise: 'feedback', answerId: 'a', helpful: 'yes' }), undefined);
  // Cards sent before buttons carried their view still parse: `all` at step 0, `lang` without an answer.
  assert.deepEqual(parseCardAction({ stepwise: 'all', answerId: 'a', topic: 'HTTP-503', lang: 'ko' }), {
    stepwise: 'all',
    answerId: 'a',
    topic: 'HTTP-503',
    lang: 'ko',
    step: 0,
    all: true,
  });
  assert.deepEqual(parseCardAction({ stepwise: 'lang', topic: 'HTTP-503', lang: 'zh' }), { stepwise: 'lang', topic: 'HTTP-503', lang: 'zh', step: 0 });
  // The comment box's text comes merged into the Send button's data; a feedback view must be whole.
  const view = { topic: 'HTTP-503', lang: 'en', step: 2 };
  assert.deepEqual(parseCardAction({ stepwise: 'feedback', answerId: 'a', helpful: false, step: 3, view, comment: '  too short ' }), {
    stepwise: 'feedback',
    answerId: 'a',
    helpful: false,
    step: 3,
    view,
    comment: 'too short',
  });
  assert.equal(parseCardAction({ stepwise: 'comment', answerId: 'a', view: { ...view, lang: 'fr' } }), undefined);
  assert.deepEqual(parseCardAction({ stepwise: 'feedback', answerId: 'a', helpful: false, step: 0 }), { stepwise: 'feedback', answerId: 'a', helpful: false });
  assert.equal(parseCardAction({ other: 'bot' }), undefined);
  assert.equal(parseCardAction('next'), undefined);
  assert.deepEqual(parseFeedbackLoop({ actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":" great "}' } }), {
    helpful: true,
    comment: 'great',
  });
  assert.deepEqual(parseFeedbackLoop({ actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: 'plain words' } }), {
    helpful: false,
    comment: 'plain words',
  });
  assert.deepEqual(parseFeedbackLoop({ actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":""}' } }), { helpful: true });
  assert.equal(parseFeedbackLoop({ actionName: 'feedback', actionValue: { reaction: 'meh' } }), undefined);
});

test('a tag with an attribute is undone; an unclosed "<p " repeated 100,000 times is read in linear time and left as text', () => {
  assert.equal(plainText('<p class="x">Error:</p><span style="color:red">ImageBuildFailure</span>'), 'Error:\nImageBuildFailure');
  // Each "<p " used to scan to the end of the text for a closing ">": about 15 s for this input.
  const unclosed = '<p '.repeat(100_000);
  assert.equal(plainText(unclosed) === unclosed, true);
  assert.equal(plainText(`${unclosed}<p>done</p>`) === `${unclosed}done`.trim(), true);
});

test('a message of 200,000 spaces or punctuation marks between two letters is classified in linear time', () => {
  // The trailing-punctuation trim used to retry at every character of the run: over 20 s for the second input.
  for (const text of [`x${' '.repeat(200_000)}x`, `x${'.!'.repeat(100_000)}x`, `next${'.'.repeat(200_000)}`]) {
    assert.equal(parseIntent(text).kind, text.startsWith('next') ? 'next' : 'question');
  }
  assert.deepEqual(parseIntent(' ...next step!! '), { kind: 'next' });
});

test('a message longer than any command is a question, kept as it is', () => {
  const log = '<p '.repeat(350_000);
  assert.deepEqual(parseIntent(log), { kind: 'question', text: log });
  assert.deepEqual(parseIntent(`NEXT ${' '.repeat(100)}`), { kind: 'next' });
  assert.equal(parseIntent(`next ${'x'.repeat(100)}`).kind, 'question');
});
