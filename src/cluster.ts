/**
 * One server process per core: `npm run start:cluster` (`node dist/cluster.js [--workers N]`). The primary forks
 * workers that each run main (same port: the primary hands each new connection to the next worker), restarts a
 * worker that dies, and passes SIGHUP (content reload) and SIGTERM/SIGINT (drain and stop) on to every worker.
 * Workers share the database: SQLite in WAL mode on one DATA_DIR (each process writes in its own short
 * transactions, waiting up to busy_timeout for the lock) or PostgreSQL. The environment is read by each worker's
 * main, as in a single process.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** A worker that dies within this long of its start is restarted after RESTART_DELAY_MS, not at once (a crash loop). */
const EARLY_EXIT_MS = 5000;
const RESTART_DELAY_MS = 1000;

const { values } = parseArgs({ options: { workers: { type: 'string' } } });
const count = values.workers === undefined ? availableParallelism() : Number(values.workers);
if (!Number.isInteger(count) || count < 1 || count > 256) {
  console.error(`cluster: --workers must be an integer from 1 to 256, got "${values.workers}"`);
  process.exit(2);
}

// The worker runs main from beside this file: dist/main.js when compiled, src/main.ts under tsx (execArgv is inherited).
const main = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './main.ts' : './main.js', import.meta.url));
cluster.setupPrimary({ exec: main, args: [] });

let stopping = false;
const started = new Map<Worker, number>();
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level: 30, time: new Date().toISOString(), service: 'stepwise', pid: process.pid, role: 'cluster-primary', ...extra, msg }));

function fork(): void {
  const worker = cluster.fork();
  started.set(worker, Date.now());
}

cluster.on('exit', (worker, code, signal) => {
  const lived = Date.now() - (started.get(worker) ?? 0);
  started.delete(worker);
  if (stopping) {
    if (started.size === 0) {
      log('cluster stopped');
      process.exit(process.exitCode ?? 0);
    }
    if (code !== 0) process.exitCode = 1;
    return;
  }
  log('worker exited; starting another', { worker: worker.process.pid, code, signal, livedMs: lived });
  setTimeout(fork, lived < EARLY_EXIT_MS ? RESTART_DELAY_MS : 0);
});

for (let i = 0; i < count; i++) fork();
log(`cluster: ${count} workers`, { workers: count, exec: main });

/**
 * Passes a signal to every worker; after SIGTERM/SIGINT the primary exits once they all have (1 if any did not exit 0).
 * SIGINT goes on as SIGTERM: Ctrl-C in a terminal has already sent the workers SIGINT, and a second SIGINT would
 * stop a draining worker at once.
 */
function relay(signal: NodeJS.Signals): void {
  if (signal !== 'SIGHUP') stopping = true;
  for (const worker of started.keys()) worker.process.kill(signal === 'SIGINT' ? 'SIGTERM' : signal);
  if (stopping && started.size === 0) process.exit(0);
}
process.on('SIGHUP', () => relay('SIGHUP'));
process.once('SIGTERM', () => relay('SIGTERM'));
process.once('SIGINT', () => relay('SIGINT'));
