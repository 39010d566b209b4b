import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createLiveContent, type LiveContent } from '../../../src/content/live.ts';
import { contentHash, parseContent } from '../../../src/content/snapshot.ts';
import { workerParser } from '../../../src/content/parse-off-thread.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { assertMatchesOpenApi, makeApp } from './helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ADMIN = 'admin-key-for-reload-tests';
const MARKER = 'Zebraquokka marker sentence.';

/** A copy of the shipped content in a temp folder, to edit. */
function contentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-content-'));
  cpSync(join(root, 'content'), dir, { recursive: true });
  return dir;
}

/** Puts MARKER at the start of the English OutOfQuota summary. */
function editSummary(dir: string): void {
  const file = join(dir, 'en', 'online-endpoints.md');
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/(\{#outofquota\}\n\n)/, `$1${MARKER} `);
  assert.notEqual(edited, text, 'the OutOfQuota heading is where the test expects it');
  writeFileSync(file, edited);
}

/** Appends a second OutOfQuota entry to catalog.yaml; returns the line the duplicate starts on. */
function breakCatalog(dir: string): number {
  const file = join(dir, 'catalog.yaml');
  const text = readFileSync(file, 'utf8');
  const line = text.replace(/\n$/, '').split('\n').length + 1;
  writeFileSync(file, `${text.replace(/\n?$/, '\n')}  - id: OutOfQuota\n    doc: online-endpoints\n`);
  return line;
}

function live(dir: string): LiveContent {
  return createLiveContent({ dir, logger: createLogger('silent') });
}

const askOutOfQuota = (app: Parameters<typeof request>[0]) =>
  request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', lang: 'en', topic: 'OutOfQuota' }).expect(200);

describe('live content reload (POST /api/v1/admin/reload)', () => {
  let dir: string;
  let content: LiveContent;
  let app: ReturnType<typeof makeApp>['app'];

  before(async () => {
    dir = contentCopy();
    content = live(dir);
    ({ app } = makeApp({ engine: content.ready, content, options: { adminKeys: [ADMIN], answerCacheSize: 100 } }));
    await content.ready;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the content version in /readyz, /metrics and every answer', async () => {
    const hash = contentHash(dir);
    const ready = await request(app).get('/readyz').expect(200);
    assert.equal(ready.body.content.hash, hash);
    assertMatchesOpenApi(ready, '/readyz', 'get');
    const ask = await askOutOfQuota(app);
    assert.deepEqual(ask.body.answer.content, ready.body.content);
    assertMatchesOpenApi(ask, '/api/v1/ask', 'post');
    const text = (await request(app).get('/metrics').expect(200)).text;
    assert.match(text, new RegExp(`stepwise_content_loaded_timestamp_seconds\\{hash="${hash}"\\} ${Date.parse(ready.body.content.loadedAt) / 1000}\\n`));
  });

  it('refuses a reload without an admin key', async () => {
    await request(app).post('/api/v1/admin/reload').expect(401);
  });

  it('when a content file is edited, answers from the edited content after a reload (cached answers dropped)', async () => {
    const old = await askOutOfQuota(app);
    assert.ok(!old.body.answer.summary.includes(MARKER));
    editSummary(dir);
    // Nothing changes until the reload: the edited file is not read on the request path.
    assert.ok(!(await askOutOfQuota(app)).body.answer.summary.includes(MARKER));
    const res = await request(app).post('/api/v1/admin/reload').set('x-api-key', ADMIN).expect(200);
    assertMatchesOpenApi(res, '/api/v1/admin/reload', 'post');
    assert.equal(res.body.status, 'reloaded');
    assert.equal(res.body.content.hash, contentHash(dir));
    assert.notEqual(res.body.content.hash, old.body.answer.content.hash);
    const edited = await askOutOfQuota(app);
    assert.ok(edited.body.answer.summary.startsWith(MARKER), edited.body.answer.summary);
    assert.deepEqual(edited.body.answer.content, res.body.content);
    assert.equal((await request(app).get('/readyz').expect(200)).body.content.hash, res.body.content.hash);
    const again = await request(app).post('/api/v1/admin/reload').set('x-api-key', ADMIN).expect(200);
    assert.equal(again.body.status, 'unchanged');
    assert.match(
      (await request(app).get('/metrics')).text,
      /stepwise_content_reloads_total\{result="reloaded"\} 1\n[^]*stepwise_content_reloads_total\{result="unchanged"\} 1\n/,
    );
  });

  it('when a content file is broken, refuses the reload with file and line, and the old answers keep serving', async () => {
    const serving = (await request(app).get('/readyz').expect(200)).body.content;
    const line = breakCatalog(dir);
    const res = await request(app).post('/api/v1/admin/reload').set('x-api-key', ADMIN).expect(422);
    assertMatchesOpenApi(res, '/api/v1/admin/reload', 'post');
    assert.equal(res.body.status, 'refused');
    assert.deepEqual(res.body.content, serving);
    assert.equal(res.body.errors.length, 1);
    const [error] = res.body.errors;
    assert.ok(error.file.endsWith('catalog.yaml'), error.file);
    assert.equal(error.line, line);
    assert.equal(error.message, 'catalog: duplicate topic id "OutOfQuota"');
    const edited = await askOutOfQuota(app);
    assert.ok(edited.body.answer.summary.startsWith(MARKER));
    assert.deepEqual(edited.body.answer.content, serving);
  });
});

describe('live content reload (SIGHUP, spawned server)', () => {
  it('when the server gets SIGHUP after a content edit, /ask answers from the edited content', { timeout: 120_000 }, async () => {
    const dir = contentCopy();
    const data = mkdtempSync(join(tmpdir(), 'stepwise-data-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: dir, DATA_DIR: data, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const waitForLog = (re: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`server exited ${child.exitCode}:\n${out}`));
          setTimeout(check, 20);
        };
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      const port = (await waitForLog(/"port":(\d+)/))[1];
      await waitForLog(/"msg":"ready"/);
      const ask = () =>
        fetch(`http://127.0.0.1:${port}/api/v1/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: 'OutOfQuota', lang: 'en', topic: 'OutOfQuota' }),
        }).then((r) => r.json() as Promise<{ answer: { summary: string; content: { hash: string } } }>);
      const first = await ask();
      assert.ok(!first.answer.summary.includes(MARKER));
      editSummary(dir);
      child.kill('SIGHUP');
      await waitForLog(/"msg":"content reload: reloaded"/);
      const second = await ask();
      assert.ok(second.answer.summary.startsWith(MARKER), second.answer.summary);
      assert.equal(second.answer.content.hash, contentHash(dir));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('reload parsing in a worker thread (compiled)', () => {
  it('the compiled worker parses a folder to the same knowledge base, hash and errors as the main thread does', { timeout: 120_000 }, async () => {
    const { build } = await import('esbuild');
    const out = mkdtempSync(join(tmpdir(), 'stepwise-worker-'));
    const dir = contentCopy();
    try {
      const file = join(out, 'content-worker.mjs');
      // Bundled as `npm run build` bundles it (dependencies in, a require for the CommonJS ones).
      const banner = { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" };
      await build({
        entryPoints: [join(root, 'src/content/parse-worker.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: file,
        banner,
        logLevel: 'silent',
      });
      const parse = workerParser(file);
      assert.deepEqual(await parse(dir), parseContent(dir));
      const line = breakCatalog(dir);
      const broken = await parse(dir);
      assert.deepEqual(
        broken.errors.map((e) => [e.line, e.message]),
        [[line, 'catalog: duplicate topic id "OutOfQuota"']],
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
