import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { HOSTILE, MB } from '../bench/hostile-inputs.ts';
import { startServer } from './server.ts';
import { BOT_BODY_LIMIT_BYTES } from '../../src/channels/bot/endpoint.ts';

/** Status → count. */
function histogram(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

test('hostile text, malformed activities and a bot flood against a real server: no 5xx, /healthz keeps answering', async () => {
  const connectorApp = express();
  connectorApp.use(express.json({ limit: '2mb' }));
  connectorApp.post('/v3/conversations/:c/activities{/:r}', (_req, res) => void res.json({ id: 'sent' }));
  const connector = connectorApp.listen(0, '127.0.0.1');
  await new Promise((done) => connector.once('listening', done));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
  const server = await startServer({ STORE: 'memory', BOT_RATE_LIMIT_PER_MINUTE: '100' });

  // /healthz is asked every 20 ms throughout; its longest wait bounds the longest event-loop block.
  const healthz: number[] = [];
  const worstByPhase: Record<string, number> = {};
  let phase = 'hostile text';
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const started = performance.now();
      const res = await fetch(`${server.url}/healthz`);
      const waited = res.status === 200 ? performance.now() - started : Infinity;
      healthz.push(waited);
      worstByPhase[phase] = Math.round(Math.max(worstByPhase[phase] ?? 0, waited));
      await new Promise((done) => setTimeout(done, 20));
    }
  })();

  const message = (conversation: string, text: string) => ({
    type: 'message',
    id: 'm',
    channelId: 'msteams',
    serviceUrl,
    from: { id: 'u' },
    recipient: { id: 'b' },
    conversation: { id: conversation },
    text,
  });
  const postJson = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => (await r.arrayBuffer(), r.status));

  try {
    const api: number[] = [];
    const bot: number[] = [];
    for (const [name, text] of Object.entries(HOSTILE)) {
      // The API takes a 64 KB body: 20,000 characters of each; the bot an activity up to 256 KiB: the longest head that fits.
      api.push(await postJson('/api/v1/ask', { question: text.slice(0, 20_000) }));
      let chars = MB / 4;
      while (Buffer.byteLength(JSON.stringify(message(`hostile-${name}`, text.slice(0, chars)))) > BOT_BODY_LIMIT_BYTES) chars = Math.floor(chars * 0.95);
      bot.push(await postJson('/api/messages', message(`hostile-${name}`, text.slice(0, chars))));
    }
    api.push(await postJson('/api/v1/ask', { question: '\ufdfa'.repeat(20_000) }));
    phase = 'malformed';
    const malformed = await Promise.all([
      postJson('/api/messages', {}),
      postJson('/api/messages', { type: 'bogus', conversation: { id: 'c' }, serviceUrl }),
      postJson('/api/messages', '{"type":'),
      // The server answers 413 from the declared length and closes without reading the body, so a
      // client still sending may see the connection close (EPIPE/ECONNRESET) before it reads the 413.
      postJson('/api/messages', message('c', 'x'.repeat(2 * MB))).catch((error: { cause?: { code?: string } }) => {
        if (error.cause?.code === 'EPIPE' || error.cause?.code === 'ECONNRESET') return 413;
        throw error;
      }),
      postJson('/api/messages', { ...message('c', 'hi'), serviceUrl: 'https://attacker.example' }),
    ]);
    phase = 'flood';
    const flood: number[] = [];
    for (let wave = 0; wave < 10; wave++) {
      flood.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => postJson('/api/messages', message(`flood-${wave}-${i}`, 'OutOfQuota'))))));
    }
    probing = false;
    await probe;
    const after = await fetch(`${server.url}/healthz`);
    server.child.kill('SIGTERM');
    const exit = await server.exited;

    const sorted = healthz.filter(Number.isFinite).sort((a, b) => a - b);
    const figures = {
      api: histogram(api),
      bot: histogram(bot),
      malformed,
      flood: histogram(flood),
      healthzProbes: healthz.length,
      healthzFailed: healthz.filter((w) => !Number.isFinite(w)).length,
      healthzP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      healthzMaxMs: Math.round(sorted.at(-1) ?? 0),
      healthzMaxMsByPhase: worstByPhase,
      exit,
    };
    console.log(`hostile inputs against a real server: ${JSON.stringify(figures)}`);
    for (const status of [...api, ...bot, ...malformed, ...flood]) assert.ok(status < 500, `a ${status}`);
    // Every hostile message fits the bot's limit and is answered.
    assert.ok(
      bot.every((st) => st === 200),
      `bot statuses ${bot.join(' ')}`,
    );
    assert.deepEqual(malformed, [400, 400, 400, 413, 403]);
    // Inputs of only whitespace or newlines are empty questions (422); everything else is answered.
    assert.ok(api.every((s) => s === 200 || s === 422));
    assert.equal(api.filter((s) => s === 200).length, api.length - 2);
    assert.ok(flood.filter((s) => s === 429).length > 0, 'the flood was never limited');
    assert.ok(flood.every((s) => s === 200 || s === 429));
    assert.equal(figures.healthzFailed, 0);
    assert.equal(after.status, 200);
    assert.equal(exit, 0);
  } finally {
    probing = false;
    server.child.kill('SIGKILL');
    connector.close();
  }
});
