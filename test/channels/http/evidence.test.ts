import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Engine, Evidence, Lang } from '../../../src/engine/types.ts';
import { evidencePlain, evidenceRuns, renderHtml, renderMarkdown } from '../../../src/render/index.ts';
import { assertMatchesOpenApi, i18n, makeApp, realEngine } from './helpers.ts';
import { quotaAnswer, quotaEvidence } from '../../fixtures.ts';

const quota = quotaEvidence;
const answer = quotaAnswer;

const line = (lang: Lang, evidence: Evidence[]) => evidencePlain(evidenceRuns(evidence, i18n.getFixedT(lang)));

describe('evidence line wording', () => {
  it('says which code was found in the pasted output and quotes the alias, in English, Korean and Chinese', () => {
    assert.equal(line('en', quota), 'Matched: `QuotaExceeded` in your output · “Total Regional Cores quota”');
    assert.equal(line('ko', quota), '근거: 붙여 넣은 출력의 `QuotaExceeded` · “Total Regional Cores quota”');
    assert.equal(line('zh', quota), '依据：你粘贴的输出中的 `QuotaExceeded`；“Total Regional Cores quota”');
  });

  it('shows a signature as code and a phrase found in the output as a quote with "in your output"', () => {
    const evidence: Evidence[] = [
      { kind: 'signature', text: 'Too many pods', inOutput: false },
      { kind: 'text', text: 'quota, cores', inOutput: true },
    ];
    assert.equal(line('en', evidence), 'Matched: `Too many pods` · “quota, cores” in your output');
    assert.equal(line('ko', evidence), '근거: `Too many pods` · 붙여 넣은 출력의 “quota, cores”');
    assert.equal(line('zh', evidence), '依据：`Too many pods`；你粘贴的输出中的“quota, cores”');
  });

  it('keeps at most three items, each on one line and cut to 80 characters with an ellipsis', () => {
    const long = 'x'.repeat(60) + '\n' + 'y'.repeat(60);
    const evidence: Evidence[] = [
      { kind: 'signature', text: long, inOutput: false },
      { kind: 'code', text: 'A', inOutput: false },
      { kind: 'code', text: 'B', inOutput: false },
      { kind: 'code', text: 'C', inOutput: false },
    ];
    const runs = evidenceRuns(evidence, i18n.getFixedT('en'));
    assert.deepEqual(
      runs.filter((r) => r.code).map((r) => r.text),
      [`${'x'.repeat(60)} ${'y'.repeat(18)}…`, 'A', 'B'],
    );
    assert.equal([...runs[1].text].length, 80);
  });

  it('gives no line for empty evidence or evidence with empty text', () => {
    assert.deepEqual(evidenceRuns([], i18n.getFixedT('en')), []);
    assert.deepEqual(evidenceRuns(undefined, i18n.getFixedT('en')), []);
    assert.deepEqual(evidenceRuns([{ kind: 'signature', text: ' ', inOutput: true }], i18n.getFixedT('en')), []);
  });

  it('never passes the matched text through i18next, so {{…}} and $t(…) in it stay literal', () => {
    assert.equal(line('en', [{ kind: 'alias', text: '{{items}} $t(common:lang.ko)', inOutput: false }]), 'Matched: “{{items}} $t(common:lang.ko)”');
  });
});

describe('evidence in the Markdown and HTML renderings', () => {
  it('puts the line under the title in Markdown, in each language, with codes as code spans', () => {
    const expected: Record<Lang, string> = {
      en: 'Matched: `QuotaExceeded` in your output · “Total Regional Cores quota”',
      ko: '근거: 붙여 넣은 출력의 `QuotaExceeded` · “Total Regional Cores quota”',
      zh: '依据：你粘贴的输出中的 `QuotaExceeded`；“Total Regional Cores quota”',
    };
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const md = renderMarkdown(answer(lang, quota), i18n.getFixedT(lang));
      assert.ok(md.startsWith(`### OutOfQuota\n\n${expected[lang]}\n\nNot enough quota.\n\n`), md);
    }
  });

  it('puts the line under the title in HTML, in each language, as a small paragraph with <code>', () => {
    const expected: Record<Lang, string> = {
      en: 'Matched: <code>QuotaExceeded</code> in your output · “Total Regional Cores quota”',
      ko: '근거: 붙여 넣은 출력의 <code>QuotaExceeded</code> · “Total Regional Cores quota”',
      zh: '依据：你粘贴的输出中的 <code>QuotaExceeded</code>；“Total Regional Cores quota”',
    };
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const html = renderHtml(answer(lang, quota), i18n.getFixedT(lang));
      assert.ok(
        html.includes(
          `<h3 data-topic-id="OutOfQuota">OutOfQuota</h3><p class="stepwise-evidence"><small>${expected[lang]}</small></p><p>Not enough quota.</p>`,
        ),
        html,
      );
    }
  });

  it('shows no evidence line when there is no evidence', () => {
    const t = i18n.getFixedT('en');
    assert.equal(renderMarkdown(answer('en', []), t).includes('Matched'), false);
    assert.equal(renderHtml(answer('en', []), t).includes('stepwise-evidence'), false);
  });

  it('escapes markup in the evidence text: <script> stays text in HTML and Markdown', () => {
    const evil: Evidence[] = [
      { kind: 'signature', text: '<script>alert(1)</script>', inOutput: true },
      { kind: 'alias', text: '<img src=x onerror=alert(1)> *bold* [l](javascript:x)', inOutput: false },
    ];
    const t = i18n.getFixedT('en');
    const html = renderHtml(answer('en', evil), t);
    assert.ok(
      html.includes(
        '<p class="stepwise-evidence"><small>Matched: <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> in your output · “&lt;img src=x onerror=alert(1)&gt; *bold* [l](javascript:x)”</small></p>',
      ),
      html,
    );
    assert.doesNotMatch(html, /<script|<img/);
    const md = renderMarkdown(answer('en', evil), t);
    assert.ok(md.includes('Matched: `<script>alert(1)</script>` in your output · “\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[l\\](javascript:x)”\n'), md);
  });

  it('fences a code span longer than any backtick run in the matched text', () => {
    const md = renderMarkdown(answer('en', [{ kind: 'code', text: 'a`b', inOutput: false }]), i18n.getFixedT('en'));
    assert.ok(md.includes('\n\nMatched: ``a`b``\n\n'), md);
  });
});

describe('evidence in the API', () => {
  /** The real engine, except that ask answers with `evidenceFor(question)` (the engine does not fill evidence everywhere yet). */
  const engineWith = (evidenceFor: (question: string) => Evidence[]): Engine => {
    const real = realEngine();
    return { ...real, ask: (question, options) => ({ ...real.ask('OutOfQuota', { ...options, topic: 'OutOfQuota/cpu' }), evidence: evidenceFor(question) }) };
  };

  it('returns the evidence in the answer JSON and in its markdown and html, matching the OpenAPI schema', async () => {
    const { app } = makeApp({ engine: engineWith(() => quota) });
    const res = await request(app).post('/api/v1/ask').send({ question: 'QuotaExceeded 할당량', lang: 'ko' });
    assert.equal(res.status, 200);
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    assert.deepEqual(res.body.answer.evidence, quota);
    assert.ok(res.body.answer.markdown.includes('\n\n근거: 붙여 넣은 출력의 `QuotaExceeded` · “Total Regional Cores quota”\n\n'), res.body.answer.markdown);
    assert.ok(
      res.body.answer.html.includes(
        '<p class="stepwise-evidence"><small>근거: 붙여 넣은 출력의 <code>QuotaExceeded</code> · “Total Regional Cores quota”</small></p>',
      ),
    );
  });

  it('returns an empty evidence list, and no line, when the engine gives none', async () => {
    const { app } = makeApp({ engine: engineWith(() => []) });
    const res = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', lang: 'en' });
    assertMatchesOpenApi(res, '/api/v1/ask', 'post');
    assert.deepEqual(res.body.answer.evidence, []);
    assert.equal(res.body.answer.html.includes('stepwise-evidence'), false);
  });

  it("does not share one question's evidence with another question of the same topic through the answer cache", async () => {
    const { app } = makeApp({
      engine: engineWith((q) => [{ kind: 'code', text: q.startsWith('QuotaExceeded') ? 'QuotaExceeded' : 'OutOfQuota', inOutput: false }]),
    });
    const ask = (question: string) => request(app).post('/api/v1/ask').send({ question, lang: 'en' });
    const first = await ask('QuotaExceeded on deploy');
    const second = await ask('OutOfQuota on deploy');
    const again = await ask('QuotaExceeded on deploy');
    assert.equal(first.body.answer.topic.id, second.body.answer.topic.id);
    assert.deepEqual(
      [first, second, again].map((r) => r.body.answer.evidence[0].text),
      ['QuotaExceeded', 'OutOfQuota', 'QuotaExceeded'],
    );
    assert.ok(second.body.answer.markdown.includes('Matched: `OutOfQuota`\n'));
  });
});
