/**
 * Ticket events to a configurable URL (ServiceNow, Jira, a Teams workflow), as JSON signed with HMAC-SHA256:
 * `X-Stepwise-Signature-256: sha256=<hex HMAC of the raw body with the shared secret>`. Failed deliveries are
 * retried with exponential backoff; an event that still fails is dead-lettered (counted in /metrics, logged).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';

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

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Attempts per event, the first included. */
  attempts: number;
  /** Wait before the first retry; doubled each retry up to maxBackoffMs (a Retry-After from the receiver wins if longer). */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long one attempt may take. */
  timeoutMs: number;
  registry?: Registry;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  fetch?: typeof fetch;
  newId?: () => string;
}

export const WEBHOOK_DEFAULTS = { attempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 5000 } as const;

/** The signature header's value for a body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Sends ticket events; `send` returns at once, delivery and retries run in the background. */
export interface Webhook {
  send(type: TicketEventType, ticket: Record<string, unknown>, at: Date): void;
  /** Resolves when no delivery is pending (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops retrying; pending events are dead-lettered. */
  close(): void;
}

/** Statuses worth retrying: timeouts, rate limits and server faults; any other 4xx is the receiver refusing the event. */
const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/** Creates the webhook sender (see the file comment for the wire format). */
export function createWebhook(overrides: Partial<WebhookOptions> & Pick<WebhookOptions, 'url' | 'secret'>): Webhook {
  const o = { ...WEBHOOK_DEFAULTS, ...overrides };
  const doFetch = o.fetch ?? fetch;
  const newId = o.newId ?? randomUUID;
  const registers = o.registry ? [o.registry] : [];
  const attemptsTotal = new Counter({ name: 'stepwise_webhook_attempts_total', help: 'Ticket webhook delivery attempts by result (delivered, retry, refused, failed).', labelNames: ['result'], registers });
  const deadLetters = new Counter({ name: 'stepwise_webhook_dead_letters_total', help: 'Ticket events given up on after every attempt failed (or refused by the receiver).', registers });
  const pending = new Set<Promise<void>>();
  const timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((wake) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), wake()), ms), wake };
      timers.add(entry);
    });

  /** One attempt: 'ok', 'refused' (do not retry) or the wait before the next one. */
  const attempt = async (event: TicketEvent, body: string): Promise<'ok' | 'refused' | { retryAfterMs?: number; reason: string }> => {
    try {
      const res = await doFetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'stepwise-webhook/1',
          'x-stepwise-event': event.type,
          'x-stepwise-delivery': event.id,
          'x-stepwise-signature-256': webhookSignature(o.secret, body),
        },
        body,
        signal: AbortSignal.timeout(o.timeoutMs),
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

  const deliver = async (event: TicketEvent) => {
    const body = JSON.stringify(event);
    for (let n = 1; ; n++) {
      const result = await attempt(event, body);
      if (result === 'ok') return void attemptsTotal.inc({ result: 'delivered' });
      const last = result === 'refused' || n >= o.attempts || closed;
      attemptsTotal.inc({ result: result === 'refused' ? 'refused' : last ? 'failed' : 'retry' });
      if (last) {
        deadLetters.inc();
        o.logger?.error({ event: event.id, type: event.type, attempts: n, reason: result === 'refused' ? 'refused by the receiver (4xx)' : result.reason }, 'webhook: event dead-lettered');
        return;
      }
      const backoff = Math.min(o.backoffMs * 2 ** (n - 1), o.maxBackoffMs);
      o.logger?.warn({ event: event.id, attempt: n, reason: result.reason }, 'webhook: delivery failed, will retry');
      await sleep(Math.max(backoff, result.retryAfterMs ?? 0));
    }
  };

  return {
    send(type, ticket, at) {
      const event: TicketEvent = { id: newId(), type, at: at.toISOString(), ticket };
      const p = deliver(event).finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
    close() {
      closed = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.wake();
      }
      timers.clear();
    },
  };
}
