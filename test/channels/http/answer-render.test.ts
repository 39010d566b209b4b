import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Answer, Lang } from '../../../src/engine/types.ts';
import { answerKey, createAnswerRenderer } from '../../../src/channels/http/answer-render.ts';
import { apiAnswer } from '../../../src/channels/http/shape.ts';
import { i18n, realEngine } from './helpers.ts';

const content = { hash: 'abc', loadedAt: '2026-12-03T00:00:00.000Z' };

/** The body after the id as `JSON.stringify` of the whole API answer gives it. */
function wholeTail(answer: Answer, markdown: string, html: string): string {
  const full = JSON.stringify({ answer: apiAnswer('', answer, markdown, html, content) });
  return full.slice(full.indexOf('"id":"",') + '"id":"",'.length);
}

const devQuestions = (['en', 'ko', 'zh'] as Lang[]).flatMap((lang) =>
  (JSON.parse(readFileSync(new URL(`../../eval/dev.${lang}.json`, import.meta.url), 'utf8')) as Array<{ q: string }>).map((e) => e.q),
);

describe('answer renderer', () => {
  it('renders every dev question, in every language asked, to the bytes of a fresh rendering and of the whole API answer serialized', () => {
    const engine = realEngine();
    const reusing = createAnswerRenderer(i18n, true);
    const fresh = createAnswerRenderer(i18n, false);
    let answered = 0;
    for (const question of devQuestions) {
      for (const lang of [undefined, 'en', 'ko', 'zh'] as const) {
        const answer = engine.ask(question, { lang });
        if (answer.status === 'answered') answered++;
        const reused = reusing.render(answer, content);
        const made = fresh.render(answer, content);
        assert.equal(reused.markdown, made.markdown);
        assert.equal(reused.html, made.html);
        assert.equal(reused.tail.toString(), made.tail.toString());
        assert.equal(made.tail.toString(), wholeTail(answer, made.markdown, made.html));
      }
    }
    assert.ok(answered > 1000, `${answered} answered: topics are met more than once`);
  });

  it('when a second answer on a topic differs in notices, evidence, related, alternatives and confidence, renders those and reuses the rest', () => {
    const engine = realEngine();
    const reusing = createAnswerRenderer(i18n, true);
    const first = engine.ask('OutOfQuota CPU 할당량이 부족합니다', { lang: 'en' });
    assert.equal(first.status, 'answered');
    reusing.render(first, content);
    const second: Answer = {
      ...first,
      notices: ['input_truncated', ...first.notices],
      evidence: [{ kind: 'code', text: 'QuotaExceeded <b>"x"</b> \u{1F600}', inOutput: true }, ...first.evidence],
      related: [{ id: 'ImageBuildFailure', title: 'Image build <failure>' }],
      alternatives: [{ id: 'ResourceNotReady', title: 'Not ready' }],
      confidence: 0.42,
    };
    const reused = reusing.render(second, content);
    const made = createAnswerRenderer(i18n, false).render(second, content);
    assert.equal(reused.markdown, made.markdown);
    assert.equal(reused.html, made.html);
    assert.equal(reused.tail.toString(), made.tail.toString());
    assert.match(reused.html, /data-notice="input_truncated"/);
    assert.match(reused.markdown, /- Image build/);
  });

  it('keys the reused part on the topic and languages alone (the composer makes it from them), and forgets it on clear', () => {
    const engine = realEngine();
    const reusing = createAnswerRenderer(i18n, true);
    const first = engine.ask('OutOfQuota CPU 할당량이 부족합니다', { lang: 'en' });
    reusing.render(first, content);
    const changed: Answer = { ...first, summary: 'A summary no topic has.' };
    assert.doesNotMatch(reusing.render(changed, content).markdown, /no topic has/);
    assert.match(
      reusing.render({ ...changed, requestedLang: 'ko' }, content).markdown,
      /A summary no topic has\./,
      'another requested language is another key',
    );
    reusing.clear();
    assert.match(reusing.render(changed, content).markdown, /A summary no topic has\./);
    assert.match(createAnswerRenderer(i18n, false).render(changed, content).html, /A summary no topic has\./);
  });
});

describe('answer key', () => {
  it('is equal for two answers exactly when they are equal (every dev question, in every language asked, and its answer with another notice or confidence)', () => {
    const engine = realEngine();
    const byKey = new Map<string, string>();
    const byJson = new Map<string, string>();
    for (const question of devQuestions) {
      for (const lang of [undefined, 'en', 'ko', 'zh'] as const) {
        const answer = engine.ask(question, { lang });
        for (const a of [answer, { ...answer, confidence: 0.01 }, { ...answer, notices: [...answer.notices, 'input_truncated' as const] }]) {
          const key = answerKey(a);
          const json = JSON.stringify(a);
          assert.equal(byKey.get(key) ?? json, json);
          assert.equal(byJson.get(json) ?? key, key);
          byKey.set(key, json);
          byJson.set(json, key);
        }
      }
    }
    assert.ok(byKey.size > 500, `${byKey.size} distinct answers`);
  });
});
