import pg from 'pg';
import { HealthState, unavailable } from './health.ts';
import { importJsonl, type ImportSink } from './import.ts';
import { assembleInsights } from './insights.ts';
import { checkedAnswer, checkedFeedback } from './records.ts';
import { DATABASE_STORE_DEFAULTS, retentionCutoff, type DatabaseStoreOptions } from './sqlite.ts';
import * as q from './sql.ts';
import { claimParams, DELIVERED_KEEP_MS, deliveryFromRow, outboxParams, outboxStateFromRows, settleStatement } from './outbox.ts';
import { actionStatement, assembleDashboard, checkedTicket, ticketFromRow, ticketParams } from './tickets.ts';
import type { AnswerRecord, FeedbackRecord, Store } from './types.ts';

/** The same queries as SQLite, with PostgreSQL's `$n` parameters. */
const SQL = Object.fromEntries(Object.entries(q.SQL).map(([k, sql]) => [k, q.numbered(sql)])) as Record<keyof typeof q.SQL, string>;

/** Any advisory-lock key will do, as long as every replica uses the same one. */
const MIGRATION_LOCK = 7_410_010;

/**
 * SQLSTATE classes that mean "the query or the record is wrong" (a bug: answer 500); everything else,
 * including errors with no SQLSTATE (refused or dropped connections, timeouts), means "try again later".
 */
function isFault(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return !(typeof code === 'string' && /^(22|23|42)/.test(code));
}

type Client = pg.PoolClient;
type Row = Record<string, unknown>;

/**
 * The store for several replicas: one PostgreSQL database, the same schema and queries as SQLite.
 * Each write is its own transaction; it resolves after COMMIT (synchronous_commit: on, the default).
 */
export function createPostgresStore(url: string, overrides: Partial<DatabaseStoreOptions> = {}): Store {
  const options = { ...DATABASE_STORE_DEFAULTS, ...overrides };
  const { logger } = options;
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 3000, query_timeout: 10_000 });
  // A connection dropped by the server (restart, failover), idle or checked out, must not crash the
  // process: the query on it fails (and is answered 503), the pool opens a new one next time.
  pool.on('error', (err) => logger.warn({ err }, 'store: an idle PostgreSQL connection was closed'));
  pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err }, 'store: a PostgreSQL connection was closed')));
  let closed = false;

  const fault = (what: string, error: unknown) => {
    if (!isFault(error)) return error;
    const e = unavailable(what, error);
    health.fail(e);
    return e;
  };
  /** Runs `fn` in one transaction; resolves after COMMIT. */
  const tx = async <T>(what: string, fn: (c: Client) => Promise<T>): Promise<T> => {
    if (closed) throw new Error('Store: the PostgreSQL store is closed');
    let client: Client;
    try {
      client = await pool.connect();
    } catch (error) {
      throw fault(what, error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      health.ok();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw fault(what, error);
    } finally {
      client.release(broken);
    }
  };
  const rows = async (what: string, sql: string, params: unknown[] = []): Promise<Row[]> => {
    try {
      return (await pool.query(sql, params)).rows as Row[];
    } catch (error) {
      throw fault(what, error);
    }
  };

  const writeAnswer = async (c: Client, r: AnswerRecord): Promise<boolean> => {
    if ((await c.query(SQL.insertAnswer, q.answerParams(r))).rowCount === 0) return false;
    const { counts, days } = q.answerCounts([r]);
    for (const params of counts) await c.query(SQL.countAnswer, params);
    for (const params of days) await c.query(SQL.countDay, params);
    return true;
  };
  const writeFeedback = async (c: Client, r: FeedbackRecord): Promise<boolean> => {
    const answer = (await c.query(SQL.answerKey, [r.answerId])).rows[0] as q.AnswerKeyRow | undefined;
    if ((await c.query(SQL.insertFeedback, q.feedbackParams(r, answer))).rowCount === 0) return false;
    // One vote per answer: this one replaces the standing one, whose count moves here.
    for (const replaced of (await c.query(SQL.supersedeFeedback, q.supersedeParams(r))).rows as Row[]) {
      const params = q.uncountParams(replaced);
      if (params) await c.query(SQL.uncountFeedback, params);
    }
    if (answer) await c.query(SQL.countFeedback, q.feedbackCountParams(r, answer));
    return true;
  };
  const each = async <T>(c: Client, batch: T[], write: (c: Client, r: T) => Promise<boolean>) => {
    let added = 0;
    for (const r of batch) if (await write(c, r)) added++;
    return added;
  };

  const migrate = () =>
    tx('migrate', async (c) => {
      // Replicas starting together: one migrates, the others wait here and then find nothing to do.
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(SQL.createMigrations);
      const applied = new Set((await c.query(SQL.appliedVersions)).rows.map((r: Row) => Number(r.version)));
      for (const m of q.MIGRATIONS) {
        if (applied.has(m.version)) continue;
        for (const statement of m.statements) await c.query(statement);
        await c.query(SQL.markApplied, [m.version, new Date().toISOString()]);
      }
    });

  const sink: ImportSink = {
    imported: async (name) => (await rows('import', SQL.getMeta, [`imported:${name}`])).length > 0,
    markImported: (name, summary) => tx('import', async (c) => void (await c.query(SQL.setMeta, [`imported:${name}`, JSON.stringify(summary)]))),
    answers: (batch) => tx('import', (c) => each(c, batch, writeAnswer)),
    feedback: (batch) => tx('import', (c) => each(c, batch, writeFeedback)),
  };

  const forget = async () => {
    // Delivered webhook events hold a ticket's text the receiver already has: kept a day, whatever the retention.
    const delivered = new Date(options.now().getTime() - DELIVERED_KEEP_MS).toISOString();
    for (let changes = 1; changes > 0 && !closed;) {
      changes = await tx('prune the webhook outbox', async (c) => (await c.query(SQL.pruneDelivered, [delivered])).rowCount ?? 0);
    }
    const cutoff = retentionCutoff(options);
    if (!cutoff) return;
    let forgotten = 0;
    for (const sql of [SQL.forgetQuestions, SQL.forgetComments, SQL.forgetTickets, SQL.forgetDead]) {
      for (let changes = 1; changes > 0 && !closed; forgotten += changes) {
        changes = await tx('apply retention', async (c) => (await c.query(sql, [cutoff])).rowCount ?? 0);
      }
    }
    if (forgotten > 0) logger.info({ forgotten, before: cutoff }, 'store: retention forgot old question texts and comments');
  };
  const retention = setInterval(
    () => void forget().catch((err: unknown) => logger.error({ err }, 'store: retention failed')),
    options.retentionIntervalMs,
  ).unref();

  // Started at once and again on demand while the database cannot be reached, so a replica that
  // starts before its database becomes ready by itself.
  let opening: Promise<void> | undefined;
  const opened = () =>
    (opening ??= (async () => {
      await migrate();
      if (options.importDir) await importJsonl(options.importDir, sink, logger);
      await forget();
      health.ok();
    })().catch((error: unknown) => {
      opening = undefined;
      throw error;
    }));
  const health = new HealthState(
    () => opened().then(() => tx('probe', async (c) => void (await c.query(SQL.setMeta, ['probe', options.now().toISOString()])))),
    options.probeIntervalMs,
    logger,
  );
  opened().catch(() => {}); // the failure is logged by health; requests retry

  return {
    async recordAnswer(record) {
      const r = checkedAnswer(record);
      await opened();
      await tx('record an answer', (c) => writeAnswer(c, r));
    },
    async getAnswer(id) {
      await opened();
      const [row] = await rows('read an answer', SQL.getAnswer, [id]);
      return row && q.answerFromRow(row);
    },
    async addFeedback(record) {
      const r = checkedFeedback(record);
      await opened();
      await tx('record feedback', (c) => writeFeedback(c, r));
    },
    async getFeedback(id) {
      await opened();
      const [row] = await rows('read feedback', SQL.getFeedback, [id]);
      return row && q.feedbackFromRow(row);
    },
    async insights(query) {
      await opened();
      const [answerCounts, feedbackCounts] = await Promise.all([rows('compute insights', SQL.answerCounts), rows('compute insights', SQL.feedbackCounts)]);
      return assembleInsights(answerCounts.map(q.answerCountFromRow), feedbackCounts.map(q.feedbackCountFromRow), query, async (lang, topicId, limit) => {
        const [notFound, unhelpful] = await Promise.all([
          rows('compute insights', SQL.notFoundExamples, [lang, topicId, limit]),
          rows('compute insights', SQL.unhelpfulExamples, [lang, topicId, limit]),
        ]);
        return { notFound: notFound.map(q.notFoundExample), unhelpful: unhelpful.map(q.unhelpfulExample) };
      });
    },
    async createTicket(ticket, event) {
      const t = checkedTicket(ticket);
      await opened();
      await tx('create a ticket', async (c) => {
        await c.query(SQL.insertTicket, ticketParams(t));
        if (event) await c.query(SQL.insertOutbox, outboxParams(event(t)));
      });
    },
    async getTicket(id) {
      await opened();
      const [row] = await rows('read a ticket', SQL.getTicket, [id]);
      return row && ticketFromRow(row);
    },
    async actOnTicket(id, action, event) {
      await opened();
      const { name, params } = actionStatement(id, action);
      return tx('update a ticket', async (c) => {
        const changed = ((await c.query(SQL[name], params)).rowCount ?? 0) > 0;
        const row = (await c.query(SQL.getTicket, [id])).rows[0] as Row | undefined;
        if (!row) return { outcome: 'unknown' as const };
        const ticket = ticketFromRow(row);
        if (changed && event) await c.query(SQL.insertOutbox, outboxParams(event(ticket)));
        return { outcome: changed ? ('done' as const) : ('resolved' as const), ticket };
      });
    },
    async enqueueOutbox(event) {
      await opened();
      await tx('queue an outbox event', (c) => c.query(SQL.insertOutbox, outboxParams(event)));
    },
    async claimOutbox(query) {
      await opened();
      return tx('claim outbox events', async (c) => (await c.query(SQL.claimOutbox, claimParams(query))).rows.map(deliveryFromRow));
    },
    async settleOutbox(id, outcome) {
      await opened();
      const { name, params } = settleStatement(id, outcome);
      await tx('settle a webhook event', (c) => c.query(SQL[name], params));
    },
    async outboxState(target = 'webhook') {
      await opened();
      return outboxStateFromRows(await rows('read the outbox', SQL.outboxState, [target]));
    },
    async listTickets(query) {
      await opened();
      const list = query.knowledgeBase
        ? await rows('list tickets', SQL.ticketsForKnowledgeBase, [query.limit])
        : query.status
          ? await rows('list tickets', SQL.ticketsByStatus, [query.status, query.limit])
          : await rows('list tickets', SQL.ticketsNewest, [query.limit]);
      return list.map(ticketFromRow).filter((t) => !query.status || t.status === query.status);
    },
    async setTicketCard(id, card) {
      await opened();
      return tx('record a ticket card', async (c) => ((await c.query(SQL.setTicketCard, [card, id])).rowCount ?? 0) > 0);
    },
    async getAddress(name) {
      await opened();
      const [row] = await rows('read an address', SQL.getAddress, [name]);
      return row ? String(row.address) : undefined;
    },
    async setAddress(name, address, at) {
      await opened();
      await tx('keep an address', (c) => (address === undefined ? c.query(SQL.deleteAddress, [name]) : c.query(SQL.setAddress, [name, address, at])));
    },
    async dashboard(query) {
      await opened();
      const what = 'read the dashboard';
      const [days, feedback, unanswered, opened_, resolved, statuses] = await Promise.all([
        rows(what, SQL.answerDays, [query.since]),
        rows(what, SQL.feedbackCounts),
        rows(what, SQL.unanswered, [query.unanswered]),
        rows(what, SQL.ticketsOpenedByDay, [query.since]),
        rows(what, SQL.ticketsResolvedSince, [query.since]),
        rows(what, SQL.ticketsByStatusCount),
      ]);
      return assembleDashboard({ days, feedback: feedback.map(q.feedbackCountFromRow), unanswered, opened: opened_, resolved, statuses });
    },
    health: () => health.get(),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(retention);
      health.stop();
      await opening?.catch(() => {});
      await pool.end();
    },
  };
}
