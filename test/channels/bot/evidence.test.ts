import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, Evidence, Lang } from '../../../src/engine/types.ts';
import { answerCard, clarifyCard, type AdaptiveCard } from '../../../src/channels/bot/cards.ts';
import { cardProblems, i18n } from './helpers.ts';
import { quotaAnswer, quotaEvidence } from '../../fixtures.ts';

const quota = quotaEvidence;
const answer = (lang: Lang, evidence: Evidence[], extra: Partial<Answer> = {}): Answer =>
  quotaAnswer(lang, evidence, { alternatives: [{ id: 'OutOfQuota/cpu', title: 'CPU' }], notices: ['legacy_topic'], ...extra });

const card = (lang: Lang, evidence: Evidence[]) =>
  answerCard(answer(lang, evidence), i18n.getFixedT(lang, 'bot'), { answerId: 'a', mode: { kind: 'all' }, interactive: true });

/** The card's evidence blocks: RichTextBlocks whose runs are all small and subtle. */
const evidenceBlocks = (c: AdaptiveCard) =>
  (c.body as Array<{ type: string; inlines?: Array<Record<string, unknown>> }>).filter(
    (b) => b.type === 'RichTextBlock' && b.inlines!.every((r) => r.size === 'Small' && r.isSubtle === true),
  );

test('an answer card shows the evidence as one small subtle line under the notices, codes in monospace, in en, ko and zh', () => {
  const expected: Record<Lang, string[]> = {
    en: ['Matched: ', 'QuotaExceeded', ' in your output · “Total Regional Cores quota”'],
    ko: ['근거: 붙여 넣은 출력의 ', 'QuotaExceeded', ' · “Total Regional Cores quota”'],
    zh: ['依据：你粘贴的输出中的 ', 'QuotaExceeded', '；“Total Regional Cores quota”'],
  };
  for (const lang of ['en', 'ko', 'zh'] as const) {
    const c = card(lang, quota);
    assert.deepEqual(cardProblems(c), [], lang);
    const blocks = evidenceBlocks(c);
    assert.equal(blocks.length, 1, lang);
    assert.deepEqual(
      blocks[0].inlines!.map((r) => r.text),
      expected[lang],
    );
    assert.deepEqual(
      blocks[0].inlines!.map((r) => r.fontType ?? null),
      [null, 'Monospace', null],
    );
    // Title, codes, the legacy notice, then the evidence line, then the summary.
    const body = c.body as Array<Record<string, unknown>>;
    assert.equal(body.indexOf(blocks[0]), 3, lang);
    assert.equal(body[2].color, 'Warning');
  }
});

test('a clarify card shows the evidence line under its notices', () => {
  const c = clarifyCard(answer('ko', quota, { status: 'clarify' }), i18n.getFixedT('ko', 'bot'), 'QuotaExceeded');
  assert.deepEqual(cardProblems(c), []);
  assert.deepEqual(
    evidenceBlocks(c).map((b) => b.inlines!.map((r) => r.text).join('')),
    ['근거: 붙여 넣은 출력의 QuotaExceeded · “Total Regional Cores quota”'],
  );
});

test('a card has no evidence line when the answer has no evidence', () => {
  assert.deepEqual(evidenceBlocks(card('en', [])), []);
  assert.equal(JSON.stringify(card('en', [])).includes('Matched'), false);
});

test('evidence text goes into TextRuns as typed, so Markdown and markup in it are not interpreted', () => {
  const c = card('en', [{ kind: 'alias', text: '<script>x</script> [link](https://evil.example) **b**', inOutput: false }]);
  assert.deepEqual(cardProblems(c), []);
  assert.deepEqual(
    evidenceBlocks(c)[0].inlines!.map((r) => r.text),
    ['Matched: “<script>x</script> [link](https://evil.example) **b**”'],
  );
});
