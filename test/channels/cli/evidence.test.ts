import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Answer, Evidence, Lang } from '../../../src/engine/types.ts';
import { renderTerminal } from '../../../src/channels/cli/render.ts';
import { createI18n, translator } from '../../../src/i18n.ts';
import { quotaAnswer, quotaEvidence } from '../../fixtures.ts';

const i18n = createI18n(fileURLToPath(new URL('../../../locales', import.meta.url)));

const quota = quotaEvidence;
const answer = (lang: Lang, evidence: Evidence[], extra: Partial<Answer> = {}): Answer => quotaAnswer(lang, evidence, { steps: [], ...extra });

test('stepwise ask prints the evidence as one line under the title, in en, ko and zh', () => {
  const expected: Record<Lang, string> = {
    en: 'Matched: `QuotaExceeded` in your output · “Total Regional Cores quota”',
    ko: '근거: 붙여 넣은 출력의 `QuotaExceeded` · “Total Regional Cores quota”',
    zh: '依据：你粘贴的输出中的 `QuotaExceeded`；“Total Regional Cores quota”',
  };
  for (const lang of ['en', 'ko', 'zh'] as const) {
    const text = renderTerminal(answer(lang, quota), translator(i18n, lang), false);
    assert.equal(text, `OutOfQuota  [OutOfQuota]\n${expected[lang]}\n\nNot enough quota.`);
  }
});

test('the evidence line is dim on a terminal', () => {
  const text = renderTerminal(answer('en', quota), translator(i18n, 'en'), true);
  assert.equal(text.split('\n')[1], '\x1b[2mMatched: `QuotaExceeded` in your output · “Total Regional Cores quota”\x1b[22m');
});

test('stepwise ask prints no evidence line when there is no evidence', () => {
  assert.equal(renderTerminal(answer('en', []), translator(i18n, 'en'), false), 'OutOfQuota  [OutOfQuota]\n\nNot enough quota.');
});
