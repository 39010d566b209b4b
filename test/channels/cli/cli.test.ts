import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C', NO_COLOR: '1', ...env },
  });

test('stepwise ask prints the Korean answer with numbered steps when asked in Korean', () => {
  const r = run(['ask', '배포할 때 이미지 빌드가 Installing pip dependencies 에서 멈춰요']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^ 1\. /m);
  assert.match(r.stdout, /출처: /);
});

test('stepwise ask --json prints the Answer and --lang picks the language', () => {
  const r = run(['ask', '--json', '--lang', 'zh', 'OutOfQuota']);
  const answer = JSON.parse(r.stdout);
  assert.equal(answer.topic.id, 'OutOfQuota');
  assert.equal(answer.lang, 'zh');
});

test('stepwise ask exits 3 for an off-topic question and 2 for an unknown language', () => {
  assert.equal(run(['ask', 'recipe for chocolate chip cookies']).status, 3);
  const bad = run(['ask', '--lang', 'fr', 'x']);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr.trim(), 'stepwise: unknown language "fr" (expected en, ko or zh)');
});

test('stepwise validate passes on the shipped content and fails with file:line on broken content', () => {
  const ok = run(['validate']);
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /97 topics × 3 languages, 0 missing/);

  const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-'));
  mkdirSync(join(dir, 'en'));
  writeFileSync(
    join(dir, 'en', 'd.md'),
    '---\ntitle: t\ndoc: d\nlang: en\nsource: https://x\nlicense: CC BY 4.0\nattribution: a\narea: x\n---\n## A {#a}\n\n## B {#a}\n',
  );
  writeFileSync(join(dir, 'catalog.yaml'), 'topics:\n  - id: A\n    doc: d\n');
  const bad = run(['validate', '--content', dir]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^A\s+✓\s+✗\s+✗/m);
  assert.match(bad.stderr, /d\.md:12 duplicate anchor "a" \(first at line 10\)/);
});

test('stepwise insights --suggest prints a catalog snippet per group of unanswered questions in the configured store', async () => {
  const { createSqliteStore } = await import('../../../src/store/index.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-cli-suggest-'));
  const store = createSqliteStore(join(dataDir, 'stepwise.db'));
  const questions = ['배포 실패\nZorbleError: quota 3 exhausted on "a"', 'deploy broke\nZorbleError: quota 17 exhausted on "b"'];
  for (const [i, question] of questions.entries()) {
    await store.recordAnswer({ id: `q${i}`, at: new Date().toISOString(), channel: 'http', lang: i ? 'en' : 'ko', status: 'not_found', question });
  }
  await store.close();
  const r = run(['insights', '--suggest'], { DATA_DIR: dataDir, STORE: 'sqlite', DATABASE_URL: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# 2 unanswered \((ko 1, en 1|en 1, ko 1)\): ZorbleError: quota/m);
  const json = JSON.parse(run(['insights', '--suggest', '--json'], { DATA_DIR: dataDir, STORE: 'sqlite', DATABASE_URL: '' }).stdout);
  assert.equal(json[0].count, 2);
  assert.equal(json[0].kind, 'statement');
});
