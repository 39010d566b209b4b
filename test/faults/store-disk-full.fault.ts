/**
 * Disk full: DATA_DIR on a small tmpfs, filled up under load. Writes that cannot be stored are 503
 * with Retry-After (never 200/202, never 500), /readyz is 503 meanwhile, and once space is freed the
 * server takes writes again by itself; every id acknowledged before, during and after is stored.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, SQLITE_FILE } from '../../src/store/index.ts';
import { ask, feedback, lost, sleep, startServer, type LoadResult } from './store-harness.ts';

/** Mounts a tmpfs of `size` on a new directory; fails the test (never skips) when that is not allowed. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    rmdirSync(dir);
    throw new Error(`disk-full test: cannot mount a tmpfs (it needs root, as in CI): ${(error as Error).message}`, { cause: error });
  }
  return dir;
}

/** Writes zeros into `file` until the file system is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

it('answers 503 while the disk is full, acknowledges nothing it could not store, and recovers when space is freed', async () => {
  const dataDir = mountTmpfs('16m');
  const acked: LoadResult = { answers: [], feedback: [], statuses: {} };
  const count = (status: number) => void (acked.statuses[status] = (acked.statuses[status] ?? 0) + 1);
  const filler = join(dataDir, 'filler');
  try {
    const server = await startServer({ DATA_DIR: dataDir, STORE: 'sqlite' });
    try {
      /** One ask and one vote (on it, else on an earlier answer); remembers what was acknowledged. */
      const round = async (i: number) => {
        const a = await ask(server.url, i);
        count(a.status);
        if (a.status === 503) assert.ok(Number(a.retryAfter) > 0, `a 503 without Retry-After: ${JSON.stringify(a)}`);
        if (a.id) acked.answers.push(a.id);
        const f = await feedback(server.url, a.id ?? acked.answers[i % acked.answers.length], i % 2 === 0);
        count(f.status);
        if (f.status === 503) assert.ok(Number(f.retryAfter) > 0, `a 503 without Retry-After: ${JSON.stringify(f)}`);
        if (f.id) acked.feedback.push(f.id);
        return a.status;
      };
      for (let i = 0; i < 50; i++) assert.equal(await round(i), 200);

      fill(filler);
      let refused = 0;
      let readyzDuringFault: number | undefined;
      for (let i = 0; i < 5000 && refused < 20; i++) {
        if ((await round(i)) === 503) {
          refused++;
          readyzDuringFault ??= (await fetch(`${server.url}/readyz`)).status;
        }
      }
      const during = { ...acked.statuses };
      console.log(`disk full: statuses so far ${JSON.stringify(during)}, /readyz during the fault ${readyzDuringFault}`);
      assert.ok(refused >= 20, `the full disk never gave 503s: ${JSON.stringify(during)}`);
      assert.ok((during[503] ?? 0) >= 40, `feedback on a stored answer was not refused while the disk was full: ${JSON.stringify(during)}`);
      assert.equal(readyzDuringFault, 503);

      unlinkSync(filler);
      let recoveredAfterMs = -1;
      const freed = Date.now();
      while (Date.now() - freed < 20_000) {
        if ((await fetch(`${server.url}/readyz`)).status === 200) {
          recoveredAfterMs = Date.now() - freed;
          break;
        }
        await sleep(100);
      }
      assert.ok(recoveredAfterMs >= 0, 'not ready again within 20 s of freeing space');
      for (let i = 0; i < 30; i++) assert.equal(await round(i), 200);
      console.log(`disk full: ready again ${recoveredAfterMs} ms after space was freed`);
    } finally {
      await server.stop('SIGKILL');
    }
    const store = createSqliteStore(join(dataDir, SQLITE_FILE));
    const missing = await lost(store, acked);
    await store.close();
    console.log(
      `disk full: acknowledged ${acked.answers.length} answers + ${acked.feedback.length} feedback, ` +
        `lost ${missing.answers} + ${missing.feedback}; statuses ${JSON.stringify(acked.statuses)}`,
    );
    assert.deepEqual(missing, { answers: 0, feedback: 0 });
    assert.equal(acked.statuses[500] ?? 0, 0, 'no request may fail with a 500');
  } finally {
    execFileSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
