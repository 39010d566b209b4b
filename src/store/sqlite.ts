import Database from 'better-sqlite3';
import { closeSync, fsync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { HealthState, silentLogger, unavailable, type StoreLogger } from './health.ts';
import { importJsonl, type ImportSink } from './import.ts';
import { assembleInsights } from './insights.ts';
import { checkedAnswer, checkedFeedback } from './records.ts';
import * as q from './sql.ts';
import { claimParams, DELIVERED_KEEP_MS, deliveryFromRow, outboxParams, outboxStateFromRows, settleStatement } from './outbox.ts';
import { actionStatement, assembleDashboard, checkedTicket, ticketFromRow, ticketParams } from './tickets.ts';
import type { AnswerRecord, FeedbackRecord, InsightsQuery, Store, TicketRecord } from './types.ts';

/** Options shared by the database stores (merged over DATABASE_STORE_DEFAULTS). */
export interface DatabaseStoreOptions {
  /** Days question text and feedback comments are kept (counts are kept forever); 0 keeps them forever. */
  retentionDays: number;
  /** How often retention runs after the run at start. */
  retentionIntervalMs: number;
  /** How often a failing store tries a small write to find out whether the fault has cleared. */
  probeIntervalMs: number;
  /** A directory whose answers.jsonl and feedback.jsonl (the old file store) are imported once. */
  importDir?: string;
  logger: StoreLogger;
  now: () => Date;
}

export const DATABASE_STORE_DEFAULTS: DatabaseStoreOptions = {
  retentionDays: 0,
  retentionIntervalMs: 3_600_000,
  probeIntervalMs: 2000,
  logger: silentLogger,
  now: () => new Date(),
};

/** The SQLite store's options: the database stores' and how the write-ahead log is flushed to disk. */
export interface SqliteStoreOptions extends DatabaseStoreOptions {
  /** Flushes the WAL to disk (fsync) off the event loop; tests pass a failing one to play a disk fault. */
  fsync: (fd: number) => Promise<void>;
}

/** fsync on libuv's thread pool. */
const fsyncOffLoop = (fd: number) => new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));

export const SQLITE_STORE_DEFAULTS: SqliteStoreOptions = { ...DATABASE_STORE_DEFAULTS, fsync: fsyncOffLoop };

/** The cut-off before which free text is forgotten, or undefined when it is kept forever. */
export function retentionCutoff(options: DatabaseStoreOptions): string | undefined {
  if (options.retentionDays <= 0) return undefined;
  return new Date(options.now().getTime() - options.retentionDays * 86_400_000).toISOString();
}

/** Errors that say the database cannot work now (retry later), as opposed to a bug in a query or record. */
function isFault(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|READONLY|NOMEM|CORRUPT|NOTADB|PROTOCOL|PERM)/.test(code);
}

/**
 * One queued write: `run` inside a savepoint of the batch's transaction, or an `answer` to insert (one statement, so
 * atomic without a savepoint; the batch's answers are counted together at its end). Settles once the commit is on disk.
 */
interface Pending {
  run?: () => void;
  answer?: AnswerRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
  error?: unknown;
}

/** How long opening waits for another process that is switching the same new file to WAL. */
const OPEN_WAIT_MS = 5000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Switches the file to WAL. SQLite does not wait (busy_timeout) for the lock this needs while another connection
 * holds a write lock, to avoid a deadlock: it fails at once with SQLITE_BUSY. Two processes opening a new file
 * together (`npm run start:cluster` forks its workers at once) meet exactly that, so the switch is retried.
 */
function useWal(db: Database.Database): void {
  const until = Date.now() + OPEN_WAIT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw error;
      Atomics.wait(PAUSE, 0, 0, 20);
    }
  }
}

/** Opens (creating and migrating) the SQLite file; WAL so readers never wait for the writer. */
function openDatabase(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  useWal(db);
  // NORMAL: a commit writes the WAL without fsync; the store fsyncs the WAL itself, off the event loop, before it
  // resolves a write (see `synced`), so an acknowledged record still survives a power cut. With FULL, SQLite's own
  // fsync held the event loop ~3 ms per commit. Checkpoints still sync the WAL before and the database after.
  db.pragma('synchronous = NORMAL');
  // Another process on the same file (a second replica on one DATA_DIR) holds the write lock for milliseconds.
  db.pragma('busy_timeout = 2000');
  // /insights reads a few pages per gap (hundreds of gaps): 32 MB keeps them cached between calls.
  // A fixed bound, so memory stays flat however large the file grows.
  db.pragma('cache_size = -32768');
  db.transaction(() => {
    db.exec(q.SQL.createMigrations);
    const applied = new Set(db.prepare(q.SQL.appliedVersions).pluck().all() as number[]);
    for (const m of q.MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const statement of m.statements) db.exec(statement);
      db.prepare(q.SQL.markApplied).run(m.version, new Date().toISOString());
    }
  }).immediate();
  return db;
}

/** Descriptors of the WAL (created by openDatabase's first write transaction), to fsync it, and of its directory. */
function openWal(file: string): { wal: number; dir: number } {
  return { wal: openSync(`${file}-wal`, 'r'), dir: openSync(dirname(file), 'r') };
}

/**
 * The embedded default store: one SQLite file in WAL mode. Answers and feedback queued while the previous batch is
 * being synced are committed together in one transaction, and every write resolves only once its commit is on disk
 * (one fsync of the WAL, off the event loop, for all writes waiting at the time).
 */
export function createSqliteStore(file: string, overrides: Partial<SqliteStoreOptions> = {}): Store {
  const options = { ...SQLITE_STORE_DEFAULTS, ...overrides };
  const { logger } = options;
  const db = openDatabase(file);
  const { wal, dir } = openWal(file);
  // The WAL's directory entry is synced once, with the first sync (SQLite does so on a new WAL's first sync under FULL).
  let dirSynced = false;
  const stmt = Object.fromEntries(Object.entries(q.SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Record<keyof typeof q.SQL, Database.Statement>;

  /** Inserts one answer without its counts (see countAnswers); false if its id is already stored. One statement: atomic alone. */
  const insertAnswer = (r: AnswerRecord): boolean => stmt.insertAnswer.run(...q.answerParams(r)).changes > 0;
  /** Adds inserted answers to the count tables, each count row once. */
  const countAnswers = (inserted: readonly AnswerRecord[]): void => {
    const { counts, days } = q.answerCounts(inserted);
    for (const params of counts) stmt.countAnswer.run(...params);
    for (const params of days) stmt.countDay.run(...params);
  };
  /** Inserts answers and counts those that were new; returns how many were. */
  const writeAnswers = (records: readonly AnswerRecord[]): number => {
    const inserted = records.filter(insertAnswer);
    countAnswers(inserted);
    return inserted.length;
  };
  const writeFeedback = (r: FeedbackRecord): boolean => {
    const answer = stmt.answerKey.get(r.answerId) as q.AnswerKeyRow | undefined;
    if (stmt.insertFeedback.run(...q.feedbackParams(r, answer)).changes === 0) return false;
    // One vote per answer: this one replaces the standing one, whose count moves here.
    for (const replaced of stmt.supersedeFeedback.all(...q.supersedeParams(r)) as Array<Record<string, unknown>>) {
      const params = q.uncountParams(replaced);
      if (params) stmt.uncountFeedback.run(...params);
    }
    if (answer) stmt.countFeedback.run(...q.feedbackCountParams(r, answer));
    return true;
  };
  /** Runs `fn` in one write transaction, turning a database fault into StoreUnavailableError. Committed, not yet on disk: see `durable`. */
  const write = <T>(what: string, fn: () => T): T => {
    try {
      return db.transaction(fn).immediate();
    } catch (error) {
      if (!isFault(error)) throw error;
      const e = unavailable(what, error);
      health.fail(e);
      throw e;
    }
  };

  // One fsync of the WAL at a time; whoever asks while one runs shares the next (a sync started before a commit does not cover it).
  let syncing = false;
  let inFlight: Promise<void> = Promise.resolve();
  let queued: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  const startSync = () => {
    const waiting = queued!;
    queued = undefined;
    syncing = true;
    const dirFirst = dirSynced ? Promise.resolve() : fsyncOffLoop(dir).then(() => void (dirSynced = true));
    inFlight = dirFirst
      .then(() => options.fsync(wal))
      .then(
        () => {
          health.ok();
          waiting.resolve();
        },
        (error: unknown) => waiting.reject(error),
      )
      .finally(() => {
        syncing = false;
        if (queued) startSync();
      });
  };
  /** Resolves once everything committed before the call is on disk; a failed fsync rejects with StoreUnavailableError. */
  const synced = (what: string): Promise<void> => {
    let waiting = queued;
    if (!waiting) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      queued = waiting = { promise, resolve, reject };
      if (!syncing) startSync();
    }
    return waiting.promise.catch((error: unknown) => {
      const e = unavailable(what, error);
      health.fail(e);
      throw e;
    });
  };
  /** `write`, resolved once the commit is on disk. */
  const durable = async <T>(what: string, fn: () => T): Promise<T> => {
    const result = write(what, fn);
    await synced(what);
    return result;
  };
  const read = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (!isFault(error)) throw error;
      throw unavailable(what, error);
    }
  };

  let queue: Pending[] = [];
  let closed = false;
  // A batch is being committed and synced: what arrives meanwhile waits for the next batch.
  let flushing = false;
  let whenIdle: Array<() => void> = [];
  /**
   * Commits every queued write in one transaction and settles them once it is on disk: all of them with the error
   * when the commit or the fsync fails. A write that fails alone (a bug) is rolled back alone.
   */
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      write('write', () => {
        const inserted: AnswerRecord[] = [];
        for (const p of batch) {
          try {
            if (p.answer) {
              if (insertAnswer(p.answer)) inserted.push(p.answer);
            } else db.transaction(p.run!)(); // a savepoint inside the batch's transaction
          } catch (error) {
            if (isFault(error)) throw error;
            p.error = error;
          }
        }
        countAnswers(inserted);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return flushNext();
    }
    synced('write')
      .then(
        () => {
          for (const p of batch) {
            if (p.error === undefined) p.resolve();
            else p.reject(p.error);
          }
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(flushNext);
  };
  const flushNext = () => {
    if (queue.length) return void setImmediate(flush);
    flushing = false;
    for (const idle of whenIdle) idle();
    whenIdle = [];
  };
  const enqueue = (item: Pick<Pending, 'run' | 'answer'>) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error(`Store: ${file} is closed`));
      // Not `{ ...item, resolve, reject }`: adding fields to a spread copy took V8 ~3 us, per answer stored.
      queue.push({ run: item.run, answer: item.answer, resolve, reject });
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    });

  const health = new HealthState(() => durable('probe', () => void stmt.setMeta.run('probe', options.now().toISOString())), options.probeIntervalMs, logger);

  const sink: ImportSink = {
    imported: async (name) => stmt.getMeta.get(`imported:${name}`) !== undefined,
    markImported: (name, summary) => durable('import', () => void stmt.setMeta.run(`imported:${name}`, JSON.stringify(summary))),
    answers: (batch) => durable('import', () => writeAnswers(batch)),
    feedback: (batch) => durable('import', () => batch.filter(writeFeedback).length),
  };

  const forget = async () => {
    // Delivered webhook events hold a ticket's text the receiver already has: kept a day, whatever the retention.
    const delivered = new Date(options.now().getTime() - DELIVERED_KEEP_MS).toISOString();
    for (let changes = 1; changes > 0 && !closed;) {
      changes = write('prune the webhook outbox', () => stmt.pruneDelivered.run(delivered).changes);
      await new Promise((next) => setImmediate(next));
    }
    const cutoff = retentionCutoff(options);
    if (!cutoff || closed) return;
    let forgotten = 0;
    for (const s of [stmt.forgetQuestions, stmt.forgetComments, stmt.forgetTickets, stmt.forgetDead]) {
      for (let changes = 1; changes > 0 && !closed; forgotten += changes) {
        changes = write('apply retention', () => s.run(cutoff).changes);
        await new Promise((next) => setImmediate(next)); // let requests in between batches
      }
    }
    if (forgotten > 0) logger.info({ forgotten, before: cutoff }, 'store: retention forgot old question texts and comments');
  };
  const retention = setInterval(
    () => void forget().catch((err: unknown) => logger.error({ err }, 'store: retention failed')),
    options.retentionIntervalMs,
  ).unref();

  const rows = (s: Database.Statement, ...params: unknown[]) => read('compute insights', () => s.all(...params) as Record<string, unknown>[]);
  const insights = async (query: InsightsQuery) =>
    assembleInsights(
      rows(stmt.answerCounts).map(q.answerCountFromRow),
      rows(stmt.feedbackCounts).map(q.feedbackCountFromRow),
      query,
      async (lang, topicId, limit) => ({
        notFound: rows(stmt.notFoundExamples, lang, topicId, limit).map(q.notFoundExample),
        unhelpful: rows(stmt.unhelpfulExamples, lang, topicId, limit).map(q.unhelpfulExample),
      }),
    );

  const opened = (async () => {
    if (options.importDir) await importJsonl(options.importDir, sink, logger);
    await forget();
    // Reads the pages /insights needs into the page cache before the store says ready, so the first
    // /insights on a large store costs what the next ones do (a cold one reads ~35 pages per gap).
    await insights({ examples: 5 });
  })().then(
    () => health.ok(),
    (err: unknown) => {
      // The database itself works: serve, and try the import again at the next start.
      logger.error({ err }, 'store: import or retention at start failed');
      health.ok();
    },
  );

  return {
    async recordAnswer(record) {
      const r = checkedAnswer(record);
      await opened;
      return enqueue({ answer: r });
    },
    async getAnswer(id) {
      await opened;
      const row = read('read an answer', () => stmt.getAnswer.get(id) as Record<string, unknown> | undefined);
      return row && q.answerFromRow(row);
    },
    async addFeedback(record) {
      const r = checkedFeedback(record);
      await opened;
      return enqueue({ run: () => void writeFeedback(r) });
    },
    async getFeedback(id) {
      await opened;
      const row = read('read feedback', () => stmt.getFeedback.get(id) as Record<string, unknown> | undefined);
      return row && q.feedbackFromRow(row);
    },
    async insights(query) {
      await opened;
      return insights(query);
    },
    async createTicket(ticket, event) {
      const t = checkedTicket(ticket);
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      await durable('create a ticket', () => {
        stmt.insertTicket.run(...ticketParams(t));
        if (event) stmt.insertOutbox.run(...outboxParams(event(t)));
      });
    },
    async getTicket(id) {
      await opened;
      const row = read('read a ticket', () => stmt.getTicket.get(id) as Record<string, unknown> | undefined);
      return row && ticketFromRow(row);
    },
    async actOnTicket(id, action, event) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      const { name, params } = actionStatement(id, action);
      return durable('update a ticket', () => {
        const changed = stmt[name].run(...params).changes > 0;
        const row = stmt.getTicket.get(id) as Record<string, unknown> | undefined;
        if (!row) return { outcome: 'unknown' as const };
        const ticket = ticketFromRow(row);
        if (changed && event) stmt.insertOutbox.run(...outboxParams(event(ticket)));
        return { outcome: changed ? ('done' as const) : ('resolved' as const), ticket };
      });
    },
    async enqueueOutbox(event) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      await durable('queue an outbox event', () => stmt.insertOutbox.run(...outboxParams(event)));
    },
    async claimOutbox(query) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      return durable('claim outbox events', () => (stmt.claimOutbox.all(...claimParams(query)) as Record<string, unknown>[]).map(deliveryFromRow));
    },
    async settleOutbox(id, outcome) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      const { name, params } = settleStatement(id, outcome);
      await durable('settle a webhook event', () => stmt[name].run(...params));
    },
    async outboxState(target = 'webhook') {
      await opened;
      return outboxStateFromRows(read('read the outbox', () => stmt.outboxState.all(target) as Record<string, unknown>[]));
    },
    async listTickets(query) {
      await opened;
      const list = query.knowledgeBase
        ? rows(stmt.ticketsForKnowledgeBase, query.limit)
        : query.status
          ? rows(stmt.ticketsByStatus, query.status, query.limit)
          : rows(stmt.ticketsNewest, query.limit);
      return list.map(ticketFromRow).filter((t: TicketRecord) => !query.status || t.status === query.status);
    },
    async setTicketCard(id, card) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      return durable('record a ticket card', () => stmt.setTicketCard.run(card, id).changes > 0);
    },
    async getAddress(name) {
      await opened;
      return read('read an address', () => stmt.getAddress.pluck().get(name) as string | undefined);
    },
    async setAddress(name, address, at) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      await durable('keep an address', () => (address === undefined ? stmt.deleteAddress.run(name) : stmt.setAddress.run(name, address, at)));
    },
    async dashboard(query) {
      await opened;
      return assembleDashboard({
        days: rows(stmt.answerDays, query.since),
        feedback: rows(stmt.feedbackCounts).map(q.feedbackCountFromRow),
        unanswered: rows(stmt.unanswered, query.unanswered),
        opened: rows(stmt.ticketsOpenedByDay, query.since),
        resolved: rows(stmt.ticketsResolvedSince, query.since),
        statuses: rows(stmt.ticketsByStatusCount),
      });
    },
    health: () => health.get(),
    async close() {
      if (closed) return;
      await opened;
      while (flushing) await new Promise<void>((idle) => whenIdle.push(idle));
      closed = true;
      clearInterval(retention);
      health.stop();
      while (syncing) await inFlight;
      closeSync(wal);
      closeSync(dir);
      db.close();
    },
  };
}
