/**
 * Cold start: `npm run bench:start [-- --runs N] [-- --direct] [-- --dev]` builds dist/, starts the compiled server
 * as `npm start` does (`node src/tools/start.mjs main`: its up-to-date check of dist/, then dist/main.js; shipped
 * content, SQLite in a fresh DATA_DIR) N times and prints, per run and as medians, the phases the server logs when
 * ready — node bootstrap, the launcher's check, loading the bundled modules, wiring and listening, loading the
 * content — the time from spawn to the first /readyz 200, the CPU time the process spent until ready (the steadiest
 * number on a shared machine) and the machine's 1-minute load average. `--direct` also starts `node dist/main.js`
 * (no launcher), `--dev` `node --import tsx src/main.ts`, for comparison.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, direct: { type: 'boolean', default: false }, dev: { type: 'boolean', default: false } },
});
const RUNS = Number(values.runs);
const TARGET_MS = 500;

interface Run {
  node: number;
  launch: number;
  modules: number;
  listen: number;
  content: number;
  ready: number;
  cpu: number;
  readyz: number;
  /** The 1-minute load average when the run ended. */
  load: number;
  source: string;
}

async function once(args: string[]): Promise<Run> {
  const data = mkdtempSync(join(tmpdir(), 'stepwise-bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: data, LOG_LEVEL: 'info', CONTENT_WATCH: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    process.stderr.write(chunk);
  });
  try {
    const port = await until(() => out.match(/"port":(\d+)/)?.[1], child);
    // Poll as a load balancer would; the spawn-to-200 time includes the poll interval (≤ 5 ms).
    await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200 || undefined, child);
    const readyz = performance.now() - started;
    const line = await until(() => out.split('\n').find((l) => l.includes('"msg":"ready"')), child);
    // `launch` is logged only under the launcher.
    const log = JSON.parse(line) as { phases: Omit<Run, 'launch' | 'readyz' | 'load' | 'source'> & { launch?: number }; content: string };
    // A source file changed since the build (someone editing the tree): the launcher built dist/ again in this run.
    const source = err.includes('start: building dist/') ? 'rebuilt' : log.content;
    return { ...log.phases, launch: log.phases.launch ?? 0, readyz: Math.round(readyz), load: Math.round(loadavg()[0] * 100) / 100, source };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    rmSync(data, { recursive: true, force: true });
  }
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, child: ReturnType<typeof spawn>): Promise<T> {
  for (let i = 0; i < 6000; i++) {
    if (child.exitCode !== null) throw new Error(`bench:start: server exited with ${child.exitCode}`);
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('bench:start: server not ready after 30 s');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const COLUMNS: Array<keyof Run> = ['node', 'launch', 'modules', 'listen', 'content', 'ready', 'readyz', 'cpu', 'load'];

async function bench(label: string, args: string[]): Promise<Run> {
  console.log(`\n${label} (${RUNS} runs; ms since the process started; cpu = user + system ms until ready)`);
  console.log(['run', ...COLUMNS, 'content'].map((c) => c.padStart(9)).join(''));
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await once(args);
    // A run that rebuilt dist/ measured the build too: shown, left out of the medians.
    if (run.source !== 'rebuilt') runs.push(run);
    console.log([String(i + 1), ...COLUMNS.map((c) => String(run[c])), run.source].map((c) => c.padStart(9)).join(''));
  }
  const med = Object.fromEntries(COLUMNS.map((c) => [c, median(runs.map((r) => r[c] as number))])) as unknown as Run;
  console.log(['median', ...COLUMNS.map((c) => String(med[c]))].map((c) => c.padStart(9)).join(''));
  return med;
}

// Built now, so dist/content.json matches the content being measured.
const fresh = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (fresh.status !== 0) throw new Error('bench:start: npm run build failed');

const compiled = await bench('node src/tools/start.mjs main (npm start)', ['src/tools/start.mjs', 'main']);
if (values.direct) await bench('node dist/main.js', ['dist/main.js']);
if (values.dev) {
  const dev = await bench('node --import tsx src/main.ts', ['--import', 'tsx', 'src/main.ts']);
  console.log(`\ncompiled ÷ tsx: readyz ${(compiled.readyz / dev.readyz).toFixed(2)}×, cpu ${(compiled.cpu / dev.cpu).toFixed(2)}×`);
}
console.log(`\ntarget: /readyz 200 within ${TARGET_MS} ms of the process start: median ${compiled.readyz} ms ${compiled.readyz <= TARGET_MS ? 'ok' : 'OVER'}`);
