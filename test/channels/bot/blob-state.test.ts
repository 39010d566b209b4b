import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { createStorage, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { botHarness, cardOf, cardTexts, realEngine } from './helpers.ts';

// Azurite's well-known development account (public, documented by Microsoft; not a secret).
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const azuriteBin = fileURLToPath(new URL('../../../node_modules/.bin/azurite-blob', import.meta.url));

let azurite: ChildProcess | undefined;
let workspace = '';
let connectionString = '';
let stopping = false;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`azurite did not answer at ${url} within ${ms} ms: ${String(error)}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'stepwise-azurite-'));
  const port = await freePort();
  azurite = spawn(
    azuriteBin,
    ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', workspace, '--disableTelemetry', '--silent', '--skipApiVersionCheck'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  azurite.stderr!.on('data', (chunk) => (stderr += chunk));
  azurite.once('exit', (code, signal) => {
    if (!stopping) console.error(`azurite exited early (${code ?? signal}): ${stderr}`);
  });
  const endpoint = `http://127.0.0.1:${port}/devstoreaccount1`;
  await waitForHttp(endpoint, 20_000);
  connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=${endpoint};`;
});

after(async () => {
  if (azurite && azurite.exitCode === null) {
    const exited = new Promise((done) => azurite!.once('exit', done));
    stopping = true;
    azurite.kill();
    await exited;
  }
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('with a blob connection string configured, state goes to Azure Blob Storage', () => {
  const config = parseBotConfig({ BOT_STATE_BLOB_CONNECTION_STRING: connectionString, BOT_STATE_BLOB_CONTAINER: 'bot-state-a' });
  assert.ok(createStorage(config) instanceof BlobsStorage);
  assert.equal(createStorage(parseBotConfig({})).constructor.name, 'MemoryStorage');
});

test('two bot instances sharing Blob Storage (Azurite) serve one conversation: the step walk continues on the other instance', async () => {
  const config = parseBotConfig({ BOT_STATE_BLOB_CONNECTION_STRING: connectionString, BOT_STATE_BLOB_CONTAINER: 'stepwise-shared' });
  const first = botHarness({ storage: createStorage(config), ids: ['answer-1'] });
  const second = botHarness({ storage: createStorage(config) });

  const total = realEngine().ask('', { lang: 'zh', topic: 'ContainerLogs' }).steps.length;
  assert.ok(total >= 3, `ContainerLogs has ${total} steps`);
  const [sent] = await first.say('如何获取容器日志');
  const started = cardTexts(cardOf(sent));
  assert.equal(started[0], '获取容器日志');
  assert.ok(started.includes(`第 1 步，共 ${total} 步`));

  const continued = cardTexts(cardOf((await second.say('下一步'))[0]));
  assert.ok(continued.includes(`第 2 步，共 ${total} 步`), continued.join(' | '));
  const third = cardTexts(cardOf((await first.say('next'))[0]));
  assert.ok(third.includes(`第 3 步，共 ${total} 步`), third.join(' | '));
  // Both instances replaced the first card: the activity id came through the shared state.
  assert.deepEqual([...second.updated, ...first.updated], [sent.id, sent.id]);

  // A third client reads the stored conversation state straight from the container.
  const reader = new BlobsStorage(connectionString, 'stepwise-shared');
  const key = 'msteams/conversations/Convo1';
  const stored = (await reader.read([key]))[key] as { stepwise: { answers: unknown; lang: string } };
  assert.deepEqual(stored.stepwise.answers, [{ answerId: 'answer-1', activityId: sent.id, lang: 'zh', topic: 'ContainerLogs', step: 2 }]);
  assert.equal(stored.stepwise.lang, 'zh');
});
