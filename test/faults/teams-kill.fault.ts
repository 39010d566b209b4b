/**
 * kill -9 while Teams replies wait in the outbox: the connector hangs, so every question answered 202 has its reply
 * committed there; the server is killed, the connector comes back, and the next server process on the same DATA_DIR
 * (which loads the bot at start because replies are waiting) delivers every acknowledged reply, to its conversation,
 * still as a reply to the user's message.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, startServer } from './store-harness.ts';

it('delivers every acknowledged Teams reply after the server is killed with SIGKILL while the connector was down', async () => {
  // The connector: hangs while `down` (never answers), else records each reply by conversation and answers it.
  let down = true;
  const replies: Array<{ conversation: string; replyTo?: string }> = [];
  const connector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (down) return;
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (!m) return void res.writeHead(404).end();
      replies.push({ conversation: decodeURIComponent(m[1]), ...(m[2] ? { replyTo: decodeURIComponent(m[2]) } : {}) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${replies.length}` }));
    });
  });
  connector.requestTimeout = 0;
  connector.headersTimeout = 0;
  await new Promise<void>((done) => connector.listen(0, '127.0.0.1', () => done()));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as { port: number }).port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-teams-kill-'));
  const env = { DATA_DIR: dataDir, STORE: 'sqlite', BOT_RATE_LIMIT_PER_MINUTE: '0', BOT_CONNECTOR_TIMEOUT_MS: '300', BOT_DELIVERY_BACKOFF_MS: '500' };
  const message = (n: number) => ({
    type: 'message',
    id: `incoming-${n}`,
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    from: { id: `user-${n}` },
    recipient: { id: 'bot' },
    conversation: { id: `conv-${n}` },
    text: `Deployment ${n} failed: OutOfQuota, not enough CPU quota`,
  });
  try {
    const a = await startServer(env);
    const statuses = await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        fetch(`${a.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message(n)) }).then(
          (r) => r.status,
        ),
      ),
    );
    const acknowledged = statuses.flatMap((s, n) => (s === 202 ? [`conv-${n}`] : []));
    await a.stop('SIGKILL');
    down = false;

    const b = await startServer(env);
    // Bounded wait: a retry claimed by the killed server is due again once its lease (15 s) has passed.
    for (let i = 0; i < 800 && acknowledged.some((c) => !replies.some((r) => r.conversation === c)); i++) await sleep(50);
    await b.stop('SIGTERM');

    const missing = acknowledged.filter((c) => !replies.some((r) => r.conversation === c));
    const twice = acknowledged.filter((c) => replies.filter((r) => r.conversation === c).length > 1).length;
    console.log(
      `teams kill -9: statuses ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}; ` +
        `${acknowledged.length} replies acknowledged as queued, ${acknowledged.length - missing.length} delivered by the next process (${twice} twice), ${missing.length} lost`,
    );
    assert.deepEqual(
      statuses.filter((s) => s >= 500),
      [],
    );
    assert.ok(acknowledged.length >= 20, `only ${acknowledged.length} of 24 acknowledged`);
    assert.deepEqual(missing, []);
    // Each still answers the user's message.
    for (const r of replies) assert.equal(r.replyTo, `incoming-${r.conversation.slice('conv-'.length)}`);
  } finally {
    connector.closeAllConnections();
    connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
