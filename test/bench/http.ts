/**
 * HTTP benchmark: the real server (src/main.ts, file store, logs on) on loopback under autocannon,
 * 50 connections, POST /api/v1/ask with a mix of the eval questions, next to a trivial express
 * route in the same run. Prints req/s and p50/p99 for both and their ratio.
 * Targets: /ask ≥ 50 % of the trivial route's throughput, p99 ≤ 25 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = 3;

/** Built-in mix used when the eval set (test/eval/dev.*.json) is not there. */
const FALLBACK = [
  { q: 'ImageBuildFailure when deploying my model', lang: 'en' },
  { q: 'OutOfQuota CPU 할당량이 부족합니다', lang: 'ko' },
  { q: '部署时出现 OutOfQuota 错误', lang: 'zh' },
  { q: 'scoring returns HTTP 503 Service Unavailable', lang: 'en' },
  { q: 'ResourceNotReady 컨테이너가 계속 크래시합니다', lang: 'ko' },
  { q: 'how do I bake bread', lang: 'en' },
];

function questions(): Array<{ q: string; lang: string }> {
  const out: Array<{ q: string; lang: string }> = [];
  for (const lang of ['en', 'ko', 'zh']) {
    const file = join(root, 'test', 'eval', `dev.${lang}.json`);
    if (!existsSync(file)) continue;
    for (const item of JSON.parse(readFileSync(file, 'utf8')) as Array<{ q: string }>) out.push({ q: item.q, lang });
  }
  // Interleave languages so every connection sees the mix.
  return out.length ? out.sort((a, b) => (a.q.length % 7) - (b.q.length % 7)) : FALLBACK;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('bench: no port'))));
    });
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`bench: server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: ${url} never became ready`);
}

const TRIVIAL = `
import express from 'express';
const app = express();
app.post('/trivial', express.json(), (req, res) => res.json({ ok: true }));
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

function run(url: string, requests: autocannon.Request[], duration: number) {
  return autocannon({ url, connections: CONNECTIONS, duration, requests });
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(name: string, url: string, requests: autocannon.Request[]): Promise<Row> {
  await run(url, requests, WARMUP);
  const r = await run(url, requests, DURATION);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function main(): Promise<void> {
  const mix = questions();
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  const [askPort, trivialPort] = [await freePort(), await freePort()];
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(askPort), HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMIT_MAX: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const trivial = spawn(process.execPath, ['--input-type=module', '-e', TRIVIAL], {
    cwd: root,
    env: { ...process.env, PORT: String(trivialPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${askPort}/readyz`, server);
    await waitFor(`http://127.0.0.1:${trivialPort}/nothing`, trivial).catch(() => undefined);
    const headers = { 'content-type': 'application/json' };
    const askRequests = mix.map(({ q, lang }) => ({ method: 'POST' as const, path: '/api/v1/ask', headers, body: JSON.stringify({ question: q, lang }) }));
    const trivialRequests = mix.map(({ q, lang }) => ({ method: 'POST' as const, path: '/trivial', headers, body: JSON.stringify({ question: q, lang }) }));
    console.log(`bench: ${mix.length} questions, ${CONNECTIONS} connections, ${DURATION}s per route after ${WARMUP}s warm-up`);
    const rows = [
      await measure('trivial express route', `http://127.0.0.1:${trivialPort}`, trivialRequests),
      await measure('POST /api/v1/ask', `http://127.0.0.1:${askPort}`, askRequests),
    ];
    console.table(rows.map((r) => ({ route: r.name, 'req/s': Math.round(r.rps), 'p50 ms': r.p50, 'p99 ms': r.p99, non2xx: r.non2xx, errors: r.errors })));
    const [base, ask] = rows as [Row, Row];
    const ratio = ask.rps / base.rps;
    console.log(`ratio /ask ÷ trivial: ${(ratio * 100).toFixed(1)} % (target ≥ 50 %)   /ask p99: ${ask.p99} ms (target ≤ 25 ms)`);
    const ok = ratio >= 0.5 && ask.p99 <= 25 && ask.non2xx === 0 && ask.errors === 0;
    console.log(ok ? 'bench: targets met' : 'bench: targets MISSED');
    process.exitCode = ok ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
    trivial.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
