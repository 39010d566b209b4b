/**
 * Ticket events to a configurable URL (ServiceNow, Jira, a Teams workflow), as JSON signed with HMAC-SHA256:
 * `X-Stepwise-Signature-256: sha256=<hex HMAC of the raw body with the shared secret>`.
 *
 * Durable: every event is a row of the store's outbox, committed in the same transaction as the ticket change
 * (`withEvents`), before the change is acknowledged. The outbox worker (src/store/outbox-worker.ts, the same one that
 * sends Teams deliveries) claims due rows of target `webhook`, this module posts them, and the worker marks each
 * delivered, due again after a backoff, or dead (counted in /metrics, logged). Pending events survive a restart
 * and are sent by the next process; an event can arrive more than once (a process that stops between the
 * receiver's 2xx and the commit of "delivered"): receivers de-duplicate by `X-Stepwise-Delivery`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutboxDelivery, OutboxEvent, OutboxStore } from '../store/outbox.ts';
import { createOutboxWorker, type AttemptResult } from '../store/outbox-worker.ts';
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

/** The webhook's policy (TICKET_WEBHOOK_* override attempts and backoff): 1, 2, 4, 8, 16 s between six attempts of 5 s at most. */
export const WEBHOOK_DEFAULTS = { attempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 5000, leaseMs: 15_000, pollMs: 5000 } as const;

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
      const state = await store.outboxState('webhook').catch(() => undefined);
      if (!state) return;
      this.set({ status: 'pending' }, state.pending);
      this.set({ status: 'dead' }, state.dead);
    },
  });

  /** One attempt: 'ok', 'refused' (do not retry) or why it failed and how long the receiver asks to wait. */
  const attempt = async (event: OutboxDelivery, stopping: AbortSignal): Promise<AttemptResult> => {
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
        signal: AbortSignal.any([AbortSignal.timeout(o.timeoutMs), stopping]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'ok';
      if (!retryable(res.status)) return 'refused';
      // The worker caps the wait at maxBackoffMs.
      const after = Number(res.headers.get('retry-after'));
      return { reason: `HTTP ${res.status}`, ...(after > 0 ? { retryAfterMs: after * 1000 } : {}) };
    } catch (err) {
      return { reason: (err as Error).message };
    }
  };

  const worker = createOutboxWorker({
    store,
    target: 'webhook',
    send: attempt,
    attempts: o.attempts,
    backoffMs: o.backoffMs,
    maxBackoffMs: o.maxBackoffMs,
    leaseMs: o.leaseMs,
    pollMs: o.pollMs,
    // The names and reasons the webhook logged and stored before it shared the worker.
    name: 'webhook',
    refusedReason: 'refused by the receiver (4xx)',
    onAttempt(outcome) {
      attemptsTotal.inc({ result: outcome });
      if (outcome === 'refused' || outcome === 'failed') deadLetters.inc();
    },
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const nudge = () => worker.nudge();

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
    idle: () => worker.idle(),
    close: () => worker.close(),
  };
}
