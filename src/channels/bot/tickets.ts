/**
 * The bot's side of Ask an expert: the asker's tap opens a ticket (the same support code the HTTP API uses), the
 * experts' buttons assign, resolve and propose it for the knowledge base, and installing the bot in a team makes
 * that team's channel the experts' channel. Cards and proactive messages are routing.ts's.
 */
import type { i18n } from 'i18next';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Lang } from '../../engine/types.ts';
import { StoreUnavailableError, type Store, type TicketAction } from '../../store/types.ts';
import type { Reader } from '../../support/reader.ts';
import { buildTicket, newToken } from '../../support/tickets.ts';
import type { ExpertRequest, TicketCardAction } from './actions.ts';
import type { BotLogger } from './bot.ts';
import { shortTicketId } from './cards.ts';
import { localeLang } from './intent.ts';
import { addressOf, baseConversationId, type TicketRouter } from './routing.ts';
import { expertsWelcomeCard } from './ticket-cards.ts';

/** What the bot needs for tickets: the engine's reading of a question (undefined while loading) and the router. */
export interface TicketDeps {
  reader: () => Reader | undefined;
  router: TicketRouter;
}

interface HandlerDeps extends TicketDeps {
  store: Store;
  i18n: i18n;
  newId: () => string;
  now: () => Date;
  logger?: BotLogger;
}

/** `2026-03-01T12:30:00.000Z` → `2026-03-01 12:30 UTC`: a time an expert reads in a sentence. */
const readableTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** True for an activity in a Teams team (a channel), where installing the bot sets up the experts' channel. */
function inTeam(context: TurnContext): boolean {
  const data = context.activity.channelData as { team?: { id?: unknown } } | undefined;
  return context.activity.conversation?.conversationType === 'channel' || typeof data?.team?.id === 'string';
}

function teamId(context: TurnContext): string | undefined {
  const id = (context.activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === 'string' ? id : undefined;
}

export class TicketHandlers {
  private readonly deps: HandlerDeps;

  constructor(deps: HandlerDeps) {
    this.deps = deps;
  }

  private t(lang: Lang) {
    return this.deps.i18n.getFixedT(lang, 'bot');
  }

  /**
   * The bot was added to a conversation: in a team, its channel becomes the experts' channel (unless one is
   * configured), it is told so (not `quiet`), and tickets that waited for a channel are posted. True when handled.
   */
  async installed(context: TurnContext, options: { quiet?: boolean } = {}): Promise<boolean> {
    if (!inTeam(context)) return false;
    const { router } = this.deps;
    // With a channel set by configuration, any other team is just a team the bot is in: it gets the usual welcome.
    const configured = router.configuredChannel();
    if (configured && baseConversationId(context.activity.conversation?.id) !== baseConversationId(configured.channelId)) return false;
    // The configured channel's cards are in EXPERT_CHANNEL_LANG; an installed channel's in the install's Teams locale.
    const lang = configured?.lang ?? localeLang(context.activity.locale) ?? 'en';
    const team = teamId(context);
    const taken = await router.installedIn({ reference: addressOf(context.activity), lang, ...(team ? { teamId: team } : {}) });
    if (!options.quiet) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(expertsWelcomeCard(this.t(lang)))));
    if (taken) await router.postWaiting();
    return true;
  }

  /** The bot was removed from a team: if that was the experts' team, tickets wait for the next one. */
  async removed(context: TurnContext): Promise<void> {
    if (inTeam(context)) await this.deps.router.removedFrom(teamId(context));
  }

  /**
   * The asker's Ask an expert: opens the ticket (question as read, language, the answer given and what the asker
   * did with it, the Teams user, where to tell them), posts it to the experts and confirms. Resolves with the new
   * ticket's id; undefined when none was opened (said why).
   */
  async askExpert(context: TurnContext, action: ExpertRequest, existing: string | undefined): Promise<string | undefined> {
    const t = this.t(action.lang);
    if (existing) {
      await context.sendActivity(t('expert.already', { id: shortTicketId(existing) }));
      return existing;
    }
    const { store, router } = this.deps;
    const answer = await store.getAnswer(action.answerId);
    if (!answer) {
      await context.sendActivity(t('expert.unknownAnswer'));
      return undefined;
    }
    const reader = this.deps.reader();
    const from = context.activity.from;
    const ticket =
      reader &&
      buildTicket(
        {
          channel: 'teams',
          lang: action.lang,
          ...(action.step !== undefined ? { stepsWalked: action.step } : {}),
          ...(action.helpful !== undefined ? { helpful: action.helpful } : {}),
          ...(action.comment ? { comment: action.comment } : {}),
          ...(from?.aadObjectId || from?.id ? { asker: from.aadObjectId || from.id } : {}),
          ...(from?.name ? { contact: from.name } : {}),
          askerAddress: JSON.stringify(addressOf(context.activity)),
        },
        answer,
        reader,
        // The asker is told in this conversation, so the token the API hands out is not needed: only its hash is kept.
        { id: this.deps.newId(), tokenHash: newToken().tokenHash, at: this.deps.now() },
      );
    try {
      if (!ticket) throw new StoreUnavailableError('the knowledge base is still loading');
      await store.createTicket(ticket);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.deps.logger?.error({ err }, 'bot: ticket not stored');
      await context.sendActivity(t('expert.notStored'));
      return undefined;
    }
    await router.post(ticket);
    await context.sendActivity(t('expert.sent', { id: shortTicketId(ticket.id) }));
    return ticket.id;
  }

  /**
   * An expert's button on a ticket card: the action in one store transaction, then the card updated in place (the
   * message the tap came from); a resolve also sends the answer to the asker. A refused action (already resolved)
   * refreshes the card to its state and says who resolved it; every other refusal is a sentence, never an error.
   */
  async expertAction(context: TurnContext, action: TicketCardAction, cardId: string | undefined): Promise<void> {
    const { store, router } = this.deps;
    const from = context.activity.from;
    const ticket = await store.getTicket(action.ticketId);
    // Messages to the expert who tapped are in their Teams language; the card stays in the channel's.
    const t = this.t(localeLang(context.activity.locale) ?? (ticket && router.cardLang(ticket)) ?? 'en');
    const id = shortTicketId(action.ticketId);
    if (!ticket) return void (await context.sendActivity(t('ticket.unknown', { id })));
    if (!(await router.isExpertsConversation(ticket, context.activity.conversation?.id))) return void (await context.sendActivity(t('ticket.notHere')));
    if (action.act === 'resolve' && !action.answer && ticket.status !== 'resolved') return void (await context.sendActivity(t('ticket.answerNeeded', { id })));
    const expert = (from?.name || from?.id || 'expert').slice(0, 200);
    const at = this.deps.now().toISOString();
    const change: TicketAction =
      action.act === 'assign'
        ? { kind: 'assign', expert, at }
        : action.act === 'resolve'
          ? { kind: 'resolve', expert, at, answer: action.answer ?? '' }
          : { kind: 'knowledgeBase', expert, at };
    let result;
    try {
      result = await store.actOnTicket(action.ticketId, change);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.deps.logger?.error({ err, ticketId: action.ticketId }, 'bot: ticket action not stored');
      return void (await context.sendActivity(t('ticket.notStored')));
    }
    if (result.outcome === 'unknown') return void (await context.sendActivity(t('ticket.unknown', { id })));
    if (result.outcome === 'resolved') {
      const done = result.ticket;
      await router.refresh(done, { context, ...(cardId ? { cardId } : {}) });
      await context.sendActivity(t('ticket.alreadyResolved', { id, by: done.resolvedBy ?? '', at: readableTime(done.resolvedAt ?? done.updatedAt) }));
      return;
    }
    // The notice is on the card, so in the card's language.
    const cardT = this.t(router.cardLang(result.ticket) ?? 'en');
    let notice: string | undefined;
    if (change.kind === 'resolve') {
      const told = await router.notifyAsker(result.ticket);
      notice = cardT(`ticket.notice.${told}`, { lang: cardT(`common:lang.${result.ticket.lang}`), channel: cardT(`ticket.channels.${result.ticket.channel}`) });
    } else if (change.kind === 'knowledgeBase') notice = cardT('ticket.notice.knowledgeBase');
    await router.refresh(result.ticket, { context, ...(cardId ? { cardId } : {}), ...(notice ? { notice } : {}) });
  }
}
