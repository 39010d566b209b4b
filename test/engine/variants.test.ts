/**
 * The same question typed as people type it in a chat or an issue: a greeting line first, curly quotes, Windows line
 * breaks, non-breaking spaces, Markdown emphasis, an e-mail's quote marks. Each keeps the answer the plain question
 * gets, for every dev and dev2 question answered right as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadKnowledgeBase, createEngine } from '../../src/engine/index.ts';
import { LANGS, type Lang } from '../../src/engine/types.ts';

const { kb } = loadKnowledgeBase(new URL('../../content', import.meta.url).pathname);
const engine = createEngine(kb);

const GREETINGS: Record<Lang, string> = { en: 'Hi team,', ko: '안녕하세요', zh: '你好' };
const VARIANTS: Record<string, (q: string, lang: Lang) => string> = {
  'a greeting line first': (q, lang) => `${GREETINGS[lang]}\n${q}`,
  'curly quotes': (q) => q.replace(/'/g, '\u2019').replace(/"([^"\n]*)"/g, '\u201c$1\u201d'),
  'Windows line breaks': (q) => q.replace(/\n/g, '\r\n'),
  'non-breaking spaces': (q) => q.replace(/ /g, '\u00a0'),
  'Markdown bold': (q) => `**${q}**`,
  "an e-mail's quote marks": (q) =>
    q.includes('\n')
      ? q
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n')
      : q,
};

/** Dev and dev2 questions of a language that are answered with their expected topic as written. */
function answeredRight(lang: Lang): Array<{ q: string; topic: string }> {
  const out: Array<{ q: string; topic: string }> = [];
  for (const set of ['dev', 'dev2']) {
    const cases: Array<{ q: string; expect?: string | string[] }> = JSON.parse(readFileSync(new URL(`../eval/${set}.${lang}.json`, import.meta.url), 'utf8'));
    for (const c of cases) {
      const want = [c.expect ?? []].flat().filter((x) => x !== 'none');
      const a = engine.ask(c.q);
      if (a.status === 'answered' && a.topic && want.includes(a.topic.id)) out.push({ q: c.q, topic: a.topic.id });
    }
  }
  return out;
}

for (const lang of LANGS) {
  const questions = answeredRight(lang);
  test(`${lang}: a question typed with a greeting line, curly quotes, CRLF, NBSP, bold or quote marks keeps its answer (${questions.length} questions)`, () => {
    assert.ok(questions.length > 100);
    for (const [name, variant] of Object.entries(VARIANTS))
      for (const { q, topic } of questions) {
        const v = variant(q, lang);
        if (v === q) continue;
        const a = engine.ask(v);
        assert.equal(a.status === 'answered' ? a.topic?.id : a.status, topic, `${name}: ${q}`);
      }
  });
}
