import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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

/** One queued write: runs inside the batch's transaction; settles after the commit. */
interface Pending {
  run: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
  error?: unknown;
}

/** Opens (creating and migrating) the SQLite file; WAL so readers never wait for the writer. */
function openDatabase(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: the WAL is fsynced at every commit, so an acknowledged record survives a power cut
  // (NORMAL only promises that for the last checkpoint). Group commit below keeps the cost to one fsync per batch.
  db.pragma('synchronous = FULL');
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

/**
 * The embedded default store: one SQLite file in WAL mode. Writes made in the same tick are
 * committed together (one fsync) and each resolves only after that commit.
 */
export function createSqliteStore(file: string, overrides: Partial<DatabaseStoreOptions> = {}): Store {
  const options = { ...DATABASE_STORE_DEFAULTS, ...overrides };
  const { logger } = options;
  const db = openDatabase(file);
  const stmt = Object.fromEntries(Object.entries(q.SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Record<keyof typeof q.SQL, Database.Statement>;

  const writeAnswer = (r: AnswerRecord): boolean => {
    if (stmt.insertAnswer.run(...q.answerParams(r)).changes === 0) return false;
    stmt.countAnswer.run(...q.answerCountParams(r));
    stmt.countDay.run(r.at.slice(0, 10), r.lang, r.status);
    return true;
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
  /** Runs `fn` in one write transaction, turning a database fault into StoreUnavailableError. */
  const write = <T>(what: string, fn: () => T): T => {
    try {
      const result = db.transaction(fn).immediate();
      health.ok();
      return result;
    } catch (error) {
      if (!isFault(error)) throw error;
      const e = unavailable(what, error);
      health.fail(e);
      throw e;
    }
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
  /** Commits every queued write in one transaction; a write that fails alone (a bug) is rolled back alone. */
  const flush = () => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      write('write', () => {
        for (const p of batch) {
          try {
            db.transaction(p.run)(); // a savepoint inside the batch's transaction
          } catch (error) {
            if (isFault(error)) throw error;
            p.error = error;
          }
        }
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    for (const p of batch) {
      if (p.error === undefined) p.resolve();
      else p.reject(p.error);
    }
  };
  const enqueue = (run: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error(`Store: ${file} is closed`));
      if (queue.push({ run, resolve, reject }) === 1) setImmediate(flush);
    });

  const health = new HealthState(
    async () => void write('probe', () => stmt.setMeta.run('probe', options.now().toISOString())),
    options.probeIntervalMs,
    logger,
  );

  const sink: ImportSink = {
    imported: async (name) => stmt.getMeta.get(`imported:${name}`) !== undefined,
    markImported: async (name, summary) => void write('import', () => stmt.setMeta.run(`imported:${name}`, JSON.stringify(summary))),
    answers: async (batch) => write('import', () => batch.filter(writeAnswer).length),
    feedback: async (batch) => write('import', () => batch.filter(writeFeedback).length),
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
      return enqueue(() => void writeAnswer(r));
    },
    async getAnswer(id) {
      await opened;
      const row = read('read an answer', () => stmt.getAnswer.get(id) as Record<string, unknown> | undefined);
      return row && q.answerFromRow(row);
    },
    async addFeedback(record) {
      const r = checkedFeedback(record);
      await opened;
      return enqueue(() => void writeFeedback(r));
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
      write('create a ticket', () => {
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
      return write('update a ticket', () => {
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
      write('queue an outbox event', () => stmt.insertOutbox.run(...outboxParams(event)));
    },
    async claimOutbox(query) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      return write('claim outbox events', () => (stmt.claimOutbox.all(...claimParams(query)) as Record<string, unknown>[]).map(deliveryFromRow));
    },
    async settleOutbox(id, outcome) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      const { name, params } = settleStatement(id, outcome);
      write('settle a webhook event', () => stmt[name].run(...params));
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
      return write('record a ticket card', () => stmt.setTicketCard.run(card, id).changes > 0);
    },
    async getAddress(name) {
      await opened;
      return read('read an address', () => stmt.getAddress.pluck().get(name) as string | undefined);
    },
    async setAddress(name, address, at) {
      await opened;
      if (closed) throw new Error(`Store: ${file} is closed`);
      write('keep an address', () => (address === undefined ? stmt.deleteAddress.run(name) : stmt.setAddress.run(name, address, at)));
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
      flush();
      closed = true;
      clearInterval(retention);
      health.stop();
      db.close();
    },
  };
}
