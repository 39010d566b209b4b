/**
 * Teams messages that must not be lost: a reply, card update or proactive notification the connector did not take
 * (timed out, unreachable, 429 or 5xx) is committed to the store's outbox (target `teams`) and sent again later, with
 * backoff, by the same kind of worker that sends the ticket webhook (src/store/outbox-worker.ts). A refusal (403: the
 * bot was removed; other 4xx) is not queued: sending it again would be refused again.
 */
import { TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Lang } from '../../engine/types.ts';
import type { OutboxDelivery } from '../../store/outbox.ts';
import { createOutboxWorker, OUTBOX_WORKER_DEFAULTS, type AttemptResult, type OutboxWorker } from '../../store/outbox-worker.ts';
import type { Store } from '../../store/types.ts';
import type { BotLogger } from './bot.ts';

/** What the outbox keeps of one Teams delivery (its row's body, as JSON). */
export interface TeamsDelivery {
  /** The conversation, without the message it came with. */
  reference: Partial<ConversationReference>;
  /** New messages, in order (a reply keeps its replyToId). */
  activities?: Array<Partial<Activity>>;
  /** A message replaced in place (`id` is the message's). */
  update?: Partial<Activity>;
  /** Set when the message is a ticket's card for the experts: where it lands is recorded with the ticket once sent. */
  card?: { ticketId: string; lang: Lang };
}

/** Where a ticket's card is (TicketRecord.expertCard, as JSON): the channel and the card's message id. */
export interface CardPlace {
  reference: Partial<ConversationReference>;
  activityId: string;
  lang: Lang;
}

/** Turn state: a counter of this turn's deliveries that went to the outbox (set by the route, read after the turn). */
export const QUEUED_KEY = Symbol('stepwise.queuedDeliveries');
/** Turn state: this turn is the outbox's own attempt, so a failure is reported to the worker, not queued again. */
const ATTEMPT_KEY = Symbol('stepwise.outboxAttempt');
/** Turn state: the ticket whose experts' card this turn posts (routing sets it). */
export const CARD_KEY = Symbol('stepwise.ticketCard');

/** True when a failed send may succeed later: no answer in time, no connection, or the connector's 408/429/5xx. */
export function transientFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { statusCode?: unknown; name?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode === 408 || e.statusCode === 425 || e.statusCode === 429 || e.statusCode >= 500;
  if (e.name === 'ConnectorTimeoutError' || e.name === 'AbortError' || e.name === 'FetchError') return true;
  // The SDK's RestError without a status: the request got no answer (refused, reset, DNS).
  return e.name === 'RestError' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code));
}

/** The conversation a turn talks to, without its incoming message (a continuation's id would become a replyToId). */
function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { activityId: _id, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/** What an outbox row's event type says it is. */
const EVENT_TYPE = 'teams.delivery';

export interface TeamsOutboxOptions {
  store: Store;
  /** The bot's app id (empty in local mode). */
  appId: string;
  /** Attempts from the outbox, after the turn's own. */
  attempts: number;
  /** Wait before the first of them, doubled each retry up to 60 s. */
  backoffMs: number;
  logger: BotLogger;
  newId: () => string;
  now?: () => Date;
}

/** The part of CloudAdapter the worker needs. */
export interface ContinuingAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/** Queues failed Teams deliveries and sends them again once an adapter is attached. */
export class TeamsOutbox {
  private readonly o: TeamsOutboxOptions;
  private worker?: OutboxWorker;
  private adapter?: ContinuingAdapter;

  constructor(options: TeamsOutboxOptions) {
    this.o = options;
  }

  /** True when `err` on a send of this turn should be queued: a transient failure, and not the outbox's own attempt. */
  takes(context: TurnContext, err: unknown): boolean {
    return !context.turnState.get(ATTEMPT_KEY) && transientFailure(err);
  }

  /**
   * Commits the delivery to the outbox; resolves after the commit, rejects (StoreUnavailableError) when the store cannot
   * write, so the request is not acknowledged. Counts it in the turn's QUEUED_KEY counter.
   */
  async queue(context: TurnContext, what: Pick<TeamsDelivery, 'activities' | 'update'>, err: unknown): Promise<void> {
    const card = context.turnState.get<TeamsDelivery['card']>(CARD_KEY);
    const delivery: TeamsDelivery = { reference: referenceOf(context.activity), ...what, ...(card && what.activities ? { card } : {}) };
    const id = this.o.newId();
    const now = this.o.now?.() ?? new Date();
    // This turn's try was the first attempt: the outbox's first is one backoff later.
    const nextAt = new Date(now.getTime() + this.o.backoffMs).toISOString();
    await this.o.store.enqueueOutbox({ id, type: EVENT_TYPE, at: now.toISOString(), nextAt, body: JSON.stringify(delivery), target: 'teams' });
    const counter = context.turnState.get<{ n: number }>(QUEUED_KEY);
    if (counter) counter.n++;
    this.o.logger.warn(
      { event: 'bot.deliveryQueued', delivery: id, reason: (err as Error)?.message?.slice(0, 300) },
      'bot: the connector did not take a message; it is kept in the outbox and sent again',
    );
    this.worker?.nudge();
  }

  /** Starts sending what is pending (also what a stopped process left) through `adapter`. */
  start(adapter: ContinuingAdapter): void {
    this.adapter = adapter;
    this.worker ??= createOutboxWorker({
      ...OUTBOX_WORKER_DEFAULTS,
      store: this.o.store,
      target: 'teams',
      attempts: this.o.attempts,
      backoffMs: this.o.backoffMs,
      send: (event) => this.attempt(event),
      logger: { warn: (obj, msg) => this.o.logger.warn(obj, msg), error: (obj, msg) => this.o.logger.error(obj, msg) },
      ...(this.o.now ? { now: this.o.now } : {}),
    });
  }

  /** Resolves once nothing is pending (tests). */
  idle(): Promise<void> {
    return this.worker?.idle() ?? Promise.resolve();
  }

  /** Stops sending; an attempt in flight stays pending for the next start. */
  close(): Promise<void> {
    return this.worker?.close() ?? Promise.resolve();
  }

  /** One attempt: the delivery sent in its conversation as a proactive turn. */
  private async attempt(event: OutboxDelivery): Promise<AttemptResult> {
    let delivery: TeamsDelivery;
    try {
      delivery = JSON.parse(event.body) as TeamsDelivery;
    } catch {
      return 'refused';
    }
    const adapter = this.adapter;
    if (!adapter) return { reason: 'the bot is not started' };
    let failure: unknown;
    let sent: ResourceResponse[] = [];
    // The adapter hands a failed turn to onTurnError and resolves: the failure is caught here to be reported.
    await adapter.continueConversationAsync(this.o.appId, delivery.reference, async (context) => {
      context.turnState.set(ATTEMPT_KEY, true);
      const stored = delivery.activities ?? [];
      // The SDK makes every message a reply to the continuation activity; a reply keeps its own replyToId, others none.
      context.onSendActivities(async (_ctx, activities, next) => {
        activities.forEach((a, i) => {
          if (stored[i]?.replyToId) a.replyToId = stored[i].replyToId;
          else delete a.replyToId;
        });
        return next();
      });
      try {
        if (delivery.update) await context.updateActivity(delivery.update);
        if (stored.length) sent = await context.sendActivities(stored);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) {
      if (!transientFailure(failure)) return 'refused';
      const after = (failure as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after');
      return { reason: (failure as Error).message ?? String(failure), ...(Number(after) > 0 ? { retryAfterMs: Number(after) * 1000 } : {}) };
    }
    const activityId = sent[0]?.id;
    if (delivery.card && activityId) {
      const place: CardPlace = { reference: delivery.reference, activityId, lang: delivery.card.lang };
      // Sent but not recorded: the next change of the ticket posts its card again (seen twice, never lost).
      await this.o.store
        .setTicketCard(delivery.card.ticketId, JSON.stringify(place))
        .catch((err: unknown) =>
          this.o.logger.error({ err, ticketId: delivery.card?.ticketId }, 'bot: the queued ticket card was posted but where it is was not recorded'),
        );
    }
    return 'ok';
  }
}
