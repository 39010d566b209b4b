/** The shipped knowledge base as a reader gets it: typography, no editors' notes, references that are links. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { loadKnowledgeBase, createEngine } from '../../src/engine/index.ts';
import { LANGS, type Answer, type Section } from '../../src/engine/types.ts';
import { renderHtml, renderMarkdown } from '../../src/render/index.ts';
import { createI18n } from '../../src/i18n.ts';

const contentDir = new URL('../../content', import.meta.url).pathname;
const { kb } = loadKnowledgeBase(contentDir);
const engine = createEngine(kb);

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
/** ASCII , ; : ? ! right after Chinese, or , ; right before it; ( ) around or after Chinese. */
const ASCII_IN_CHINESE = new RegExp(`[${HAN}][,;:?!]|[,;]\\s*[${HAN}]|[${HAN}]\\(|\\([^()]*[${HAN}][^()]*\\)`);

/** Every piece of prose a section shows: paragraphs, causes, steps, notes, table cells. */
function prose(s: Section): string[] {
  return [s.title, ...s.paragraphs, ...s.causes, ...s.steps.map((st) => st.text), ...s.notes, ...s.tables.flatMap((t) => [...t.header, ...t.rows.flat()])];
}

/** Markdown with what is not prose removed: front matter, code, link targets, URLs, comments, anchors. */
function markdownProse(text: string): string[] {
  return text
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^\s*(?:>\s*)*(`{3,})[^\n]*\n[\s\S]*?\n\s*(?:>\s*)*\1\s*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/`[^`\n]+`/g, 'CODE')
    .replace(/\]\([^)\s]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/\{#[\w-]+\}/g, '')
    .split('\n');
}

test('Chinese prose uses full-width punctuation, in the content files and in what the engine shows', () => {
  for (const name of readdirSync(`${contentDir}/zh`).filter((n) => n.endsWith('.md'))) {
    const bad = markdownProse(readFileSync(`${contentDir}/zh/${name}`, 'utf8')).filter((line) => ASCII_IN_CHINESE.test(line));
    assert.deepEqual(bad, [], `content/zh/${name}`);
  }
  const shown = kb.sections.filter((s) => s.lang === 'zh').flatMap((s) => prose(s).map((text) => ({ id: s.id, text })));
  assert.ok(
    shown.some((p) => p.text.includes('，')),
    'zh text keeps its full-width commas (no NFKC on display text)',
  );
  assert.deepEqual(
    shown.filter((p) => ASCII_IN_CHINESE.test(p.text)),
    [],
  );
});

test('Chinese answer labels put a space between Chinese and Latin words or use Chinese names', () => {
  const zh = JSON.parse(readFileSync(new URL('../../locales/zh/common.json', import.meta.url), 'utf8')) as {
    answer: Record<string, unknown>;
    lang: Record<string, string>;
  };
  const labels = Object.values(zh.answer).filter((v): v is string => typeof v === 'string');
  assert.deepEqual(
    labels.filter((l) => new RegExp(`[${HAN}][A-Za-z]|[A-Za-z][${HAN}]`).test(l) || ASCII_IN_CHINESE.test(l)),
    [],
  );
  assert.deepEqual(zh.lang, { en: '英语', ko: '韩语', zh: '中文' });
});

/** Words editors use about the text itself: where it came from, how the source printed it. */
const EDITORIAL =
  /source page|original page|revision|scraped|translated (?:by|from)|Stepwise team|원본 (?:페이지|문서)|개정판|번역했습니다|ko-kr 페이지|zh-cn 페이지|抓取|原始页面|译自|修订版|Stepwise 团队/i;

test('no editorial note reaches an answer or an article, in any language', () => {
  for (const topic of kb.topics) {
    for (const lang of LANGS) {
      const a = engine.ask(topic.id, { lang, topic: topic.id });
      const shown: Partial<Answer> = { ...a, source: undefined, evidence: [] };
      assert.doesNotMatch(JSON.stringify(shown), EDITORIAL, `${topic.id} (${lang})`);
      const article = engine.article(topic.id, lang);
      assert.doesNotMatch(article?.markdown ?? '', /<!--|\[!NOTE\]\s*\n>\s*(?:The source page|원본|原始页面)/, `${topic.id} (${lang}) article`);
    }
  }
});

test("every answer's source link points at the section's anchor on the original page", () => {
  for (const topic of kb.topics) {
    for (const lang of LANGS) {
      const url = engine.ask(topic.id, { lang, topic: topic.id }).source?.url ?? '';
      assert.match(url, /^https:\/\/(?:learn\.microsoft\.com|docs\.azure\.cn)\/[^#]+#[a-z0-9-]+$/, `${topic.id} (${lang}): ${url}`);
    }
  }
  assert.equal(
    engine.ask('x', { lang: 'ko', topic: 'OutOfQuota/cpu' }).source?.url,
    'https://learn.microsoft.com/ko-kr/azure/machine-learning/how-to-troubleshoot-online-endpoints#cpu-quota',
  );
  assert.equal(
    engine.ask('x', { lang: 'zh', topic: 'v1/DockerLogs' }).source?.url,
    'https://learn.microsoft.com/zh-cn/azure/machine-learning/how-to-troubleshoot-deployment#dockerlog',
  );
});

test('a reference to another section is a link, and in an answer a link to that topic', () => {
  // The Markdown never says "see section X" without linking it.
  const unlinked = /(?:see|참조|请参阅|参阅)[^.。\n]*?(?:"[^"]+"\s*섹션|“[^”]+”\s*部分|the "[^"]+" section)/i;
  for (const lang of LANGS) {
    for (const name of readdirSync(`${contentDir}/${lang}`).filter((n) => n.endsWith('.md'))) {
      const bad = readFileSync(`${contentDir}/${lang}/${name}`, 'utf8')
        .split('\n')
        .filter((line) => unlinked.test(line));
      assert.deepEqual(bad, [], `content/${lang}/${name}`);
    }
  }
  // Each in-document link of a topic's own text leads to a topic in the answer.
  const ko = engine.ask('x', { lang: 'ko', topic: 'ResourceNotReady' });
  assert.deepEqual(ko.links, [
    { text: '로컬로 배포', topic: 'LocalDeployment' },
    { text: '유추 HTTP 서버에 대한 FAQ', topic: 'InferenceServer/flask2-register' },
  ]);
  assert.ok(ko.steps.some((s) => s.text.includes('로컬로 배포')));
  // Rendered, the reference is a link to that topic's page (HTML and Markdown) on every language's answer.
  const i18n = createI18n(new URL('../../locales', import.meta.url).pathname);
  assert.ok(renderHtml(ko, i18n.getFixedT('ko')).includes('<a href="/kb/ko/LocalDeployment" data-topic-id="LocalDeployment">로컬로 배포</a>해 보세요'));
  const zh = engine.ask('x', { lang: 'zh', topic: 'ResourceNotReady' });
  assert.ok(renderMarkdown(zh, i18n.getFixedT('zh')).includes('请尝试[在本地部署](/kb/zh/LocalDeployment)'), renderMarkdown(zh, i18n.getFixedT('zh')));
  const zh401 = engine.ask('x', { lang: 'zh', topic: 'HTTP-401' });
  assert.ok(zh401.steps.length >= 2 && zh401.links.every((l) => l.href?.startsWith('https://docs.azure.cn/zh-cn/machine-learning/')), JSON.stringify(zh401));
});

test('steps are actions: no cause sentence, no ".;" joins, no file descriptions among ResourceNotReady and batch/Logs steps', () => {
  for (const lang of LANGS) {
    const rnr = engine.ask('x', { lang, topic: 'ResourceNotReady' });
    assert.equal(rnr.causes.length, 4, lang);
    assert.ok(!rnr.steps.some((s) => /\.;|;\s*$/.test(s.text)), lang);
    const logs = engine.ask('x', { lang, topic: 'batch/Logs' });
    assert.ok(!logs.steps.some((s) => s.text.includes('~/logs/')), `${lang}: ${logs.steps.map((s) => s.text).join(' | ')}`);
    assert.ok(
      logs.tables.some((t) => t.rows.some((r) => r[0] === '~/logs/user/error.txt')),
      lang,
    );
    // The logging snippet is code to put in the scoring script, not a command.
    assert.deepEqual(
      logs.code.map((c) => c.kind),
      ['code'],
    );
    assert.ok(
      logs.commands.every((c) => c.startsWith('az ')),
      logs.commands.join(' | '),
    );
  }
  const ko = engine.ask('x', { lang: 'ko', topic: 'ResourceNotReady' });
  assert.ok(ko.causes.includes('준비 상태 또는 활동성 프로브가 올바르게 설정되지 않았습니다.'));
});

test('tracebacks and example output are never commands', () => {
  for (const topic of kb.topics) {
    for (const lang of LANGS) {
      const a = engine.ask(topic.id, { lang, topic: topic.id });
      for (const c of a.commands) assert.doesNotMatch(c, /^(?:Traceback|ImportError|TypeError|\{"|import |from |def )/m, `${topic.id} (${lang}): ${c}`);
    }
  }
});
