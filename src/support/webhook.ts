/**
 * Ticket events to a configurable URL (ServiceNow, Jira, a Teams workflow), as JSON signed with HMAC-SHA256:
 * `X-Stepwise-Signature-256: sha256=<hex HMAC of the raw body with the shared secret>`.
 *
 * Durable: every event is a row of the store's outbox, committed in the same transaction as the ticket change
 * (`withEvents`), before the change is acknowledged. A sender claims due rows, posts them, and marks each
 * delivered, due again after a backoff, or dead (counted in /metrics, logged). Pending events survive a restart
 * and are sent by the next process; an event can arrive more than once (a process that stops between the
 * receiver's 2xx and the commit of "delivered"): receivers de-duplicate by `X-Stepwise-Delivery`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutboxDelivery, OutboxEvent, OutboxStore } from '../store/outbox.ts';
import type { Store, TicketAction, TicketRecord } from '../store/types.ts';
import { expertView } from './tickets.ts';

/** Ticket event types, one per change. */
export type TicketEventType = 'ticket.created' | 'ticket.assigned' | 'ticket.resolved' | 'ticket.knowledge_base';

/** The JSON body posted to the webhook. */
export interface TicketEvent {
  /** Unique per event; also the `X-Stepwise-Delivery` header (a receiver de-duplicates retries by it). */
  id: string;
  type: TicketEventType;
  at: string;
  ticket: Record<string, unknown>;
}

const EVENT: Record<TicketAction['kind'], TicketEventType> = { assign: 'ticket.assigned', resolve: 'ticket.resolved', knowledgeBase: 'ticket.knowledge_base' };

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Where the events are kept: the same store the tickets are in. */
  store: OutboxStore;
  /** Attempts per event, the first included. */
  attempts: number;
  /** Wait before the first retry; doubled each retry up to maxBackoffMs (a Retry-After from the receiver wins if longer). */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long one attempt may take. */
  timeoutMs: number;
  /** How long a claimed event is this process's: after a crash, another process (or the next start) sends it once this has passed. */
  leaseMs: number;
  /** How often the outbox is looked at when nothing of this process's is due sooner (events committed by other replicas). */
  pollMs: number;
  registry?: Registry;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  fetch?: typeof fetch;
  newId?: () => string;
  now?: () => Date;
}

export const WEBHOOK_DEFAULTS = { attempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 5000, leaseMs: 15_000, pollMs: 5000 } as const;

/** Events claimed per look at the outbox (sent in parallel). */
const BATCH = 20;

/** The signature header's value for a body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The outbox row for a ticket as it is after a change: the expert's view, never the token hash. */
export function ticketEvent(type: TicketEventType, ticket: TicketRecord, id: string): OutboxEvent {
  const at = type === 'ticket.created' ? ticket.at : ticket.updatedAt;
  const event: TicketEvent = { id, type, at, ticket: expertView(ticket) };
  return { id, type, at, body: JSON.stringify(event) };
}

/** Sends the store's outbox in the background. */
export interface Webhook {
  /** The store whose ticket changes each commit their event with them: give it to every channel that changes tickets. */
  withEvents(store: Store): Store;
  /** Looks at the outbox now (an event was just committed). */
  nudge(): void;
  /** Resolves once no event is pending or being sent (tests). */
  idle(): Promise<void>;
  /** Stops sending: an attempt in flight is cut off and stays pending for the next start. */
  close(): Promise<void>;
}

/** Statuses worth retrying: timeouts, rate limits and server faults; any other 4xx is the receiver refusing the event. */
const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/** Creates the sender and starts it: events left pending by an earlier process are sent at once. */
export function createWebhook(overrides: Partial<WebhookOptions> & Pick<WebhookOptions, 'url' | 'secret' | 'store'>): Webhook {
  const o = { ...WEBHOOK_DEFAULTS, ...overrides };
  const { store } = o;
  const doFetch = o.fetch ?? fetch;
  const newId = o.newId ?? randomUUID;
  const now = o.now ?? (() => new Date());
  const registers = o.registry ? [o.registry] : [];
  const attemptsTotal = new Counter({
    name: 'stepwise_webhook_attempts_total',
    help: 'Ticket webhook delivery attempts by result (delivered, retry, refused, failed).',
    labelNames: ['result'],
    registers,
  });
  const deadLetters = new Counter({
    name: 'stepwise_webhook_dead_letters_total',
    help: 'Ticket events this process gave up on after every attempt failed (or refused by the receiver).',
    registers,
  });
  new Gauge({
    name: 'stepwise_webhook_outbox_events',
    help: 'Ticket events in the outbox by status: pending (waiting for an attempt) and dead (given up on, kept for QUESTION_RETENTION_DAYS).',
    labelNames: ['status'],
    registers,
    async collect() {
      const state = await store.outboxState().catch(() => undefined);
      if (!state) return;
      this.set({ status: 'pending' }, state.pending);
      this.set({ status: 'dead' }, state.dead);
    },
  });
  const stopping = new AbortController();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  /** One attempt: 'ok', 'refused' (do not retry) or why it failed and how long the receiver asks to wait. */
  const attempt = async (event: OutboxDelivery): Promise<'ok' | 'refused' | { retryAfterMs?: number; reason: string }> => {
    try {
      const res = await doFetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'stepwise-webhook/1',
          'x-stepwise-event': event.type,
          'x-stepwise-delivery': event.id,
          'x-stepwise-signature-256': webhookSignature(o.secret, event.body),
        },
        body: event.body,
        signal: AbortSignal.any([AbortSignal.timeout(o.timeoutMs), stopping.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'ok';
      if (!retryable(res.status)) return 'refused';
      const after = Number(res.headers.get('retry-after'));
      return { reason: `HTTP ${res.status}`, ...(after > 0 ? { retryAfterMs: Math.min(after * 1000, o.maxBackoffMs) } : {}) };
    } catch (err) {
      return { reason: (err as Error).message };
    }
  };

  /** Sends one claimed event and records how it went; a failure to record leaves it to the lease (sent again). */
  const deliver = async (event: OutboxDelivery): Promise<void> => {
    const result = await attempt(event);
    const at = now();
    try {
      if (result === 'ok') {
        attemptsTotal.inc({ result: 'delivered' });
        return await store.settleOutbox(event.id, { kind: 'delivered', at: at.toISOString() });
      }
      if (closed && result !== 'refused') return await store.settleOutbox(event.id, { kind: 'retry', nextAt: at.toISOString(), error: 'stopped' });
      const reason = result === 'refused' ? 'refused by the receiver (4xx)' : result.reason;
      const last = result === 'refused' || event.attempts >= o.attempts;
      attemptsTotal.inc({ result: result === 'refused' ? 'refused' : last ? 'failed' : 'retry' });
      if (last) {
        deadLetters.inc();
        o.logger?.error({ event: event.id, type: event.type, attempts: event.attempts, reason }, 'webhook: event dead-lettered');
        return await store.settleOutbox(event.id, { kind: 'dead', at: at.toISOString(), error: reason });
      }
      const backoff = Math.max(Math.min(o.backoffMs * 2 ** (event.attempts - 1), o.maxBackoffMs), typeof result === 'object' ? (result.retryAfterMs ?? 0) : 0);
      o.logger?.warn({ event: event.id, attempt: event.attempts, reason }, 'webhook: delivery failed, will retry');
      await store.settleOutbox(event.id, { kind: 'retry', nextAt: new Date(at.getTime() + backoff).toISOString(), error: reason });
    } catch (err) {
      o.logger?.warn({ err, event: event.id }, 'webhook: could not record a delivery attempt (the event will be sent again)');
    }
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!closed) timer = setTimeout(nudge, Math.max(0, ms)).unref();
  };

  /** Claims and sends due events until none is due, then sleeps until the next one is (or pollMs). */
  const pump = async () => {
    try {
      do {
        again = false;
        for (let batch: OutboxDelivery[]; !closed;) {
          const t = now();
          batch = await store.claimOutbox({ now: t.toISOString(), leaseUntil: new Date(t.getTime() + o.leaseMs).toISOString(), limit: BATCH });
          if (batch.length === 0) break;
          await Promise.all(batch.map(deliver));
        }
      } while (again && !closed);
      const { nextDue } = await store.outboxState();
      schedule(nextDue ? Math.min(Date.parse(nextDue) - now().getTime(), o.pollMs) : o.pollMs);
    } catch (err) {
      o.logger?.warn({ err }, 'webhook: the outbox could not be read, will look again');
      schedule(o.pollMs);
    }
  };

  function nudge(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = pump().finally(() => (running = undefined));
  }

  nudge();

  return {
    withEvents(inner) {
      return {
        ...inner,
        async createTicket(ticket, event) {
          await inner.createTicket(ticket, event ?? ((t) => ticketEvent('ticket.created', t, newId())));
          nudge();
        },
        async actOnTicket(id, action, event) {
          const result = await inner.actOnTicket(id, action, event ?? ((t) => ticketEvent(EVENT[action.kind], t, newId())));
          if (result.outcome === 'done') nudge();
          return result;
        },
      };
    },
    nudge,
    async idle() {
      for (;;) {
        if (running) await running;
        const { pending } = await store.outboxState();
        if (pending === 0 && !running) return;
        await new Promise((done) => setTimeout(done, 10));
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      stopping.abort();
      await running;
    },
  };
}
