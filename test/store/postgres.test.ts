import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPostgresStore, StoreUnavailableError } from '../../src/store/index.ts';
import { answer, seed, SEEDED, storeContract, vote } from './contract.ts';
import { startPgServer, type PgServer } from './pg-server.ts';

let server: PgServer;
before(async () => {
  server = await startPgServer();
});
after(() => server?.destroy());

const quick = { probeIntervalMs: 200 };

storeContract('postgres', async () => {
  const url = await server.database();
  return { store: createPostgresStore(url, quick), reopen: async () => createPostgresStore(url, quick), cleanup: async () => {} };
});

describe('postgres store', () => {
  it('lets two replicas share one database: feedback on B for an answer from A counts in both', async () => {
    const url = await server.database();
    const [a, b] = [createPostgresStore(url), createPostgresStore(url)];
    try {
      await Promise.all([a.recordAnswer(answer('from-a', { status: 'not_found' })), b.recordAnswer(answer('from-b'))]);
      await b.addFeedback(vote('on-a', 'from-a'));
      const [ia, ib] = await Promise.all([a.insights({ examples: 5 }), b.insights({ examples: 5 })]);
      assert.deepEqual(ia.totals, { answers: 2, notFound: 1, feedback: 1, unhelpful: 1 });
      assert.deepEqual(ib, ia);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects writes with StoreUnavailableError and is not ready while the server is down, then recovers by itself', async () => {
    const url = await server.database();
    const store = createPostgresStore(url, quick);
    try {
      await store.recordAnswer(answer('before'));
      server.stop();
      const refused = await store.recordAnswer(answer('during')).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(refused instanceof StoreUnavailableError, String(refused));
      assert.equal(store.health().ready, false);
      server.start();
      for (let i = 0; i < 50 && !store.health().ready; i++) await new Promise((done) => setTimeout(done, 100));
      assert.deepEqual(store.health(), { ready: true });
      await store.recordAnswer(answer('after'));
      assert.equal((await store.getAnswer('before'))?.id, 'before');
      assert.equal(await store.getAnswer('during'), undefined);
      assert.equal((await store.getAnswer('after'))?.id, 'after');
    } finally {
      await store.close();
    }
  });
});

describe('postgres store started before its database', () => {
  it('is not ready and refuses writes with StoreUnavailableError, then migrates and serves once the database is up', async () => {
    const url = await server.database();
    server.stop();
    const store = createPostgresStore(url, quick);
    try {
      const refused = await store.recordAnswer(answer('early')).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(refused instanceof StoreUnavailableError, String(refused));
      assert.match(String(store.health().reason), /ECONNREFUSED|connect/);
      server.start();
      for (let i = 0; i < 50 && !store.health().ready; i++) await new Promise((done) => setTimeout(done, 100));
      assert.deepEqual(store.health(), { ready: true });
      await store.recordAnswer(answer('late'));
      assert.equal((await store.getAnswer('late'))?.id, 'late');
    } finally {
      if (!store.health().ready) server.start();
      await store.close();
    }
  });
});

describe('postgres store retention', () => {
  it('forgets question text and comments older than the retention days at start, and keeps the counts', async () => {
    const url = await server.database();
    const first = createPostgresStore(url);
    await seed(first); // answers of 2026-03-01..05, feedback of 2026-01-02
    await first.close();
    const store = createPostgresStore(url, { retentionDays: 10, now: () => new Date('2026-03-13T12:00:00.000Z') });
    try {
      assert.deepEqual((await store.insights({ examples: 0 })).totals, SEEDED.totals);
      assert.equal((await store.getAnswer('a2'))?.question, undefined);
      assert.equal((await store.getAnswer('a3'))?.question, undefined);
      assert.deepEqual(await store.getFeedback('f1'), vote('f1', 'a1', { step: 2 }));
    } finally {
      await store.close();
    }
  });
});
