/**
 * Hostile inputs, timed: every text entry point on 1 MB adversarial input (regex backtracking, NFKC
 * expansion, HTML stripping), then a real server under those requests (bot messages as large as the bot accepts), measuring how long /healthz
 * waits meanwhile and the server's own event-loop delay (perf_hooks.monitorEventLoopDelay, preloaded by
 * loop-delay.mjs: max and p99 per load). Prints numbers and the load average (a loaded machine stretches them);
 * the target is 50 ms for any one step. A load whose loop max passes 50 ms is run again per request class.
 * Run: npm run bench:hostile   (--unit-only, --server-only)
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createEngine, loadKnowledgeBase } from '../../src/engine/index.ts';
import { prepareQuestion } from '../../src/engine/text/normalize.ts';
import { parseIntent, plainText, textLang } from '../../src/channels/bot/intent.ts';
import { messageText } from '../../src/channels/bot/bot.ts';
import { fitPaste } from '../../src/channels/paste.ts';
import { startServer, type RunningServer } from '../faults/server.ts';
import type { Activity } from 'botbuilder';
import { BOT_BODY_LIMIT_BYTES } from '../../src/channels/bot/endpoint.ts';
import { HOSTILE } from './hostile-inputs.ts';

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function unitTable(): void {
  const engine = createEngine(loadKnowledgeBase('content').kb);
  const rows: Array<Record<string, string>> = [];
  for (const [name, text] of Object.entries(HOSTILE)) {
    const activity = {
      type: 'message',
      text,
      recipient: { id: 'bot' },
      entities: [{ type: 'mention', mentioned: { id: 'bot' }, text: '<at>Stepwise</at>' }],
    } as unknown as Activity;
    // Each step gets what it gets in the bot: the message text, then the paste fitted to the API's 64 KB.
    const read = messageText({ ...activity });
    const fitted = fitPaste(read).text;
    const row = {
      input: name,
      plainText: time(() => plainText(text)),
      messageText: time(() => messageText({ ...activity })),
      parseIntent: time(() => parseIntent(read)),
      fitPaste: time(() => fitPaste(read)),
      'textLang (fitted)': time(() => textLang(fitted, () => 'en')),
      'prepareQuestion (1 MB)': time(() => prepareQuestion(text)),
      'engine.ask (fitted)': time(() => engine.ask(fitted, { lang: 'en' })),
    };
    rows.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? v.toFixed(1) : v])));
  }
  console.log('\nms per call on 1 MB of each input, each step on what it gets in the bot (one run, warm engine):');
  console.table(rows);
}

/** Milliseconds each /healthz waited while `load` ran. */
async function healthzDuring(url: string, load: () => Promise<unknown>): Promise<number[]> {
  const waits: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      // A failed probe counts as an infinite wait (shown as Infinity), not a crash of the bench.
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      waits.push(ok ? performance.now() - started : Infinity);
      await new Promise((done) => setTimeout(done, 5));
    }
  })();
  await load();
  running = false;
  await probe;
  return waits;
}

/** The server's event-loop delay since the previous call (see loop-delay.mjs): SIGUSR2, then its answer line. */
async function loopDelay(server: RunningServer): Promise<{ max: number; p99: number }> {
  const seen = server.logs.length;
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 200; i++) {
    const line = server.logs.slice(seen).find((l) => l.loopDelay);
    if (line) return line.loopDelay as { max: number; p99: number };
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error('the server did not report its event-loop delay (is loop-delay.mjs preloaded?)');
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function serverTable(): Promise<void> {
  const started = load();
  const connectorApp = express();
  connectorApp.use(express.json({ limit: '2mb' }));
  connectorApp.post('/v3/conversations/:c/activities{/:r}', (_req, res) => void res.json({ id: 'sent' }));
  const connector = connectorApp.listen(0, '127.0.0.1');
  await new Promise((done) => connector.once('listening', done));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
  const preload = fileURLToPath(new URL('./loop-delay.mjs', import.meta.url));
  const server = await startServer({
    STORE: 'memory',
    BOT_RATE_LIMIT_PER_MINUTE: '0',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
  });
  const rows: Array<Record<string, string | number>> = [];
  try {
    // The bot loads on its first activity and the engine warms on its first questions: not what is measured.
    const warm = {
      type: 'conversationUpdate',
      id: 'w',
      channelId: 'msteams',
      serviceUrl,
      from: { id: 'u' },
      recipient: { id: 'b' },
      conversation: { id: 'warm' },
    };
    await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(warm) });
    for (const question of ['OutOfQuota', 'HTTP 503', 'x'.repeat(20_000)]) {
      await fetch(`${server.url}/api/v1/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    }
    await loopDelay(server);
    const baseline = await healthzDuring(server.url, () => new Promise((done) => setTimeout(done, 500)));
    const idle = await loopDelay(server);
    rows.push({
      load: 'idle',
      requests: 0,
      statuses: '',
      'healthz p50 ms': pct(baseline, 50).toFixed(1),
      'healthz max ms': Math.max(...baseline).toFixed(1),
      'loop max ms': idle.max,
      'loop p99 ms': idle.p99,
    });
    // The API reads a 64 KB body; the bot takes activities up to BOT_BODY_LIMIT_BYTES (256 KiB), so each bot message
    // carries the longest head of the input that fits (JSON escapes and UTF-8 make some inputs 2–6 bytes a character).
    const apiCut = (text: string) => text.slice(0, 20_000);
    const activityOf = (i: number, text: string) => ({
      type: 'message',
      id: `m${i}`,
      channelId: 'msteams',
      serviceUrl,
      from: { id: 'u' },
      recipient: { id: 'b' },
      conversation: { id: `c${i}` },
      text,
    });
    const botCut = (text: string) => {
      let chars = text.length;
      while (Buffer.byteLength(JSON.stringify(activityOf(1, text.slice(0, chars)))) > BOT_BODY_LIMIT_BYTES) chars = Math.floor(chars * 0.95);
      return text.slice(0, chars);
    };
    const asks = (text: string, count: (status: number) => void) =>
      Array.from({ length: 4 }, (_, i) =>
        fetch(`${server.url}/api/v1/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: apiCut(text) + i }),
        }).then((r) => count(r.status)),
      );
    // `text` is already cut (botCut): cutting while /healthz is probed would block this process, not the server.
    const botMessages = (text: string, count: (status: number) => void) =>
      Array.from({ length: 2 }, (_, i) =>
        fetch(`${server.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activityOf(i, text)),
        }).then(
          (r) => count(r.status),
          () => count(0),
        ),
      );
    const measure = async (label: string, requests: number, run: (count: (status: number) => void) => Array<Promise<unknown>>) => {
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
      await loopDelay(server);
      const waits = await healthzDuring(server.url, () => Promise.all(run(count)));
      const delay = await loopDelay(server);
      rows.push({
        load: label,
        requests,
        statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
        'healthz p50 ms': pct(waits, 50).toFixed(1),
        'healthz max ms': Math.max(...waits).toFixed(1),
        'loop max ms': delay.max,
        'loop p99 ms': delay.p99,
      });
      return delay;
    };
    for (const [name, text] of Object.entries(HOSTILE)) {
      const botText = botCut(text);
      const mixed = await measure(`4 asks + 2 bot messages: ${name}`, 6, (count) => [...asks(text, count), ...botMessages(botText, count)]);
      if (mixed.max <= 50) continue;
      // Which request class blocks: each alone.
      await measure(`  4 asks alone: ${name}`, 4, (count) => asks(text, count));
      await measure(`  2 bot messages alone: ${name}`, 2, (count) => botMessages(botText, count));
    }
  } catch (err) {
    console.error('server run failed:', err, 'server exit:', await Promise.race([server.exited, Promise.resolve('still running')]));
    console.error(server.logs.slice(-5));
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    connector.close();
  }
  console.log("\n/healthz wait and the server's event-loop delay (monitorEventLoopDelay, 1 ms resolution) while hostile requests run against a real server:");
  console.table(rows);
  console.log(`load average (1/5/15 min): ${started} at the start, ${load()} at the end; ${cpus().length} cores`);
}

if (!process.argv.includes('--server-only')) unitTable();
if (!process.argv.includes('--unit-only')) await serverTable();
