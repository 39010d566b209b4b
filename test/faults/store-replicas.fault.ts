/**
 * Two replicas on one PostgreSQL (a real server started here): feedback on replica B for an answer
 * from replica A is accepted, both replicas' /insights agree, and a replica killed with SIGKILL under
 * load loses nothing it acknowledged.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../../src/store/index.ts';
import { startPgServer } from '../store/pg-server.ts';
import { ask, feedback, lost, mixedLoad, sleep, startServer } from './store-harness.ts';

it('serves one conversation across two replicas on one PostgreSQL and loses nothing when one is killed under load', async () => {
  const pg = await startPgServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-replicas-'));
  try {
    const env = { DATABASE_URL: await pg.database(), DATA_DIR: dataDir, ADMIN_KEYS: 'adm' };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    try {
      const asked = await ask(a.url, 2);
      assert.equal(asked.status, 200);
      const voted = await feedback(b.url, asked.id!, false);
      assert.equal(voted.status, 202, 'feedback on replica B for an answer from replica A');
      const insightsOf = async (url: string) => {
        const res = await fetch(`${url}/api/v1/insights?examples=2`, { headers: { 'x-api-key': 'adm' } });
        const { generatedAt: _at, ...body } = (await res.json()) as Record<string, unknown>;
        return body;
      };
      const [ofA, ofB] = await Promise.all([insightsOf(a.url), insightsOf(b.url)]);
      assert.deepEqual(ofB, ofA, '/insights agrees on both replicas');
      const { answers, feedback: votes, unhelpful } = ofA.totals as Record<string, number>;
      assert.deepEqual({ answers, votes, unhelpful }, { answers: 1, votes: 1, unhelpful: 1 });

      let stopped = false;
      const load = mixedLoad([a.url, b.url], 16, () => stopped);
      await sleep(3000);
      await a.stop('SIGKILL');
      await sleep(1500); // B keeps serving; asks sent to A fail and are not acknowledged
      stopped = true;
      const result = await load;
      result.answers.push(asked.id!);
      result.feedback.push(voted.id!);

      const survivor = await insightsOf(b.url);
      const store = createPostgresStore(env.DATABASE_URL);
      const missing = await lost(store, result);
      const totals = (await store.insights({ examples: 0 })).totals;
      await store.close();
      console.log(
        `two replicas: acknowledged ${result.answers.length} answers + ${result.feedback.length} feedback; stored ${totals.answers} + ${totals.feedback}; ` +
          `lost ${missing.answers} + ${missing.feedback}; statuses ${JSON.stringify(result.statuses)}`,
      );
      assert.deepEqual(missing, { answers: 0, feedback: 0 });
      assert.equal(result.statuses[500] ?? 0, 0, 'no request may fail with a 500');
      assert.ok(result.answers.length > 50 && result.feedback.length > 20, `too little load: ${JSON.stringify(result.statuses)}`);
      assert.deepEqual(survivor.totals, totals);
    } finally {
      await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
    }
  } finally {
    pg.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
