import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { createSqliteStore, StoreUnavailableError, type StoreLogger } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/sql.ts';
import { answer, seed, SEEDED, storeContract, vote } from './contract.ts';
import { ticket } from './tickets-contract.ts';
import { makeApp } from '../channels/http/helpers.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'));
/** Each settled write as its status, or a rejection as [error class, message]. */
const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'rejected' ? [(r.reason as Error).constructor, (r.reason as Error).message] : r.status));

storeContract('sqlite', async () => {
  const dir = tempDir();
  const file = join(dir, 'stepwise.db');
  return { store: createSqliteStore(file), reopen: async () => createSqliteStore(file), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

/** A logger that keeps what it was told. */
function recordingLogger() {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj: obj as Record<string, unknown> });
  const logger: StoreLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('sqlite store', () => {
  it('uses WAL, full sync and migrations 1, 2 and 3 on a new file', async () => {
    const dir = tempDir();
    try {
      const store = createSqliteStore(join(dir, 'stepwise.db'));
      await store.recordAnswer(answer('a1'));
      await store.close();
      const db = new Database(join(dir, 'stepwise.db'));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.deepEqual(
        db.prepare('SELECT version FROM schema_migrations').pluck().all(),
        MIGRATIONS.map((m) => m.version),
      );
      assert.deepEqual(MIGRATIONS.map((m) => m.version).slice(0, 3), [1, 2, 3]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates a database of migration 1 to 2, counting its existing answers per day', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'stepwise.db');
      const db = new Database(file);
      db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      for (const statement of MIGRATIONS[0].statements) db.exec(statement);
      db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run('2026-01-01T00:00:00.000Z');
      const insert = db.prepare(`INSERT INTO answers (id, at, channel, lang, status, topic_id, question) VALUES (?, ?, 'http', ?, ?, '', ?)`);
      insert.run('old1', '2026-03-01T01:00:00.000Z', 'ko', 'not_found', '옛 질문');
      insert.run('old2', '2026-03-01T02:00:00.000Z', 'ko', 'not_found', null);
      insert.run('old3', '2026-03-02T02:00:00.000Z', 'en', 'answered', null);
      db.close();
      const store = createSqliteStore(file);
      await store.recordAnswer(answer('new1', { at: '2026-03-02T05:00:00.000Z' }));
      const d = await store.dashboard({ since: '2026-03-01', unanswered: 5 });
      await store.close();
      assert.deepEqual(d.days, [
        { day: '2026-03-01', lang: 'ko', status: 'not_found', n: 2 },
        { day: '2026-03-02', lang: 'en', status: 'answered', n: 2 },
      ]);
      assert.deepEqual(d.unanswered, [{ answerId: 'old1', at: '2026-03-01T01:00:00.000Z', lang: 'ko', question: '옛 질문' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates a database of migration 2 to 3: its tickets are kept, with no asker address or card yet', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'stepwise.db');
      const db = new Database(file);
      db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      for (const m of MIGRATIONS.slice(0, 2)) {
        for (const statement of m.statements) db.exec(statement);
        db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(m.version, '2026-01-01T00:00:00.000Z');
      }
      const old = ticket('old');
      db.prepare(
        `INSERT INTO tickets (id, token_hash, at, updated_at, status, channel, lang, question, statements, codes, answer_id, topic_id, answer_status, steps_walked, helpful, comment, contact)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        old.id,
        old.tokenHash,
        old.at,
        old.updatedAt,
        old.status,
        old.channel,
        old.lang,
        old.question,
        JSON.stringify(old.statements),
        JSON.stringify(old.codes),
        old.answerId,
        old.topicId,
        old.answerStatus,
        old.stepsWalked,
        0,
        old.comment,
        old.contact,
      );
      db.close();
      const store = createSqliteStore(file);
      assert.deepEqual(await store.getTicket('old'), old);
      assert.equal(await store.setTicketCard('old', '{"activityId":"c1"}'), true);
      assert.equal((await store.getTicket('old'))?.expertCard, '{"activityId":"c1"}');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates a database of migration 4 to 5: of repeated votes on one answer the last counts, the others are kept', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'stepwise.db');
      const seeded = createSqliteStore(file);
      await seeded.recordAnswer(answer('a1'));
      await seeded.recordAnswer(answer('a2'));
      await seeded.close();
      // Votes as migration 4 stored them: every vote counted.
      const db = new Database(file);
      db.exec('DROP INDEX feedback_by_answer');
      db.exec('ALTER TABLE feedback DROP COLUMN superseded_by');
      db.exec('DELETE FROM schema_migrations WHERE version = 5');
      const insert = db.prepare(
        `INSERT INTO feedback (id, at, channel, answer_id, helpful, answer_lang, answer_topic_id, answer_at) VALUES (?, ?, 'widget', ?, ?, 'en', 'OutOfQuota', '2026-01-01T00:00:00.000Z')`,
      );
      insert.run('f1', '2026-01-02T00:00:00.000Z', 'a1', 0);
      insert.run('f2', '2026-01-02T00:01:00.000Z', 'a1', 0);
      insert.run('f3', '2026-01-02T00:02:00.000Z', 'a1', 1);
      insert.run('f4', '2026-01-02T00:03:00.000Z', 'a2', 0);
      db.exec(`INSERT INTO feedback_counts VALUES ('en', 'OutOfQuota', 0, 3), ('en', 'OutOfQuota', 1, 1)`);
      db.close();
      const store = createSqliteStore(file);
      const insights = await store.insights({ examples: 5 });
      assert.deepEqual(insights.totals, { answers: 2, notFound: 0, feedback: 2, unhelpful: 1 });
      assert.deepEqual(
        insights.gaps[0].examples.map((e) => e.answerId),
        ['a2'],
      );
      for (const id of ['f1', 'f2', 'f3', 'f4']) assert.ok(await store.getFeedback(id), id);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports the old JSONL files once, counting null, numeric-time, foreign and torn lines, and keeps the files', async () => {
    const dir = tempDir();
    try {
      const answers = [
        JSON.stringify(answer('a1', { status: 'not_found', question: 'q1' })),
        'null',
        JSON.stringify({ ...answer('a2'), at: 1767225600000 }),
        '{"hello":"world"}',
        JSON.stringify(answer('a3', { lang: 'ko', at: '2026-01-01T09:00:00+09:00' })),
        JSON.stringify(answer('a1', { status: 'answered' })), // the same id again: the first stays
        '{"id":"a4","at":"20', // torn by a crash, no newline after it
      ].join('\n');
      writeFileSync(join(dir, 'answers.jsonl'), answers);
      writeFileSync(
        join(dir, 'feedback.jsonl'),
        [JSON.stringify(vote('f1', 'a1')), '', '[1,2]', JSON.stringify(vote('f2', 'a3', { helpful: true }))].join('\r\n') + '\r\n',
      );
      const { logger, lines } = recordingLogger();
      const store = createSqliteStore(join(dir, 'stepwise.db'), { importDir: dir, logger });
      assert.deepEqual(await store.getAnswer('a3'), answer('a3', { lang: 'ko', at: '2026-01-01T00:00:00.000Z' }));
      assert.equal(await store.getAnswer('a2'), undefined);
      assert.deepEqual((await store.insights({ examples: 1 })).totals, { answers: 2, notFound: 1, feedback: 2, unhelpful: 1 });
      const imported = lines.filter((l) => l.msg.startsWith('store: imported'));
      assert.deepEqual(
        imported.map((l) => [l.level, l.msg, l.obj.lines, l.obj.imported, l.obj.duplicates, l.obj.refused, l.obj.reasons]),
        [
          ['warn', 'store: imported 2 records from answers.jsonl, 4 lines refused', 7, 2, 1, 4, { object: 1, at: 1, id: 1, json: 1 }],
          ['warn', 'store: imported 2 records from feedback.jsonl, 1 lines refused', 3, 2, 0, 1, { object: 1 }],
        ],
      );
      await store.recordAnswer(answer('a9'));
      await store.close();
      assert.equal(readFileSync(join(dir, 'answers.jsonl'), 'utf8'), answers);
      // Started again: nothing imported twice.
      const again = createSqliteStore(join(dir, 'stepwise.db'), { importDir: dir, logger });
      assert.deepEqual((await again.insights({ examples: 0 })).totals, { answers: 3, notFound: 1, feedback: 2, unhelpful: 1 });
      await again.close();
      assert.equal(lines.filter((l) => l.msg.startsWith('store: imported')).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forgets question text and comments older than the retention days at start, and keeps the counts', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'stepwise.db');
      const first = createSqliteStore(file);
      await seed(first); // answers of 2026-03-01..05, feedback of 2026-01-02
      await first.close();
      const now = () => new Date('2026-03-13T12:00:00.000Z');
      const store = createSqliteStore(file, { retentionDays: 10, now }); // cut-off 2026-03-03T12:00
      const insights = await store.insights({ examples: 5 });
      assert.deepEqual(insights.totals, SEEDED.totals);
      assert.equal((await store.getAnswer('a2'))?.question, undefined);
      assert.equal((await store.getAnswer('a3'))?.question, undefined);
      assert.deepEqual(await store.getFeedback('f1'), vote('f1', 'a1', { step: 2 }));
      await store.recordAnswer(answer('new', { at: '2026-03-13T11:00:00.000Z', question: 'kept' }));
      assert.equal((await store.getAnswer('new'))?.question, 'kept');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forgets a ticket’s question, statements, comment, contact and asker address once it has been resolved for the retention days, and keeps open ones', async () => {
    const dir = tempDir();
    try {
      const file = join(dir, 'stepwise.db');
      const first = createSqliteStore(file);
      await first.createTicket(ticket('old', { at: '2026-02-01T10:00:00.000Z', askerAddress: '{"user":{"id":"29:1"}}' }));
      await first.actOnTicket('old', { kind: 'resolve', expert: 'lee', answer: 'Raise the limit.', at: '2026-02-02T10:00:00.000Z' });
      await first.createTicket(ticket('open', { at: '2026-02-01T10:00:00.000Z' }));
      await first.close();
      const store = createSqliteStore(file, { retentionDays: 10, now: () => new Date('2026-03-13T12:00:00.000Z') });
      const old = await store.getTicket('old');
      assert.deepEqual(
        [old?.question, old?.statements, old?.comment, old?.contact, old?.askerAddress, old?.resolution, old?.codes],
        ['', [], undefined, undefined, undefined, 'Raise the limit.', ['ResourceNotReady']],
      );
      assert.equal((await store.getTicket('open'))?.contact, 'kim@example.com');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('acknowledges writes only once the fsync of the write-ahead log after their commit has finished, one fsync per batch', async () => {
    const dir = tempDir();
    const file = join(dir, 'stepwise.db');
    const syncs: Array<() => void> = [];
    const store = createSqliteStore(file, { fsync: () => new Promise<void>((done) => syncs.push(done)) });
    try {
      const settled: string[] = [];
      const first = ['a1', 'a2', 'a3'].map((id) => store.recordAnswer(answer(id)).then(() => void settled.push(id)));
      while (syncs.length < 1) await new Promise((next) => setImmediate(next));
      // Committed (another connection sees the rows) but not yet on disk: nothing is acknowledged.
      const other = new Database(file, { readonly: true });
      assert.equal(other.prepare('SELECT count(*) FROM answers').pluck().get(), 3);
      // Written while that fsync runs: the next batch, which waits for an fsync of its own.
      const second = ['b1', 'b2'].map((id) => store.recordAnswer(answer(id)).then(() => void settled.push(id)));
      for (let i = 0; i < 5; i++) await new Promise((next) => setImmediate(next));
      assert.deepEqual(settled, []);
      assert.equal(syncs.length, 1);
      syncs[0]();
      await Promise.all(first);
      assert.deepEqual(settled, ['a1', 'a2', 'a3']);
      while (syncs.length < 2) await new Promise((next) => setImmediate(next));
      assert.equal(other.prepare('SELECT count(*) FROM answers').pluck().get(), 5);
      other.close();
      assert.deepEqual(settled, ['a1', 'a2', 'a3']);
      syncs[1]();
      await Promise.all(second);
      assert.deepEqual(settled, ['a1', 'a2', 'a3', 'b1', 'b2']);
      assert.equal(syncs.length, 2);
    } finally {
      const closing = store.close();
      for (const done of syncs) done();
      await closing;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects every write of a batch whose fsync fails with StoreUnavailableError, is not ready, and recovers once fsync works', async () => {
    const dir = tempDir();
    let failing = false;
    const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    const store = createSqliteStore(join(dir, 'stepwise.db'), {
      fsync: async () => {
        if (failing) throw eio;
      },
      probeIntervalMs: 10,
    });
    try {
      // Started: the first write succeeds.
      await store.recordAnswer(answer('a0'));
      failing = true;
      const results = await Promise.allSettled([store.recordAnswer(answer('a1')), store.addFeedback(vote('f1', 'a0')), store.recordAnswer(answer('a2'))]);
      assert.deepEqual(
        outcomes(results),
        Array.from({ length: 3 }, () => [StoreUnavailableError, 'Store: cannot write (EIO: EIO: i/o error, fsync)']),
      );
      assert.deepEqual(store.health(), { ready: false, reason: 'EIO: i/o error, fsync' });
      failing = false;
      for (let i = 0; i < 100 && !store.health().ready; i++) await new Promise((next) => setTimeout(next, 10));
      assert.deepEqual(store.health(), { ready: true });
      await store.recordAnswer(answer('a3'));
      assert.equal((await store.getAnswer('a3'))?.id, 'a3');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects every write of a batch whose commit fails (another process holds the write lock past the busy timeout)', async () => {
    const dir = tempDir();
    const file = join(dir, 'stepwise.db');
    const store = createSqliteStore(file);
    try {
      await store.recordAnswer(answer('a0'));
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      const results = await Promise.allSettled([store.recordAnswer(answer('a1')), store.addFeedback(vote('f1', 'a0')), store.recordAnswer(answer('a2'))]);
      other.exec('ROLLBACK');
      other.close();
      assert.deepEqual(
        outcomes(results),
        Array.from({ length: 3 }, () => [StoreUnavailableError, 'Store: cannot write (SQLITE_BUSY: database is locked)']),
      );
      assert.equal(await store.getAnswer('a1'), undefined);
      await store.recordAnswer(answer('a1'));
      assert.equal((await store.getAnswer('a1'))?.id, 'a1');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens a new file while another process is in a write transaction on it (cluster workers starting together), once that commits', async () => {
    const dir = tempDir();
    const file = join(dir, 'stepwise.db');
    // The other process takes the write lock of the new file and keeps it 300 ms: switching to WAL then fails at
    // once with SQLITE_BUSY (SQLite does not wait for it), so the store must retry, not crash.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)}); d.exec('BEGIN IMMEDIATE'); d.exec('CREATE TABLE held (x)'); console.log('held'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 300);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const store = createSqliteStore(file);
      await store.recordAnswer(answer('after-the-lock'));
      assert.equal((await store.insights({ examples: 0 })).totals.answers, 1);
      await store.close();
    } finally {
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets two processes share one file: each sees what the other wrote', async () => {
    const dir = tempDir();
    try {
      const a = createSqliteStore(join(dir, 'stepwise.db'));
      const b = createSqliteStore(join(dir, 'stepwise.db'));
      await a.recordAnswer(answer('from-a'));
      await b.addFeedback(vote('on-a', 'from-a'));
      assert.deepEqual((await a.insights({ examples: 0 })).totals, { answers: 1, notFound: 0, feedback: 1, unhelpful: 1 });
      await Promise.all([a.close(), b.close()]);
      assert.ok(existsSync(join(dir, 'stepwise.db')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('feedback through the API with the sqlite store', () => {
  it('stores racing feedback requests and still has them after a restart', async () => {
    const dir = tempDir();
    const file = join(dir, 'stepwise.db');
    try {
      const first = makeApp({ store: createSqliteStore(file), options: { adminKeys: ['adm'] } });
      const asked = await request(first.app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU 할당량이 부족합니다' });
      const id = asked.body.answer.id as string;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(first.app)
            .post('/api/v1/feedback')
            .send({ answerId: id, helpful: i % 2 === 0 }),
        ),
      );
      assert.deepEqual([...new Set(results.map((r) => r.status))], [202]);
      await first.store.close();
      const second = makeApp({ store: createSqliteStore(file), options: { adminKeys: ['adm'] } });
      const insights = await request(second.app).get('/api/v1/insights').set('x-api-key', 'adm');
      // Every vote is stored; one vote per answer counts (the last to be committed).
      for (const r of results) assert.equal((await second.store.getFeedback(r.body.id as string))?.answerId, id);
      assert.equal(insights.body.totals.feedback, 1);
      assert.deepEqual(
        insights.body.gaps.map((g: Record<string, unknown>) => [g.topicId, g.lang, Number(g.unhelpful) + Number(g.helpful)]),
        [['OutOfQuota/cpu', 'ko', 1]],
      );
      // Feedback on an answer given before the restart is still accepted.
      const late = await request(second.app).post('/api/v1/feedback').send({ answerId: id, helpful: true });
      assert.equal(late.status, 202);
      await second.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
