/**
 * The outbox: messages to other systems that must not be lost, each a row committed before anything that depends on
 * it is acknowledged, and sent and retried by a sender that claims due rows and settles each: delivered, retry later,
 * or dead. Each row has a target, and a sender claims only its own target's rows:
 * - `webhook`: ticket events, written in the same transaction as the ticket change they report (the sender is
 *   src/support/webhook.ts);
 * - `teams`: Teams replies and notifications the connector did not take in time (src/channels/bot/deliveries.ts).
 */
import type { TicketRecord } from './types.ts';

/** One event as committed: the body is kept exactly as it is signed and sent on every attempt. */
export interface OutboxEvent {
  /** Unique per event: the receiver's de-duplication key (X-Stepwise-Delivery). */
  id: string;
  type: string;
  at: string;
  body: string;
  /** Which sender takes it: `webhook` (the default) or `teams`. */
  target?: OutboxTarget;
  /** When it is first due (default: at once, `at`). */
  nextAt?: string;
}

/** The senders of the outbox. */
export type OutboxTarget = 'webhook' | 'teams';

/** Builds the event for a ticket as it is after the change (called inside the transaction). */
export type TicketEventBuilder = (ticket: TicketRecord) => OutboxEvent;

/** A claimed event and how many attempts it has had, this one included. */
export interface OutboxDelivery extends Omit<OutboxEvent, 'target'> {
  attempts: number;
}

/** How an attempt ended. */
export type OutboxOutcome = { kind: 'delivered'; at: string } | { kind: 'retry'; nextAt: string; error: string } | { kind: 'dead'; at: string; error: string };

/** Events waiting (pending, with the earliest due time) and given up on (dead). */
export interface OutboxState {
  pending: number;
  dead: number;
  nextDue?: string;
}

/** What every store offers the sender. */
export interface OutboxStore {
  /** Commits one event on its own (a Teams reply the connector did not take); rejects with StoreUnavailableError when it cannot. */
  enqueueOutbox(event: OutboxEvent): Promise<void>;
  /**
   * Takes up to `limit` events of `target` (default `webhook`) due at `now`: each gets one more attempt counted and is
   * not due again before `leaseUntil`, so two senders (replicas) never claim one event at once, and an event whose
   * sender died is taken again once the lease runs out.
   */
  claimOutbox(query: { now: string; leaseUntil: string; limit: number; target?: OutboxTarget }): Promise<OutboxDelivery[]>;
  settleOutbox(id: string, outcome: OutboxOutcome): Promise<void>;
  /** Pending and dead events of `target` (default `webhook`). */
  outboxState(target?: OutboxTarget): Promise<OutboxState>;
}

/** How long a delivered event is kept (its body holds the ticket's text; the receiver has it now). */
export const DELIVERED_KEEP_MS = 86_400_000;

/** The migration that adds the outbox (numbered by sql.ts). */
export const OUTBOX_MIGRATION: string[] = [
  `CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL, -- the JSON posted, byte for byte, on every attempt
    status TEXT NOT NULL, -- pending, delivered or dead
    attempts INTEGER NOT NULL,
    next_at TEXT NOT NULL, -- when it is due: after a backoff, or when a sender's claim runs out
    last_error TEXT,
    done_at TEXT
  )`,
  // The sender's "what is due" and the metrics' counts read only pending and dead rows.
  `CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_at)`,
  `CREATE INDEX webhook_outbox_done ON webhook_outbox (done_at) WHERE done_at IS NOT NULL`,
];

/**
 * The migration that gives every outbox row a target (rows before it are webhook events). The table keeps its shipped
 * name; each sender's "what is due" reads its own target's rows by the new index.
 */
export const OUTBOX_TARGET_MIGRATION: string[] = [
  `ALTER TABLE webhook_outbox ADD COLUMN target TEXT NOT NULL DEFAULT 'webhook'`,
  `DROP INDEX webhook_outbox_due`,
  `CREATE INDEX webhook_outbox_due ON webhook_outbox (target, status, next_at)`,
];

/** The outbox's queries, in the dialect of sql.ts (`?` parameters, numbered for PostgreSQL). */
export const OUTBOX_SQL = {
  insertOutbox: `INSERT INTO webhook_outbox (id, type, at, body, status, attempts, next_at, target) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
  // The outer conditions are checked again on a row another sender changed meanwhile (PostgreSQL's READ
  // COMMITTED re-check), so a row claimed by one is skipped by the other.
  claimOutbox: `UPDATE webhook_outbox SET next_at = ?, attempts = attempts + 1
    WHERE target = ? AND status = 'pending' AND next_at <= ? AND id IN
      (SELECT id FROM webhook_outbox WHERE target = ? AND status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?)
    RETURNING id, type, at, body, attempts`,
  outboxDelivered: `UPDATE webhook_outbox SET status = 'delivered', done_at = ?, last_error = NULL WHERE id = ?`,
  outboxRetry: `UPDATE webhook_outbox SET next_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
  outboxDead: `UPDATE webhook_outbox SET status = 'dead', done_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
  outboxState: `SELECT status, COUNT(*) AS n, MIN(next_at) AS next_at FROM webhook_outbox WHERE target = ? AND status IN ('pending', 'dead') GROUP BY status`,
  pruneDelivered: `DELETE FROM webhook_outbox WHERE id IN
    (SELECT id FROM webhook_outbox WHERE status = 'delivered' AND done_at < ? LIMIT 5000)`,
  forgetDead: `DELETE FROM webhook_outbox WHERE id IN
    (SELECT id FROM webhook_outbox WHERE status = 'dead' AND done_at < ? LIMIT 5000)`,
} as const;

/** Parameters of OUTBOX_SQL.insertOutbox: due at once, or at `nextAt`. */
export const outboxParams = (e: OutboxEvent) => [e.id, e.type, e.at, e.body, e.nextAt ?? e.at, e.target ?? 'webhook'];

/** Parameters of OUTBOX_SQL.claimOutbox. */
export const claimParams = (q: { now: string; leaseUntil: string; limit: number; target?: OutboxTarget }) => {
  const target = q.target ?? 'webhook';
  return [q.leaseUntil, target, q.now, target, q.now, q.limit];
};

/** The statement name and parameters that settle an event. */
export function settleStatement(id: string, o: OutboxOutcome): { name: 'outboxDelivered' | 'outboxRetry' | 'outboxDead'; params: unknown[] } {
  if (o.kind === 'delivered') return { name: 'outboxDelivered', params: [o.at, id] };
  if (o.kind === 'retry') return { name: 'outboxRetry', params: [o.nextAt, o.error.slice(0, 500), id] };
  return { name: 'outboxDead', params: [o.at, o.error.slice(0, 500), id] };
}

type Row = Record<string, unknown>;

/** A claimed row → OutboxDelivery. */
export const deliveryFromRow = (r: Row): OutboxDelivery => ({
  id: String(r.id),
  type: String(r.type),
  at: String(r.at),
  body: String(r.body),
  attempts: Number(r.attempts),
});

/** OUTBOX_SQL.outboxState's rows → OutboxState. */
export function outboxStateFromRows(rows: Row[]): OutboxState {
  const state: OutboxState = { pending: 0, dead: 0 };
  for (const r of rows) {
    if (r.status === 'pending') {
      state.pending = Number(r.n);
      if (r.next_at !== null && r.next_at !== undefined) state.nextDue = String(r.next_at);
    } else if (r.status === 'dead') state.dead = Number(r.n);
  }
  return state;
}

/** The outbox of the memory store: the same behaviour over a Map. */
export function createMemoryOutbox(): OutboxStore & { add(event: OutboxEvent): void } {
  const rows = new Map<string, OutboxDelivery & { status: 'pending' | 'delivered' | 'dead'; nextAt: string; target: OutboxTarget }>();
  const add = (e: OutboxEvent) => {
    if (rows.has(e.id)) throw new Error(`Store: outbox event ${JSON.stringify(e.id)} already exists`);
    rows.set(e.id, { id: e.id, type: e.type, at: e.at, body: e.body, target: e.target ?? 'webhook', status: 'pending', attempts: 0, nextAt: e.nextAt ?? e.at });
  };
  return {
    add,
    async enqueueOutbox(e) {
      add(e);
    },
    async claimOutbox({ now, leaseUntil, limit, target = 'webhook' }) {
      const due = [...rows.values()]
        .filter((r) => r.target === target && r.status === 'pending' && r.nextAt <= now)
        .sort((x, y) => (x.nextAt < y.nextAt ? -1 : x.nextAt > y.nextAt ? 1 : x.id < y.id ? -1 : 1))
        .slice(0, limit);
      return due.map((r) => {
        r.attempts++;
        r.nextAt = leaseUntil;
        return { id: r.id, type: r.type, at: r.at, body: r.body, attempts: r.attempts };
      });
    },
    async settleOutbox(id, o) {
      const r = rows.get(id);
      if (!r) return;
      if (o.kind === 'delivered') r.status = 'delivered';
      else if (r.status === 'pending') {
        if (o.kind === 'retry') r.nextAt = o.nextAt;
        else r.status = 'dead';
      }
    },
    async outboxState(target = 'webhook') {
      const mine = [...rows.values()].filter((r) => r.target === target);
      const pending = mine.filter((r) => r.status === 'pending');
      const nextDue = pending.map((r) => r.nextAt).sort()[0];
      return { pending: pending.length, dead: mine.filter((r) => r.status === 'dead').length, ...(nextDue ? { nextDue } : {}) };
    },
  };
}
