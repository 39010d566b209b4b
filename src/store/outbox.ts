/**
 * The webhook outbox: each ticket event is a row written in the same transaction as the ticket change it
 * reports, so an acknowledged change always has its event, and a restart loses none. The sender
 * (src/support/webhook.ts) claims due rows, sends them and settles each: delivered, retry later, or dead.
 */
import type { TicketRecord } from './types.ts';

/** One event as committed: the body is kept exactly as it is signed and sent on every attempt. */
export interface OutboxEvent {
  /** Unique per event: the receiver's de-duplication key (X-Stepwise-Delivery). */
  id: string;
  type: string;
  at: string;
  body: string;
}

/** Builds the event for a ticket as it is after the change (called inside the transaction). */
export type TicketEventBuilder = (ticket: TicketRecord) => OutboxEvent;

/** A claimed event and how many attempts it has had, this one included. */
export interface OutboxDelivery extends OutboxEvent {
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
  /**
   * Takes up to `limit` events due at `now`: each gets one more attempt counted and is not due again before
   * `leaseUntil`, so two senders (replicas) never claim one event at once, and an event whose sender died is
   * taken again once the lease runs out.
   */
  claimOutbox(query: { now: string; leaseUntil: string; limit: number }): Promise<OutboxDelivery[]>;
  settleOutbox(id: string, outcome: OutboxOutcome): Promise<void>;
  outboxState(): Promise<OutboxState>;
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

/** The outbox's queries, in the dialect of sql.ts (`?` parameters, numbered for PostgreSQL). */
export const OUTBOX_SQL = {
  insertOutbox: `INSERT INTO webhook_outbox (id, type, at, body, status, attempts, next_at) VALUES (?, ?, ?, ?, 'pending', 0, ?)`,
  // The outer conditions are checked again on a row another sender changed meanwhile (PostgreSQL's READ
  // COMMITTED re-check), so a row claimed by one is skipped by the other.
  claimOutbox: `UPDATE webhook_outbox SET next_at = ?, attempts = attempts + 1
    WHERE status = 'pending' AND next_at <= ? AND id IN
      (SELECT id FROM webhook_outbox WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?)
    RETURNING id, type, at, body, attempts`,
  outboxDelivered: `UPDATE webhook_outbox SET status = 'delivered', done_at = ?, last_error = NULL WHERE id = ?`,
  outboxRetry: `UPDATE webhook_outbox SET next_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
  outboxDead: `UPDATE webhook_outbox SET status = 'dead', done_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
  outboxState: `SELECT status, COUNT(*) AS n, MIN(next_at) AS next_at FROM webhook_outbox WHERE status IN ('pending', 'dead') GROUP BY status`,
  pruneDelivered: `DELETE FROM webhook_outbox WHERE id IN
    (SELECT id FROM webhook_outbox WHERE status = 'delivered' AND done_at < ? LIMIT 5000)`,
  forgetDead: `DELETE FROM webhook_outbox WHERE id IN
    (SELECT id FROM webhook_outbox WHERE status = 'dead' AND done_at < ? LIMIT 5000)`,
} as const;

/** Parameters of OUTBOX_SQL.insertOutbox: due at once. */
export const outboxParams = (e: OutboxEvent) => [e.id, e.type, e.at, e.body, e.at];

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
  const rows = new Map<string, OutboxDelivery & { status: 'pending' | 'delivered' | 'dead'; nextAt: string }>();
  return {
    add(e) {
      if (rows.has(e.id)) throw new Error(`Store: outbox event ${JSON.stringify(e.id)} already exists`);
      rows.set(e.id, { ...e, status: 'pending', attempts: 0, nextAt: e.at });
    },
    async claimOutbox({ now, leaseUntil, limit }) {
      const due = [...rows.values()]
        .filter((r) => r.status === 'pending' && r.nextAt <= now)
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
    async outboxState() {
      const pending = [...rows.values()].filter((r) => r.status === 'pending');
      const nextDue = pending.map((r) => r.nextAt).sort()[0];
      return { pending: pending.length, dead: [...rows.values()].filter((r) => r.status === 'dead').length, ...(nextDue ? { nextDue } : {}) };
    },
  };
}
