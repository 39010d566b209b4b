import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createEngine, loadKnowledgeBase } from '../../../src/engine/index.ts';
import { createSqliteStore, type Store } from '../../../src/store/index.ts';
import { createReader } from '../../../src/support/reader.ts';
import { groupGaps, normalizeStatement, signatureOf } from '../../../src/support/gaps.ts';
import { createAdminMount } from '../../../src/channels/admin/index.ts';
import { PAGE_CSP } from '../../../src/channels/widget/index.ts';
import { i18n, makeApp } from './helpers.ts';

const kb = loadKnowledgeBase(fileURLToPath(new URL('../../../content', import.meta.url))).kb;
const engine = createEngine(kb);
const reader = createReader(kb.topics);
const ADMIN = 'admin-key-dashboard';
const NOW = new Date('2026-03-10T12:00:00.000Z');

/** Three spellings of one unknown error line (ko, en, ko), two of another, and a plain question. */
const GAP_QUESTIONS: Array<[string, 'en' | 'ko' | 'zh', string]> = [
  ['g1', 'ko', '배포 후 점수 매기기가 안 돼요\nFrobnicatorError: widget 17 refused by gateway "eu-west"'],
  ['g2', 'en', 'scoring stopped working\nFrobnicatorError: widget 4 refused by gateway "us-east"'],
  ['g3', 'ko', '도와주세요\nFrobnicatorError: widget 230 refused by gateway "kr-central"'],
  ['g4', 'zh', '部署失败\nQuuxError: lease 99 expired before renewal'],
  ['g5', 'en', 'it broke\nQuuxError: lease 12 expired before renewal'],
];

async function seed(store: Store) {
  for (const [i, [id, lang, question]] of GAP_QUESTIONS.entries()) {
    await store.recordAnswer({ id, at: `2026-03-0${i + 1}T09:00:00.000Z`, channel: 'widget', lang, status: 'not_found', question });
  }
  for (let d = 1; d <= 9; d++) {
    for (let k = 0; k < d; k++)
      await store.recordAnswer({
        id: `a${d}-${k}`,
        at: `2026-03-0${d}T10:00:00.000Z`,
        channel: 'http',
        lang: (['en', 'ko', 'zh'] as const)[k % 3],
        status: k % 4 === 3 ? 'clarify' : 'answered',
        topicId: k % 2 ? 'OutOfQuota' : 'ImageBuildFailure',
      });
  }
  await store.addFeedback({ id: 'f1', at: '2026-03-05T10:00:00.000Z', channel: 'widget', answerId: 'a5-0', helpful: false });
  await store.addFeedback({ id: 'f2', at: '2026-03-05T10:00:00.000Z', channel: 'widget', answerId: 'a5-1', helpful: true });
  await store.createTicket({
    id: 't1',
    tokenHash: 'b'.repeat(64),
    at: '2026-03-04T10:00:00.000Z',
    updatedAt: '2026-03-04T10:00:00.000Z',
    status: 'open',
    channel: 'widget',
    lang: 'ko',
    question: '엔드포인트가 느려요',
    statements: [],
    codes: [],
  });
  await store.actOnTicket('t1', { kind: 'resolve', expert: 'lee', answer: 'Scale out.', at: '2026-03-04T13:00:00.000Z' });
}

describe('the admin dashboard', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-admin-'));
    store = createSqliteStore(join(dir, 'stepwise.db'));
    await seed(store);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const app = () =>
    makeApp({
      store,
      options: { adminKeys: [ADMIN] },
      mounts: [createAdminMount({ store, engine: () => engine, reader: () => reader, adminKeys: [ADMIN], i18n, now: () => NOW })],
    }).app;

  it('shows a sign-in form (401) without the admin key, and signs in with it into an HttpOnly cookie that is not the key', async () => {
    const a = app();
    const anon = await request(a).get('/admin?lang=ko');
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['content-security-policy'], PAGE_CSP);
    assert.match(anon.text, /<form method="post" action="\/admin\/login\?lang=ko">/);
    assert.match(anon.text, /관리자 키/);
    const wrong = await request(a).post('/admin/login').type('form').send({ key: 'nope' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /That key is not an admin key\./);
    const login = await request(a).post('/admin/login?lang=en').type('form').send({ key: ADMIN });
    assert.equal(login.status, 303);
    const cookie = String(login.headers['set-cookie']);
    assert.match(cookie, /^stepwise_admin=[0-9a-f]{64}; Path=\/admin; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes(ADMIN));
    const page = await request(a).get('/admin').set('cookie', cookie.split(';')[0]);
    assert.equal(page.status, 200);
  });

  it('renders the charts as inline SVG with data, under the strict CSP: no script, no inline style', async () => {
    const res = await request(app()).get('/admin?days=30&lang=en').set('x-api-key', ADMIN);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-security-policy'], PAGE_CSP);
    assert.doesNotMatch(res.text, /<script|\sstyle=|javascript:/i);
    assert.equal((res.text.match(/<svg class="chart"/g) ?? []).length, 6);
    // Questions per day by language: 2026-03-09 had 9 answers (3 per language).
    assert.match(res.text, /<rect class="s-en"[^>]*><title>2026-03-09 · English: 3<\/title>/);
    assert.match(res.text, /<title>2026-03-01 · not found: 1<\/title>/);
    assert.match(res.text, /<rect class="s-down"[^>]*><title>ERROR: ImageBuildFailure · Not helpful: 1<\/title>/);
    assert.match(res.text, /<rect class="s-up"[^>]*><title>ERROR: OutOfQuota · Helpful: 1<\/title>/);
    assert.match(res.text, /<title>2026-03-04 · opened: 1<\/title>/);
    assert.match(res.text, /<title>1–4 h · Resolved tickets: 1<\/title>/);
    assert.match(res.text, /Median time to resolve<\/span><span class="v">3 h</);
  });

  it('groups unanswered questions by their error line, not one row per spelling, with languages, examples and a catalog snippet', async () => {
    const res = await request(app()).get('/admin?lang=en').set('x-api-key', ADMIN);
    const first = res.text.indexOf('id="gap-1"');
    assert.ok(first > 0);
    const gap1 = res.text.slice(first, res.text.indexOf('</article>', first));
    assert.match(gap1, /Error line<\/span> <code>FrobnicatorError: widget 230 refused by gateway &quot;kr-central&quot;<\/code>/);
    assert.match(gap1, /<strong>3 questions<\/strong> · Languages: 한국어 2 · English 1/);
    assert.equal((gap1.match(/<li lang=/g) ?? []).length, 3);
    const gap2 = res.text.slice(res.text.indexOf('id="gap-2"'));
    assert.match(
      gap2,
      /Error line<\/span> <code>QuuxError: lease 12 expired before renewal<\/code>[\s\S]*<strong>2 questions<\/strong> · Languages: English 1 · 中文 1/,
    );
    assert.match(res.text, /From gap to content/);
    assert.match(res.text, /# 3 unanswered \(ko 2, en 1\): FrobnicatorError/);
  });

  it('proposes a signature from the recurring line when the engine almost chose a topic, and says so when no section covers it', () => {
    const groups = groupGaps(
      [
        {
          answerId: 'x1',
          at: '2026-03-02T00:00:00.000Z',
          lang: 'en',
          question: 'endpoint deploy failed\nImageBuildFailure-ish: conda env 3 could not solve "numpy"',
        },
        {
          answerId: 'x2',
          at: '2026-03-01T00:00:00.000Z',
          lang: 'en',
          question: 'endpoint deploy failed\nImageBuildFailure-ish: conda env 7 could not solve "scipy"',
        },
      ],
      [],
      reader,
      engine,
    );
    assert.equal(groups.length, 1);
    assert.equal(groups[0].count, 2);
    const s = groups[0].suggestion;
    if (s.kind === 'signature')
      assert.match(
        s.yaml,
        /^# 2 unanswered \(en 2\): .*\n# nearest topic: \S+ \(\d of 2 sampled\); if it does not fit, write a new section instead\n {2}- id: \S+\n {4}signatures:\n {6}- "ImageBuildFailure-ish: conda env"$/,
      );
    else assert.equal(s.kind, 'none');
    const lonely = groupGaps([{ answerId: 'y', at: '2026-03-01T00:00:00.000Z', lang: 'en', question: 'x\nZorbError: 1' }], [], reader, undefined);
    assert.deepEqual(lonely[0].suggestion, {
      kind: 'none',
      yaml: '# 1 unanswered (en 1): ZorbError: 1\n# No section covers this: write one in content/en/ and add its topic to catalog.yaml with this error line as a signature.',
    });
  });

  it('normalizes error lines and cuts signatures in linear time on hostile input', () => {
    assert.equal(normalizeStatement('Error: pod 7f3c9a1e-0b2d-4c5e-8f9a-1b2c3d4e5f60 at /var/lib/x.py line 42 "x"'), 'error: pod # at /… line # …');
    assert.equal(signatureOf("ModuleNotFoundError: No module named 'xgboost'"), 'ModuleNotFoundError: No module named');
    for (const hostile of ['/a'.repeat(50_000), `'${'a'.repeat(100_000)}`, '1.'.repeat(50_000), '"'.repeat(100_000)]) {
      const started = performance.now();
      normalizeStatement(hostile);
      signatureOf(hostile);
      assert.ok(performance.now() - started < 200, `slow on ${hostile.slice(0, 10)}…`);
    }
  });
});
