/**
 * One process against one per core, for `npm run bench:http`: the compiled server (`node dist/main.js`) and the
 * cluster (`node dist/cluster.js --workers N`) on one SQLite DATA_DIR each, driven the same way (cached and
 * uncached /ask), with the throughput ratio. On a 2-CPU machine autocannon shares the cores with the server, so the
 * ratio understates what a second core gives a server on its own machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClusterBenchDeps {
  root: string;
  workers: number;
  freePort: () => Promise<number>;
  waitFor: (url: string, child: ChildProcess) => Promise<void>;
  measure: (
    name: string,
    url: string,
    requests: Array<{ method: 'POST'; path: string; headers: Record<string, string>; body: string }>,
  ) => Promise<{ name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number }>;
  requests: Array<{ method: 'POST'; path: string; headers: Record<string, string>; body: string }>;
}

/** Measures cached and uncached /ask on one process and on `workers` processes; prints a table and the ratios. */
export async function benchCluster(deps: ClusterBenchDeps): Promise<void> {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: deps.root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('bench: npm run build failed');
  const rows = [];
  for (const cache of ['1000', '0']) {
    for (const [label, args, processes] of [
      ['1 process', ['dist/main.js'], 1],
      [`${deps.workers} processes`, ['dist/cluster.js', '--workers', String(deps.workers)], deps.workers],
    ] as const) {
      const port = await deps.freePort();
      const data = mkdtempSync(join(tmpdir(), 'stepwise-bench-cluster-'));
      const child = spawn(process.execPath, [...args], {
        cwd: deps.root,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, RATE_LIMIT_MAX: '0', ANSWER_CACHE_SIZE: cache },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Every worker must be ready, not only the one that answers a probe: each logs "ready" once.
      let ready = 0;
      child.stdout.on('data', (chunk: Buffer) => (ready += chunk.toString().split('"msg":"ready"').length - 1));
      try {
        await deps.waitFor(`http://127.0.0.1:${port}/readyz`, child);
        while (ready < processes) await new Promise((r) => setTimeout(r, 50));
        rows.push({ cache: cache === '0' ? 'uncached' : 'cached', ...(await deps.measure(label, `http://127.0.0.1:${port}`, deps.requests)) });
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
        rmSync(data, { recursive: true, force: true });
      }
    }
  }
  console.table(
    rows.map((r) => ({ '/ask': r.cache, server: r.name, 'req/s': Math.round(r.rps), 'p50 ms': r.p50, 'p99 ms': r.p99, non2xx: r.non2xx, errors: r.errors })),
  );
  for (const cache of ['cached', 'uncached']) {
    const [one, many] = rows.filter((r) => r.cache === cache);
    console.log(`${cache} /ask: ${deps.workers} processes ÷ 1 process = ${(many.rps / one.rps).toFixed(2)}× req/s, p99 ${one.p99} → ${many.p99} ms`);
  }
}
