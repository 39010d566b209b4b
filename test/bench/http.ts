/**
 * HTTP benchmark: the real server (src/main.ts, file store, logs on) on loopback under autocannon,
 * 50 connections, POST /api/v1/ask with a mix of the eval questions, next to a trivial express
 * route in the same run. /ask is measured twice: with the answer cache (default ANSWER_CACHE_SIZE;
 * the warm-up sends every question of the mix once, so after it every question is a hit) and without it (ANSWER_CACHE_SIZE=0: every
 * request runs the engine, renders). Prints req/s and p50/p99 for the three and the ratios.
 * Targets, for both /ask runs: ≥ 50 % of the trivial route's throughput, p99 ≤ 25 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchCluster } from './cluster.ts';

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
  // Every connection starts at the top of the mix, so a timed warm-up alone reaches only its first part:
  // send each question once first, so that with the cache every question of the mix is a hit.
  await autocannon({ url, connections: 1, amount: requests.length, requests });
  await run(url, requests, WARMUP);
  const r = await run(url, requests, DURATION);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

function startServer(port: number, dataDir: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMIT_MAX: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

async function main(): Promise<void> {
  const mix = questions();
  const dataDirs = [mkdtempSync(join(tmpdir(), 'stepwise-bench-')), mkdtempSync(join(tmpdir(), 'stepwise-bench-'))] as const;
  const [cachedPort, uncachedPort, trivialPort] = [await freePort(), await freePort(), await freePort()];
  const cached = startServer(cachedPort, dataDirs[0]);
  const uncached = startServer(uncachedPort, dataDirs[1], { ANSWER_CACHE_SIZE: '0' });
  const trivial = spawn(process.execPath, ['--input-type=module', '-e', TRIVIAL], {
    cwd: root,
    env: { ...process.env, PORT: String(trivialPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${cachedPort}/readyz`, cached);
    await waitFor(`http://127.0.0.1:${uncachedPort}/readyz`, uncached);
    await waitFor(`http://127.0.0.1:${trivialPort}/nothing`, trivial).catch(() => undefined);
    const headers = { 'content-type': 'application/json' };
    const bodies = mix.map(({ q, lang }) => JSON.stringify({ question: q, lang }));
    const askRequests = bodies.map((body) => ({ method: 'POST' as const, path: '/api/v1/ask', headers, body }));
    const trivialRequests = bodies.map((body) => ({ method: 'POST' as const, path: '/trivial', headers, body }));
    console.log(`bench: ${mix.length} questions, ${CONNECTIONS} connections, ${DURATION}s per route after ${WARMUP}s warm-up, ${availableParallelism()} CPUs`);
    const base = await measure('trivial express route', `http://127.0.0.1:${trivialPort}`, trivialRequests);
    const asks = [
      await measure('POST /api/v1/ask, cached', `http://127.0.0.1:${cachedPort}`, askRequests),
      await measure('POST /api/v1/ask, uncached (ANSWER_CACHE_SIZE=0)', `http://127.0.0.1:${uncachedPort}`, askRequests),
    ];
    console.table(
      [base, ...asks].map((r) => ({
        route: r.name,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        '÷ trivial': `${((r.rps / base.rps) * 100).toFixed(1)} %`,
        non2xx: r.non2xx,
        errors: r.errors,
      })),
    );
    const [hot, cold] = asks as [Row, Row];
    console.log(`ratio cached ÷ uncached /ask: ${(hot.rps / cold.rps).toFixed(2)}× req/s, p99 ${hot.p99} vs ${cold.p99} ms`);
    let ok = true;
    for (const r of asks) {
      const ratio = r.rps / base.rps;
      const met = ratio >= TARGET_RATIO && r.p99 <= TARGET_P99_MS && r.non2xx === 0 && r.errors === 0;
      ok &&= met;
      console.log(
        `${r.name}: ${(ratio * 100).toFixed(1)} % of trivial (target ≥ ${TARGET_RATIO * 100} %), p99 ${r.p99} ms (target ≤ ${TARGET_P99_MS} ms): ${met ? 'met' : 'MISSED'}`,
      );
    }
    console.log(ok ? 'bench: targets met' : 'bench: targets MISSED');
    process.exitCode = ok ? 0 : 1;
    // Every core: the compiled server as one process and as BENCH_WORKERS (default: one per CPU) cluster workers.
    const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
    if (workers > 1) {
      console.log(`\nbench: 1 process vs ${workers} (npm run start:cluster), compiled`);
      await benchCluster({ root, workers, freePort, waitFor, measure, requests: askRequests });
    }
  } finally {
    for (const child of [cached, uncached, trivial]) child.kill('SIGTERM');
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
