import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDocument, loadKnowledgeBase } from '../../src/engine/ingest/load.ts';
import { parseCatalog } from '../../src/engine/ingest/catalog.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('a Microsoft Learn-style page becomes clean sections: anchors from <a name>, steps with their commands, notes, tables, links', () => {
  const { meta, sections, errors } = loadDocument(fixture('learn-style.md'), 'content/ko/example.md', 'ko', 'example');
  assert.deepEqual(errors, []);
  assert.equal(meta?.lang, 'ko');
  assert.equal(meta?.doc, 'example');
  assert.deepEqual(
    sections.map((s) => [s.anchor, s.depth, s.title, s.line]),
    [
      ['troubleshooting', 1, '배포 문제 해결', 7],
      ['image-build', 2, '이미지 빌드 실패', 11],
    ],
  );
  const s = sections[1];
  assert.deepEqual(s.path, ['배포 문제 해결', '이미지 빌드 실패']);
  assert.equal(s.parentAnchor, 'troubleshooting');
  assert.deepEqual(s.paragraphs, ['이미지 빌드가 실패하면 image_build_log_uri를 확인합니다.', '자세한 내용은 문서와 위를 참조하세요.']);
  // A Python line inside a step is code the step uses, not a shell command.
  assert.deepEqual(s.steps, [
    { text: '로그를 가져옵니다.', code: { kind: 'code', lang: 'python', text: 'print(image.image_build_log_uri)' } },
    { text: '실패한 단계를 고칩니다.' },
  ]);
  assert.deepEqual(s.notes, ['로그는 az ml online-deployment get-logs로도 볼 수 있습니다.']);
  assert.deepEqual(s.commands, ['print(image.image_build_log_uri)', 'az ml online-deployment get-logs']);
  assert.deepEqual(s.tables, [{ header: ['상태', '의미'], rows: [['503', '자동 크기 조정']] }]);
  assert.deepEqual(s.links, [
    { text: '문서', href: 'https://learn.microsoft.com/x' },
    { text: '위', href: '#troubleshooting' },
  ]);
  assert.ok(!s.markdown.includes(':::code'), 'directives are not indexed as noise');
});

test('heading titles keep underscores of code names and drop Markdown emphasis', async () => {
  const { parseHeading } = await import('../../src/engine/ingest/markdown.ts');
  assert.deepEqual(parseHeading('Function fails: `get_model_path()` {#v1-getmodelpath}'), {
    title: 'Function fails: get_model_path()',
    anchor: 'v1-getmodelpath',
  });
  assert.deepEqual(parseHeading('<a name="x"></a>**Bold** run\\_x'), { title: 'Bold run_x', anchor: 'x' });
});

test('{#anchor} headings keep the same anchor whatever the language of the title', () => {
  const doc = (lang: string, title: string) =>
    `---\ntitle: t\ndoc: d\nlang: ${lang}\nsource: https://x\nlicense: CC BY 4.0\nattribution: a\narea: online-endpoints\n---\n## ${title} {#outofquota}\n\ntext\n`;
  const ko = loadDocument(doc('ko', 'OutOfQuota 오류'), 'ko.md', 'ko', 'd');
  const zh = loadDocument(doc('zh', 'OutOfQuota 错误'), 'zh.md', 'zh', 'd');
  assert.equal(ko.sections[0].anchor, 'outofquota');
  assert.equal(zh.sections[0].anchor, 'outofquota');
  assert.equal(zh.sections[0].title, 'OutOfQuota 错误');
});

test('content errors name the file and line: bad front matter, duplicate anchor, broken link, unknown language', () => {
  const bad = loadDocument('---\ntitle: [unclosed\n---\n# x\n', 'content/en/bad.md', 'en', 'bad');
  assert.equal(bad.errors[0].file, 'content/en/bad.md');
  assert.equal(bad.errors[0].line, 1);
  assert.match(bad.errors[0].message, /^front matter: /);

  const head = '---\ntitle: t\ndoc: d\nlang: en\nsource: https://x\nlicense: CC BY 4.0\nattribution: a\narea: x\n---\n';
  const dup = loadDocument(`${head}## A {#a}\n\n## B {#a}\n\nsee [there](#nowhere)\n`, 'content/en/dup.md', 'en', 'dup');
  assert.deepEqual(dup.errors, [
    { file: 'content/en/dup.md', line: 12, message: 'duplicate anchor "a" (first at line 10)' },
    { file: 'content/en/dup.md', line: 12, message: 'broken internal link "#nowhere" in section "a"' },
  ]);

  const lang = loadDocument(head.replace('lang: en', 'lang: fr'), 'content/en/fr.md', 'en', 'fr');
  assert.deepEqual(lang.errors, [{ file: 'content/en/fr.md', line: 1, message: 'front matter: unknown language "fr" (expected en, ko or zh)' }]);
});

test('validate reports every problem at once: unknown language folder, catalog topic without a section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-content-'));
  mkdirSync(join(dir, 'en'));
  mkdirSync(join(dir, 'fr'));
  writeFileSync(
    join(dir, 'en', 'd.md'),
    '---\ntitle: t\ndoc: d\nlang: en\nsource: https://x\nlicense: CC BY 4.0\nattribution: a\narea: x\n---\n## A {#a}\n\ntext\n',
  );
  writeFileSync(join(dir, 'catalog.yaml'), 'topics:\n  - id: A\n    doc: d\n  - id: Missing\n    doc: d\n');
  const { kb, errors } = loadKnowledgeBase(dir);
  assert.equal(kb.topics.length, 2);
  assert.deepEqual(
    errors.map((e) => e.message),
    ['unknown language folder "fr" (expected en, ko, zh)', 'catalog: topic "Missing" has no section "missing" in document "d"'],
  );
});

test("product families come from the catalog: a topic has its document's family, v1 is legacy, a namespace is not a parent; an unlisted document or unknown family is reported", () => {
  const catalog = [
    'families: { on: online, old: v1, odd: nightly }',
    'topics:',
    '  - id: Crash',
    '    doc: on',
    '    popular: true',
    '  - id: Crash/oom',
    '    doc: on',
    '  - id: v1/Crash',
    '    doc: old',
    '  - id: batch/Crash',
    '    doc: elsewhere',
  ].join('\n');
  const { topics, errors } = parseCatalog(catalog, 'catalog.yaml');
  const by = new Map(topics.map((t) => [t.id, t]));
  assert.deepEqual([by.get('Crash')!.family, by.get('v1/Crash')!.family, by.get('v1/Crash')!.legacy, by.get('Crash')!.legacy], ['online', 'v1', true, false]);
  assert.equal(by.get('Crash/oom')!.parent, 'Crash');
  assert.equal(by.get('v1/Crash')!.parent, undefined);
  assert.deepEqual(
    topics.filter((t) => t.popular).map((t) => t.id),
    ['Crash'],
  );
  assert.deepEqual(
    errors.map((e) => e.message),
    [
      'catalog: document "odd" has unknown family "nightly" (online, batch, v1)',
      'catalog: topic "batch/Crash" is in document "elsewhere", which "families" does not list',
    ],
  );
});

test('the shipped content validates with every topic in en, ko and zh', () => {
  const { kb, errors } = loadKnowledgeBase(new URL('../../content', import.meta.url).pathname);
  assert.deepEqual(errors, []);
  const have = new Set(kb.sections.map((s) => `${s.doc}|${s.lang}|${s.anchor}`));
  const missing = kb.topics.flatMap((t) => (['en', 'ko', 'zh'] as const).filter((l) => !have.has(`${t.doc}|${l}|${t.anchor}`)).map((l) => `${t.id}@${l}`));
  assert.deepEqual(missing, []);
});

test('a list of links to sub-sections is navigation: neither steps nor, with its intro line, paragraphs', () => {
  const md =
    '---\ntitle: t\ndoc: d\nlang: en\nsource: https://x\nlicense: CC BY 4.0\nattribution: a\narea: x\n---\n' +
    '## OutOfQuota {#outofquota}\n\nThe deployment ran out of quota.\n\nThe following resources can run out:\n\n- [CPU](#cpu)\n- [Disk](#disk)\n\n### CPU {#cpu}\n\nx\n\n### Disk {#disk}\n\ny\n';
  const { sections, errors } = loadDocument(md, 'en/d.md', 'en', 'd');
  assert.deepEqual(errors, []);
  assert.deepEqual(sections[0].paragraphs, ['The deployment ran out of quota.']);
  assert.deepEqual(sections[0].steps, []);
  assert.deepEqual(
    sections[0].links.map((l) => l.href),
    ['#cpu', '#disk'],
  );
});

const page = (body: string) =>
  `---\ntitle: t\ndoc: d\nlang: en\nsource: https://learn.microsoft.com/x\nlicense: CC BY 4.0\nattribution: a\narea: online-endpoints\n---\n${body}`;

test('a bullet list after <!-- causes --> is the causes, and the numbered list after it the steps', () => {
  const { sections, errors } = loadDocument(
    page(
      '## ResourceNotReady {#resourcenotready}\n\nThe container crashed.\n\n<!-- causes -->\n- A probe is not set correctly.\n- A dependency is missing.\n\n1. Get the logs.\n2. Adjust the probe settings.\n',
    ),
    'en.md',
    'en',
    'd',
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(sections[0].causes, ['A probe is not set correctly.', 'A dependency is missing.']);
  assert.deepEqual(
    sections[0].steps.map((s) => s.text),
    ['Get the logs.', 'Adjust the probe settings.'],
  );
  assert.deepEqual(sections[0].paragraphs, ['The container crashed.']);
});

test('a causes marker that is not followed by a list is a content error with its line', () => {
  const { errors } = loadDocument(page('## A {#a}\n\n<!-- causes -->\nNot a list.\n'), 'content/en/d.md', 'en', 'd');
  assert.deepEqual(errors, [{ file: 'content/en/d.md', line: 13, message: '<!-- causes --> must stand right before a bullet list' }]);
});

test('fenced blocks are classified by info string, untagged ones by content: shell is a command, python/json code, text output', async () => {
  const { classifyCode } = await import('../../src/engine/ingest/markdown.ts');
  assert.deepEqual(classifyCode('azurecli', 'az ml online-deployment get-logs -e e -n d\n'), {
    kind: 'command',
    lang: 'azurecli',
    text: 'az ml online-deployment get-logs -e e -n d',
  });
  assert.deepEqual(classifyCode('bash', 'kubectl get pods'), { kind: 'command', lang: 'bash', text: 'kubectl get pods' });
  assert.deepEqual(classifyCode('python', 'import logging'), { kind: 'code', lang: 'python', text: 'import logging' });
  assert.deepEqual(classifyCode('json', '{}'), { kind: 'code', lang: 'json', text: '{}' });
  assert.deepEqual(classifyCode('text', 'Traceback (most recent call last):'), { kind: 'output', lang: 'text', text: 'Traceback (most recent call last):' });
  assert.deepEqual(classifyCode('', 'az account show'), { kind: 'command', lang: '', text: 'az account show' });
  assert.deepEqual(classifyCode(undefined, 'ImportError: cannot import name'), { kind: 'output', lang: '', text: 'ImportError: cannot import name' });
});

test('nested items are folded into their step without ".;" between sentences', () => {
  const { sections } = loadDocument(
    page('## A {#a}\n\n- Check score.py:\n  - A package is missing.\n  - A syntax error\n  - init() fails\n'),
    'en.md',
    'en',
    'd',
  );
  assert.equal(sections[0].steps[0].text, 'Check score.py: A package is missing. A syntax error; init() fails');
});

test("HTML comments are editors' notes: never in a section's text", () => {
  const { sections } = loadDocument(page('## A {#a}\n\n<!-- Translated from zh-cn by the Stepwise team. -->\n\nThe text.\n'), 'en.md', 'en', 'd');
  assert.deepEqual(sections[0].paragraphs, ['The text.']);
  assert.deepEqual(sections[0].notes, []);
});

test('sourceAnchors in front matter must map anchors to anchor names', () => {
  const bad = loadDocument(page('## A {#a}\n').replace('area:', 'sourceAnchors: { a: "x y" }\narea:'), 'content/en/d.md', 'en', 'd');
  assert.deepEqual(bad.errors, [
    { file: 'content/en/d.md', line: 1, message: 'front matter: "sourceAnchors" must map anchors to anchor names (letters, digits, -, _, .)' },
  ]);
  const good = loadDocument(page('## A {#a}\n').replace('area:', 'sourceAnchors: { A: error-a }\narea:'), 'content/en/d.md', 'en', 'd');
  assert.deepEqual(good.meta?.sourceAnchors, { a: 'error-a' });
});
