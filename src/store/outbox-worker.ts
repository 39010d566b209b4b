/**
 * A sender of one outbox target: claims due events, hands each to `send`, and settles it — delivered, due again
 * after a backoff (doubled per attempt, a longer wait the receiver asks for wins), or dead after the last attempt
 * or a refusal. Claims are leased, so two replicas never send one event at once, and an event whose process died
 * is sent again once its lease has run out (at least once: receivers see a repeat, never a loss).
 */
import type { OutboxDelivery, OutboxStore, OutboxTarget } from './outbox.ts';

/** How one attempt ended: delivered, refused for good (not retried), or failed (retried), with the wait asked for. */
export type AttemptResult = 'ok' | 'refused' | { reason: string; retryAfterMs?: number };

/** What became of an attempt, for counters and logs. */
export type AttemptOutcome = 'delivered' | 'retry' | 'refused' | 'failed';

export interface OutboxWorkerOptions {
  store: OutboxStore;
  target: OutboxTarget;
  /** One attempt at one event; `signal` aborts when the worker closes. Never throws: a failure is a result. */
  send(event: OutboxDelivery, signal: AbortSignal): Promise<AttemptResult>;
  /** Attempts per event, the first included. */
  attempts: number;
  /** Wait before the first retry; doubled each retry up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a claimed event is this process's before another may take it. */
  leaseMs: number;
  /** How often the outbox is looked at when nothing of this process's is due sooner. */
  pollMs: number;
  /** Called once an attempt's outcome is known, before it is recorded (metrics: an attempt made counts even if recording it fails). */
  onAttempt?(outcome: AttemptOutcome, event: OutboxDelivery): void;
  /** What the logs call this sender (default `outbox (<target>)`). */
  name?: string;
  /** The error stored on an event dead-lettered by a refusal (default `refused by the receiver`). */
  refusedReason?: string;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => Date;
}

/** The worker's defaults, those of the ticket webhook. */
export const OUTBOX_WORKER_DEFAULTS = { attempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 15_000, pollMs: 5000 } as const;

/** A running sender. */
export interface OutboxWorker {
  /** Looks at the outbox now (an event was just committed). */
  nudge(): void;
  /** Resolves once no event of the target is pending or being sent (tests). */
  idle(): Promise<void>;
  /** Stops: an attempt in flight is cut off and stays pending for the next start. */
  close(): Promise<void>;
}

/** Events claimed per look at the outbox (sent in parallel). */
const BATCH = 20;

/** The wait before attempt `attempts + 1`: backoffMs doubled per attempt made, capped, or longer when the receiver asks. */
export function backoffMs(o: Pick<OutboxWorkerOptions, 'backoffMs' | 'maxBackoffMs'>, attempts: number, retryAfterMs = 0): number {
  return Math.max(Math.min(o.backoffMs * 2 ** (attempts - 1), o.maxBackoffMs), Math.min(retryAfterMs, o.maxBackoffMs));
}

/** Creates the worker and starts it: events left pending by an earlier process are sent at once. */
export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const { store, target } = o;
  const now = o.now ?? (() => new Date());
  const log = o.name ?? `outbox (${target})`;
  const stopping = new AbortController();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  /** Sends one claimed event and records how it went; a failure to record leaves it to the lease (sent again). */
  const deliver = async (event: OutboxDelivery): Promise<void> => {
    const result = await o.send(event, stopping.signal);
    const at = now();
    try {
      if (result === 'ok') {
        o.onAttempt?.('delivered', event);
        return await store.settleOutbox(event.id, { kind: 'delivered', at: at.toISOString() });
      }
      if (closed && result !== 'refused') return await store.settleOutbox(event.id, { kind: 'retry', nextAt: at.toISOString(), error: 'stopped' });
      const reason = result === 'refused' ? (o.refusedReason ?? 'refused by the receiver') : result.reason;
      const last = result === 'refused' || event.attempts >= o.attempts;
      if (last) {
        o.onAttempt?.(result === 'refused' ? 'refused' : 'failed', event);
        o.logger?.error({ event: event.id, type: event.type, attempts: event.attempts, reason }, `${log}: event dead-lettered`);
        return await store.settleOutbox(event.id, { kind: 'dead', at: at.toISOString(), error: reason });
      }
      o.onAttempt?.('retry', event);
      const wait = backoffMs(o, event.attempts, typeof result === 'object' ? result.retryAfterMs : 0);
      o.logger?.warn({ event: event.id, attempt: event.attempts, reason }, `${log}: delivery failed, will retry`);
      await store.settleOutbox(event.id, { kind: 'retry', nextAt: new Date(at.getTime() + wait).toISOString(), error: reason });
    } catch (err) {
      o.logger?.warn({ err, event: event.id }, `${log}: could not record a delivery attempt (the event will be sent again)`);
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
          batch = await store.claimOutbox({ now: t.toISOString(), leaseUntil: new Date(t.getTime() + o.leaseMs).toISOString(), limit: BATCH, target });
          if (batch.length === 0) break;
          await Promise.all(batch.map(deliver));
        }
      } while (again && !closed);
      const { nextDue } = await store.outboxState(target);
      schedule(nextDue ? Math.min(Date.parse(nextDue) - now().getTime(), o.pollMs) : o.pollMs);
    } catch (err) {
      o.logger?.warn({ err }, `${log}: the outbox could not be read, will look again`);
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
    nudge,
    async idle() {
      for (;;) {
        if (running) await running;
        const { pending } = await store.outboxState(target);
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
