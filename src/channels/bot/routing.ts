/**
 * Routing of tickets in Teams: each new ticket is posted as a card in the experts' channel (a proactive message
 * from a stored conversation reference), the card is updated in place as the ticket changes, and the asker is sent
 * the expert's answer in their own conversation, in their language. Every reference lives in the store (the
 * experts' channel as a named address, the asker's and the card's with the ticket), so a restart loses none.
 */
import type { i18n } from 'i18next';
import { CardFactory, MessageFactory, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { isLang, type Lang } from '../../engine/types.ts';
import type { Store, TicketRecord } from '../../store/types.ts';
import type { TicketChange } from '../../support/watch.ts';
import type { BotLogger } from './bot.ts';
import type { AdaptiveCard } from './cards.ts';
import type { ExpertChannelConfig } from './config.ts';
import { askerReplyCard, expertTicketCard } from './ticket-cards.ts';
import { CARD_KEY, QUEUED_KEY, type CardPlace, type TeamsDelivery } from './deliveries.ts';

/** The store's name for the experts' channel the bot was installed in. */
export const EXPERTS_ADDRESS = 'teams:experts';

/** Where tickets go: a channel's conversation reference, the language its cards are in, and its team. */
export interface ExpertsChannel {
  reference: Partial<ConversationReference>;
  lang: Lang;
  teamId?: string;
}

/** The part of CloudAdapter proactive messages need. */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface TicketRouterDeps {
  adapter: ProactiveAdapter;
  /** The bot's app id (MicrosoftAppId); empty in local mode, where the local connector needs no token. */
  appId: string;
  store: Store;
  i18n: i18n;
  logger: BotLogger;
  /** EXPERT_CHANNEL_*: a channel set by configuration wins over the team the bot was installed in. */
  configured?: ExpertChannelConfig;
  now?: () => Date;
}

/** What became of the asker's notification ('sent' includes kept in the outbox to be sent again: it will arrive). */
export type AskerNotice = 'sent' | 'noAddress' | 'failed';

/** A conversation reference to keep: without the message it came with, so what is sent there is a new message, not a reply. */
export function addressOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { activityId: _id, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/** The conversation id a card's buttons come back in: a Teams channel thread adds `;messageid=` to the channel's id. */
export const baseConversationId = (id: string | undefined) => (id ?? '').split(';')[0];

function parse<T>(json: string | undefined): T | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}

/** Posts, updates and notifies; every method logs its own failures and never throws into a turn or a request. */
export class TicketRouter {
  private readonly deps: TicketRouterDeps;
  private readonly pending = new Set<Promise<unknown>>();
  private catchingUp: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(deps: TicketRouterDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
  }

  private t(lang: Lang) {
    return this.deps.i18n.getFixedT(lang, 'bot');
  }

  /** The experts' channel: the configured one, else the team the bot was last installed in, else none. */
  async experts(): Promise<ExpertsChannel | undefined> {
    const c = this.deps.configured;
    if (c) {
      const conversation = { id: c.channelId, isGroup: true, conversationType: 'channel', ...(c.tenantId ? { tenantId: c.tenantId } : {}) };
      return {
        reference: {
          channelId: 'msteams',
          serviceUrl: c.serviceUrl,
          conversation: conversation as ConversationReference['conversation'],
          bot: { id: this.deps.appId || 'stepwise', name: 'Stepwise' },
        },
        lang: c.lang,
      };
    }
    const stored = parse<ExpertsChannel>(await this.deps.store.getAddress(EXPERTS_ADDRESS));
    return stored?.reference?.conversation?.id && stored.reference.serviceUrl && isLang(stored.lang) ? stored : undefined;
  }

  /** The channel EXPERT_CHANNEL_* set, if any. */
  configuredChannel(): ExpertChannelConfig | undefined {
    return this.deps.configured;
  }

  /** Keeps the channel the bot was installed in as the experts' channel (unless one is configured: then false). */
  async installedIn(channel: ExpertsChannel): Promise<boolean> {
    if (this.deps.configured) return false;
    await this.deps.store.setAddress(EXPERTS_ADDRESS, JSON.stringify(channel), this.now().toISOString());
    this.deps.logger.info(`bot: tickets go to the channel of team ${channel.teamId ?? '(unknown)'} from now on`);
    return true;
  }

  /** Forgets the experts' channel when the bot is removed from its team. */
  async removedFrom(teamId: string | undefined): Promise<void> {
    const stored = parse<ExpertsChannel>(await this.deps.store.getAddress(EXPERTS_ADDRESS));
    if (stored && teamId && stored.teamId === teamId) await this.deps.store.setAddress(EXPERTS_ADDRESS, undefined, this.now().toISOString());
  }

  /**
   * Posts the ticket's card in the experts' channel and records where it is; false when there is no channel or the post
   * failed. A post the connector did not take is queued (true): where the card is is recorded once it is sent.
   */
  async post(ticket: TicketRecord): Promise<boolean> {
    try {
      const experts = await this.experts();
      if (!experts) {
        this.deps.logger.warn(
          { event: 'bot.noExpertsChannel', ticketId: ticket.id },
          "bot: no experts channel yet (install the bot in the experts' team or set EXPERT_CHANNEL_ID): the ticket is on the dashboard only",
        );
        return false;
      }
      let activityId: string | undefined;
      const card: TeamsDelivery['card'] = { ticketId: ticket.id, lang: experts.lang };
      const { queued } = await this.proactive(experts.reference, async (context) => {
        context.turnState.set(CARD_KEY, card);
        activityId = (await context.sendActivity(message(expertTicketCard(ticket, this.t(experts.lang)))))?.id;
      });
      if (queued) return true;
      if (!activityId) return false;
      const place: CardPlace = { reference: experts.reference, activityId, lang: experts.lang };
      await this.deps.store.setTicketCard(ticket.id, JSON.stringify(place));
      return true;
    } catch (err) {
      this.deps.logger.error({ err, ticketId: ticket.id }, "bot: could not post the ticket to the experts' channel");
      return false;
    }
  }

  /**
   * Posts the open and assigned tickets that have no card yet (opened before there was an experts' channel), oldest
   * first. Teams sends conversationUpdate and installationUpdate together on an install: runs are queued, and each
   * reads the tickets again, so a ticket is posted once.
   */
  postWaiting(limit = 20): Promise<number> {
    const run = this.catchingUp.then(() => this.postWaitingNow(limit));
    this.catchingUp = run.catch(() => 0);
    return run;
  }

  private async postWaitingNow(limit: number): Promise<number> {
    const waiting = [
      ...(await this.deps.store.listTickets({ status: 'open', limit })),
      ...(await this.deps.store.listTickets({ status: 'assigned', limit })),
    ].filter((t) => !t.expertCard);
    waiting.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    let posted = 0;
    for (const ticket of waiting) if (await this.post(ticket)) posted++;
    return posted;
  }

  /** The language the ticket's card is in (the experts' channel's when it was posted). */
  cardLang(ticket: TicketRecord): Lang | undefined {
    return parse<CardPlace>(ticket.expertCard)?.lang;
  }

  /** True when `conversationId` is where the ticket's card is (or the experts' channel): expert buttons work there only. */
  async isExpertsConversation(ticket: TicketRecord, conversationId: string | undefined): Promise<boolean> {
    const here = baseConversationId(conversationId);
    const card = parse<CardPlace>(ticket.expertCard);
    if (card && baseConversationId(card.reference.conversation?.id) === here) return true;
    const experts = await this.experts();
    return !!experts && baseConversationId(experts.reference.conversation?.id) === here;
  }

  /**
   * Updates the ticket's card in place to show its state (and `notice`): through the turn when an expert's tap
   * came from that card, else by a proactive update of the message whose id the store kept. A ticket that was
   * never posted (no experts' channel then) is posted now.
   */
  async refresh(ticket: TicketRecord, options: { context?: TurnContext; cardId?: string; notice?: string } = {}): Promise<void> {
    const place = parse<CardPlace>(ticket.expertCard);
    if (!place) {
      if (!options.context) await this.post(ticket);
      return;
    }
    const update = { ...message(expertTicketCard(ticket, this.t(place.lang), options.notice)), id: options.cardId ?? place.activityId };
    try {
      if (options.context) await options.context.updateActivity(update);
      else await this.proactive(place.reference, async (context) => void (await context.updateActivity(update)));
    } catch (err) {
      this.deps.logger.error({ err, ticketId: ticket.id }, "bot: could not update the ticket's card");
    }
  }

  /** Sends the expert's answer to the asker in their own conversation and language, when the ticket came from Teams. */
  async notifyAsker(ticket: TicketRecord): Promise<AskerNotice> {
    const reference = parse<Partial<ConversationReference>>(ticket.askerAddress);
    if (!reference?.conversation?.id || !reference.serviceUrl || ticket.resolution === undefined) return 'noAddress';
    try {
      await this.proactive(reference, async (context) => void (await context.sendActivity(message(askerReplyCard(ticket, this.t(ticket.lang))))));
      return 'sent';
    } catch (err) {
      this.deps.logger.error({ err, ticketId: ticket.id }, "bot: could not send the expert's answer to the asker");
      return 'failed';
    }
  }

  /** A change made elsewhere (the HTTP API, the dashboard): posted, updated and notified in the background. */
  changed(change: TicketChange): void {
    const work = (async () => {
      if (change.kind === 'created') return void (await this.post(change.ticket));
      await this.refresh(change.ticket);
      if (change.kind === 'resolve') await this.notifyAsker(change.ticket);
    })().catch((err: unknown) => this.deps.logger.error({ err, ticketId: change.ticket.id }, 'bot: ticket routing failed'));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Resolves when no background routing is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /**
   * Runs `logic` in the conversation `reference` names; rejects when it failed. The continuation activity has a
   * random id; a message sent with it as replyToId would be a reply to nothing, so the sends here are new messages.
   */
  private async proactive(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<{ queued: boolean }> {
    // The adapter hands a failed turn to onTurnError and resolves: the failure is caught here to be reported.
    let failure: unknown;
    const queued = { n: 0 };
    await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (context) => {
      context.turnState.set(QUEUED_KEY, queued);
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      try {
        await logic(context);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
    return { queued: queued.n > 0 };
  }
}

function message(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}
