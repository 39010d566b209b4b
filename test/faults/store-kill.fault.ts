/** kill -9 under mixed /ask + /feedback load: every id the server acknowledged is in the store afterwards. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, SQLITE_FILE } from '../../src/store/index.ts';
import { lost, mixedLoad, sleep, startServer, type LoadResult } from './store-harness.ts';

it('loses no acknowledged answer or feedback when the server is killed with SIGKILL under load, three times over', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-kill-'));
  const all: LoadResult = { answers: [], feedback: [], statuses: {} };
  try {
    for (let round = 1; round <= 3; round++) {
      const server = await startServer({ DATA_DIR: dataDir, STORE: 'sqlite' });
      let killed = false;
      const load = mixedLoad([server.url], 24, () => killed);
      await sleep(1500 + round * 500);
      await server.stop('SIGKILL');
      await sleep(200); // the workers see refused connections and stop
      killed = true;
      const result = await load;
      all.answers.push(...result.answers);
      all.feedback.push(...result.feedback);
      for (const [status, n] of Object.entries(result.statuses)) all.statuses[Number(status)] = (all.statuses[Number(status)] ?? 0) + n;
      console.log(
        `kill -9 round ${round}: ${result.answers.length} answers and ${result.feedback.length} feedback acknowledged, statuses ${JSON.stringify(result.statuses)}`,
      );
    }
    const store = createSqliteStore(join(dataDir, SQLITE_FILE));
    const missing = await lost(store, all);
    const totals = (await store.insights({ examples: 0 })).totals;
    await store.close();
    console.log(
      `kill -9: acknowledged ${all.answers.length} answers + ${all.feedback.length} feedback; stored ${totals.answers} answers + ${totals.feedback} feedback; ` +
        `lost ${missing.answers} answers + ${missing.feedback} feedback`,
    );
    assert.ok(
      all.answers.length > 100 && all.feedback.length > 50,
      `too little load to prove anything: ${all.answers.length} answers, ${all.feedback.length} feedback`,
    );
    assert.deepEqual(missing, { answers: 0, feedback: 0 });
    assert.equal(all.statuses[500] ?? 0, 0, 'no request may fail with a 500');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
