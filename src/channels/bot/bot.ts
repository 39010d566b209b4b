import { randomUUID } from 'node:crypto';
import type { i18n, TFunction } from 'i18next';
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type ConversationState,
  type InvokeResponse,
  type MessagingExtensionAttachment,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  type StatePropertyAccessor,
  type UserState,
} from 'botbuilder';
import type { Answer, Engine, Lang } from '../../engine/types.ts';
import { StoreUnavailableError, type Store } from '../../store/types.ts';
import { MAX_ACTION_TEXT, parseCardAction, parseFeedbackLoop, type CardAction, type CardView } from './actions.ts';
import { answerCard, clarifyCard, helpCard, notFoundCard, welcomeCard, type AdaptiveCard, type FeedbackRow, type StepMode } from './cards.ts';
import { TicketHandlers, type TicketDeps } from './tickets.ts';
import { ConnectorTimeoutError } from './endpoint.ts';
import { nextLoopIteration } from '../loop.ts';
import { invokeLang, invokeMessage } from './invoke.ts';
import { localeLang, parseIntent, plainText, textLang } from './intent.ts';
import { CUT_MARK, fitPaste } from '../paste.ts';
import { answerRecord } from '../../store/records.ts';
import { MAX_QUESTION_CHARS } from '../../engine/index.ts';

/** The few logger methods the bot uses (pino's Logger fits). */
export interface BotLogger {
  info(msg: string): void;
  /** A message, or fields and a message (one JSON line with pino). */
  warn(objOrMsg: object | string, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StepwiseBotDeps {
  engine: Engine;
  store: Store;
  i18n: i18n;
  conversationState: ConversationState;
  userState: UserState;
  logger?: BotLogger;
  /** Keep question text in the store's answer records (the operator's choice, see config). */
  storeQuestions?: boolean;
  /** Ask an expert and the experts' channel; without it the cards offer no expert. */
  tickets?: TicketDeps;
  newId?: () => string;
  now?: () => Date;
}

/**
 * One answer the bot gave in this conversation and where its card is: the card message to replace,
 * and the view it shows. A clarify or not-found answer has no topic (nothing to walk).
 */
export interface AnswerState {
  answerId: string;
  /** The card message's activity id, as the connector returned it. */
  activityId?: string;
  lang: Lang;
  topic?: string;
  step?: number;
  all?: boolean;
  clarify?: boolean;
  /** The ticket the asker opened from this answer (one per answer). */
  ticketId?: string;
}

/** Per-conversation state: recent answers, oldest first; typed commands act on the newest. */
export interface ConversationData {
  answers?: AnswerState[];
  lang?: Lang;
}

/** Per-user state: the language the user last chose with a language button. */
export interface UserData {
  lang?: Lang;
}

/** Answers remembered per conversation (for typed commands, the newest; for Teams' feedback loop, any of them). */
const ANSWERS_KEPT = 50;
/** The compose-box search command declared in the Teams manifest. */
export const SEARCH_COMMAND = 'searchTopics';

/**
 * The Teams bot: parses each activity, asks the engine, renders the Answer as an Adaptive Card.
 * Only ActivityHandler/TurnContext APIs are used so the Agents SDK move stays inside this folder.
 */
export class StepwiseBot extends TeamsActivityHandler {
  private readonly deps: StepwiseBotDeps;
  private readonly conversationData: StatePropertyAccessor<ConversationData>;
  private readonly userData: StatePropertyAccessor<UserData>;
  private readonly newId: () => string;
  private readonly now: () => Date;
  private readonly tickets?: TicketHandlers;

  constructor(deps: StepwiseBotDeps) {
    super();
    this.deps = deps;
    this.conversationData = deps.conversationState.createProperty<ConversationData>('stepwise');
    this.userData = deps.userState.createProperty<UserData>('stepwise');
    this.newId = deps.newId ?? randomUUID;
    this.now = deps.now ?? (() => new Date());
    if (deps.tickets)
      this.tickets = new TicketHandlers({ ...deps.tickets, store: deps.store, i18n: deps.i18n, newId: this.newId, now: this.now, logger: deps.logger });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      // Added to a team: that team's channel becomes the experts' channel, and is told so instead of the welcome.
      if (botAdded && !(await this.tickets?.installed(context))) {
        const lang = await this.fallbackLang(context);
        await this.sendCard(context, welcomeCard(this.t(lang), lang));
      }
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if ((context.activity.membersRemoved ?? []).some((m) => m.id === context.activity.recipient?.id)) await this.tickets?.removed(context);
      await next();
    });
    // Teams also sends installationUpdate when the app is added to or removed from a team (with or without the conversationUpdate).
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.tickets?.installed(context, { quiet: true });
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.tickets?.removed(context);
      await next();
    });
  }

  /** Runs the turn, then persists conversation and user state (also when the turn failed half-way). */
  override async run(context: TurnContext): Promise<void> {
    try {
      await super.run(context);
    } finally {
      await this.deps.conversationState.saveChanges(context);
      await this.deps.userState.saveChanges(context);
    }
  }

  private t(lang: Lang): TFunction {
    return this.deps.i18n.getFixedT(lang, 'bot');
  }

  /** Language when the text itself says nothing: the user's choice, then Teams' locale, then English. */
  private async fallbackLang(context: TurnContext): Promise<Lang> {
    const user = await this.userData.get(context, {});
    return user.lang ?? localeLang(context.activity.locale) ?? 'en';
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const action = parseCardAction(context.activity.value);
    if (action) return this.handleCardAction(context, action);
    const intent = parseIntent(messageText(context.activity));
    const data = await this.conversationData.get(context, {});
    if (intent.kind === 'question' && intent.text === '') {
      // A card inserted from the message extension or pasted back is for the people in the chat: no reply.
      if (carriesCard(context.activity)) return;
      // An image or file alone, or a button from some other card: say what the bot can read.
      await this.sendCard(context, helpCard(this.t(data.lang ?? (await this.fallbackLang(context)))));
      return;
    }
    if (intent.kind === 'question') {
      // Reading a long paste (mention removal, HTML), fitting it and answering it are each up to tens of ms: one per
      // event-loop iteration, so other requests and timers run between them.
      if (intent.text.length > LONG_TEXT_CHARS) await nextLoopIteration();
      // The engine gets what the HTTP API would: a paste whole up to the API's body limit, past it its head, tail and error lines.
      const fitted = fitPaste(intent.text);
      const text = fitted.text;
      const cut = fitted.cut || (context.activity.text?.length ?? 0) > MESSAGE_READ_CHARS;
      const lang = textLang(text, (s) => this.deps.engine.detectLang(s)) ?? (await this.fallbackLang(context));
      if (cut) await context.sendActivity(this.t(lang)('pasteCut'));
      if (text.length > LONG_TEXT_CHARS) await nextLoopIteration();
      return this.answer(context, text, { lang });
    }
    // Typed commands act on the newest answer only: after a new question, never on an older topic.
    const newest = data.answers?.at(-1);
    const lang = intent.lang ?? newest?.lang ?? data.lang ?? (await this.fallbackLang(context));
    if (intent.kind === 'help') {
      await this.sendCard(context, helpCard(this.t(lang)));
      return;
    }
    if (!newest?.topic) {
      await context.sendActivity(this.t(lang)(newest?.clarify ? 'next.chooseFirst' : 'next.nothing'));
      return;
    }
    const view: CardView = { topic: newest.topic, lang, step: newest.step ?? 0 };
    if (intent.kind === 'all') return this.showView(context, newest.answerId, { ...view, all: true }, newest.activityId);
    if (newest.all) return this.showView(context, newest.answerId, { ...view, step: Number.MAX_SAFE_INTEGER }, newest.activityId);
    return this.showView(context, newest.answerId, { ...view, step: view.step + 1 }, newest.activityId);
  }

  private async handleCardAction(context: TurnContext, action: CardAction): Promise<void> {
    // Teams names the card a button was on in replyToId: that card is replaced, not followed by a new one.
    const cardId = context.activity.replyToId;
    switch (action.stepwise) {
      case 'next':
      case 'back':
      case 'all':
      case 'lang': {
        const { stepwise, answerId, ...view } = action;
        if (stepwise === 'lang') (await this.userData.get(context, {})).lang = action.lang;
        // A language button from a card sent before buttons carried their answer: a new answer, as then.
        if (!answerId) return this.answer(context, '', { lang: action.lang, topic: action.topic });
        return this.showView(context, answerId, view, cardId);
      }
      case 'comment':
        return this.showView(context, action.answerId, action.view, cardId, 'comment');
      case 'feedback': {
        const lang = action.view?.lang ?? (await this.conversationLang(context));
        await this.storeFeedback(action.answerId, action.helpful, action.step, action.comment);
        if (!action.view) {
          await context.sendActivity(this.t(lang)(action.helpful ? 'feedback.thanks' : 'feedback.thanksNegative'));
          return;
        }
        return this.showView(context, action.answerId, action.view, cardId, action.helpful ? 'thanks' : 'thanksNegative', action.comment);
      }
      case 'topic':
        return this.answer(context, action.q, { lang: action.lang, topic: action.topic });
      case 'ask':
        return this.answer(context, action.text, { lang: action.lang });
      case 'expert': {
        const data = await this.conversationData.get(context, {});
        const known = data.answers?.find((a) => a.answerId === action.answerId);
        const ticketId = await this.tickets?.askExpert(context, action, known?.ticketId);
        if (!ticketId || known?.ticketId) return;
        if (known) known.ticketId = ticketId;
        // The answer card's Ask an expert becomes the line saying the question was sent (not_found cards keep theirs: state guards a second tap).
        if (action.view) await this.showView(context, action.answerId, action.view, cardId, action.helpful === false ? 'thanksNegative' : undefined);
        return;
      }
      case 'ticket':
        return this.tickets?.expertAction(context, action, cardId);
      case 'invalid':
        await context.sendActivity(this.t(await this.conversationLang(context))(`${action.what}.invalid`));
        return;
    }
  }

  private async conversationLang(context: TurnContext): Promise<Lang> {
    const data = await this.conversationData.get(context, {});
    return data.answers?.at(-1)?.lang ?? data.lang ?? (await this.fallbackLang(context));
  }

  /** Asks the engine and sends the card for its status; an answer starts a step-by-step walk. */
  private async answer(context: TurnContext, question: string, options: { lang: Lang; topic?: string }): Promise<void> {
    const answer = this.deps.engine.ask(question, options);
    const answerId = this.newId();
    await this.record(answerId, answer, question);
    const t = this.t(answer.requestedLang);
    const data = await this.conversationData.get(context, {});
    data.lang = answer.requestedLang;
    const lang = answer.requestedLang;
    if (answer.status === 'clarify') {
      // Every choice button carries the question back; a whole paste in each would pass Teams' message size limit.
      const activityId = await this.sendCard(context, clarifyCard(answer, t, question.slice(0, MAX_ACTION_TEXT)));
      this.remember(data, { answerId, activityId, lang, clarify: true }, true);
      return;
    }
    if (answer.status === 'not_found' || !answer.topic) {
      const activityId = await this.sendCard(context, notFoundCard(answer, t, this.tickets ? { answerId } : undefined));
      this.remember(data, { answerId, activityId, lang }, true);
      return;
    }
    const mode: StepMode = answer.steps.length > 1 ? { kind: 'walk', step: 0 } : { kind: 'all' };
    const activityId = await this.sendCard(context, answerCard(answer, t, { answerId, mode, interactive: true, ...(this.tickets ? { expert: {} } : {}) }));
    this.remember(data, { answerId, activityId, lang, topic: answer.topic.id, step: 0, ...(mode.kind === 'all' ? { all: true } : {}) }, true);
  }

  /**
   * Shows an answer's card at `view`, replacing the card message `cardId` (the one a button was on, or
   * the newest answer's for a typed command); a step past the last says so instead.
   */
  private async showView(
    context: TurnContext,
    answerId: string,
    view: CardView,
    cardId: string | undefined,
    feedback?: FeedbackRow,
    comment?: string,
  ): Promise<void> {
    const answer = this.deps.engine.answerTopic(view.topic, view.lang);
    const data = await this.conversationData.get(context, {});
    const t = this.t(view.lang);
    if (!answer?.topic) {
      data.answers = data.answers?.filter((a) => a.answerId !== answerId);
      await context.sendActivity(t('next.unknownTopic'));
      return;
    }
    const last = Math.max(answer.steps.length - 1, 0);
    if (!view.all && view.step > last) {
      this.remember(data, { answerId, lang: view.lang, topic: view.topic, step: last });
      await context.sendActivity(t('next.end'));
      return;
    }
    const mode: StepMode = view.all || answer.steps.length <= 1 ? { kind: 'all', step: Math.min(view.step, last) } : { kind: 'walk', step: view.step };
    const ticketId = data.answers?.find((a) => a.answerId === answerId)?.ticketId;
    const expert = this.tickets && { ...(comment ? { comment } : {}), ...(ticketId ? { ticketId } : {}) };
    const card = answerCard(answer, t, { answerId, mode, interactive: true, feedback, ...(expert ? { expert } : {}) });
    const activityId = await this.replaceCard(context, card, cardId ?? data.answers?.find((a) => a.answerId === answerId)?.activityId);
    // All steps shown counts as walked to the end: a typed "next" then says it was the last step.
    this.remember(data, {
      answerId,
      activityId,
      lang: view.lang,
      topic: view.topic,
      step: Math.min(view.step, last),
      ...(mode.kind === 'all' ? { all: true } : {}),
    });
  }

  /**
   * Records where an answer's card is. A new answer becomes the newest; a known one is updated where it
   * is (a button on an older card does not make it the one typed commands walk); an unknown one is left out.
   */
  private remember(data: ConversationData, state: AnswerState, isNew = false): void {
    const answers = data.answers ?? [];
    const i = answers.findIndex((a) => a.answerId === state.answerId);
    if (i >= 0) {
      const { activityId, ...rest } = state;
      const ticketId = state.ticketId ?? answers[i].ticketId;
      answers[i] = { ...rest, activityId: activityId ?? answers[i].activityId, ...(ticketId ? { ticketId } : {}) };
    } else if (isNew) answers.push(state);
    data.answers = answers.slice(-ANSWERS_KEPT);
  }

  /** Replaces the card message `activityId` in place; sends a new card when there is none or the channel refuses the update. */
  private async replaceCard(context: TurnContext, card: AdaptiveCard, activityId: string | undefined): Promise<string | undefined> {
    if (activityId) {
      try {
        await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
        return activityId;
      } catch (err) {
        if (err instanceof ConnectorTimeoutError) throw err;
        // Some channels (Direct Line, Web Chat) cannot update a message: the card is sent again instead.
        this.deps.logger?.warn({ event: 'bot.updateRefused', reason: (err as Error).message?.slice(0, 300) }, 'bot: card update refused, sending a new card');
      }
    }
    return this.sendCard(context, card);
  }

  /** Sends a card as a new message; returns its activity id (the connector's), to replace it later. */
  private async sendCard(context: TurnContext, card: AdaptiveCard): Promise<string | undefined> {
    return (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
  }

  private async record(id: string, answer: Answer, question: string): Promise<void> {
    // The same rule as the HTTP API: what the engine reads is what is kept.
    const read = question.slice(0, MAX_QUESTION_CHARS);
    await this.deps.store.recordAnswer(answerRecord(id, answer, 'bot', this.now(), this.deps.storeQuestions ? read : undefined));
  }

  private async storeFeedback(answerId: string, helpful: boolean, step: number | undefined, comment: string | undefined): Promise<void> {
    await this.deps.store.addFeedback({
      id: this.newId(),
      at: this.now().toISOString(),
      channel: 'bot',
      answerId,
      helpful,
      ...(step !== undefined ? { step } : {}),
      ...(comment ? { comment } : {}),
    });
  }

  /**
   * Teams' built-in feedback loop arrives as the `message/submitAction` invoke. Cards no longer ask for
   * it (their own buttons are the one feedback mechanism); votes on messages sent before still land.
   */
  override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'message/submitAction') {
      let response: InvokeResponse;
      try {
        response = await super.onInvokeActivity(context);
      } catch (err) {
        // The SDK reads some invoke values without checking them (adaptiveCard/action without `action`).
        if (!(err instanceof TypeError)) throw err;
        this.deps.logger?.warn({ event: 'bot.badInvoke', name: context.activity.name, reason: err.message }, 'bot: malformed invoke');
        return { status: 400, body: { error: 'stepwise: malformed invoke value' } };
      }
      // Teams reports any status but 200 to the user as a failure; an invoke this bot does not handle is acknowledged,
      // with a sentence where the invoke can show one (a card button the bot does not know).
      return response.status === 501 ? invokeMessage(context.activity, this.t(invokeLang(context.activity))('invokeUnknown')) : response;
    }
    const parsed = parseFeedbackLoop(context.activity.value);
    const data = await this.conversationData.get(context, {});
    // Teams names the rated message in replyToId; a client that leaves it out rates the latest answer.
    const replyToId = context.activity.replyToId;
    const answerId = replyToId ? data.answers?.find((a) => a.activityId === replyToId)?.answerId : data.answers?.at(-1)?.answerId;
    if (!parsed || !answerId) return { status: 400, body: { error: 'stepwise: unknown feedback target' } };
    try {
      await this.storeFeedback(answerId, parsed.helpful, undefined, parsed.comment);
      await context.sendActivity(this.t(await this.conversationLang(context))(parsed.helpful ? 'feedback.thanks' : 'feedback.thanksNegative'));
    } catch (err) {
      // Nothing was stored: Teams may send the vote again.
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.deps.logger?.error({ err }, 'bot: feedback not stored');
      return { status: 503, body: { error: 'stepwise: feedback not stored, try again' } };
    }
    return { status: 200, body: {} };
  }

  /** Compose-box search: topics matching the query, each inserting a full, non-interactive answer card. */
  protected override async handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    const text = searchText(query);
    const lang = textLang(text, (s) => this.deps.engine.detectLang(s)) ?? (await this.fallbackLang(context));
    const count = Math.min(Math.max(query.queryOptions?.count ?? 10, 1), 25);
    // Teams opens the extension with `initialRun` and no query text: offer the main topics then.
    const topicIds = text
      ? this.deps.engine.search(text, { lang, limit: count }).map((r) => r.topicId)
      : this.deps.engine
          .topics(lang)
          .filter((x) => !x.parent && !x.legacy)
          .slice(0, count)
          .map((x) => x.id);
    const attachments = topicIds.map((topic) => this.searchResult(topic, lang));
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }

  private searchResult(topic: string, lang: Lang): MessagingExtensionAttachment {
    // The ids come from the engine's own search: always topics it has.
    const answer = this.deps.engine.answerTopic(topic, lang)!;
    const t = this.t(lang);
    const card = CardFactory.adaptiveCard(answerCard(answer, t, { answerId: this.newId(), mode: { kind: 'all' }, interactive: false }));
    const preview = CardFactory.thumbnailCard(answer.topic?.title ?? topic, truncate(answer.summary, 160));
    return { ...card, preview };
  }
}

/**
 * Characters of a message the bot reads, as many as the engine reads of an API question. Teams caps a
 * message near 28 KB; a longer one (other clients) keeps its start and, mostly, its end, where a log
 * states its error: stripping and fitting a 1 MB message of short lines took over a second.
 */
export const MESSAGE_READ_CHARS = MAX_QUESTION_CHARS;

/** A question longer than this (a paste, not a typed question) is answered in a later event-loop iteration than it is read. */
const LONG_TEXT_CHARS = 2000;

function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max / 4);
  return `${text.slice(0, head)}\n${CUT_MARK}\n${text.slice(text.length - (max - head - CUT_MARK.length - 2))}`;
}

/** The message text (at most MESSAGE_READ_CHARS of it) with the bot's @mention removed (group chats and channels) and HTML undone. */
export function messageText(activity: Activity): string {
  // Cut first: the SDK's mention removal searches and trims the whole text (13 ms on 1 MB of "<" under load).
  let text = headAndTail(activity.text ?? '', MESSAGE_READ_CHARS);
  // removeRecipientMention reads activity.recipient.id and throws when recipient is missing; it rewrites the text
  // of the activity it is given, so it gets a copy holding the cut text.
  if (activity.recipient?.id) text = TurnContext.removeRecipientMention({ ...activity, text }) ?? text;
  return plainText(text.replace(/<at>[^<]*<\/at>/g, ' ')).trim();
}

/**
 * The search text of a compose-box query: the `query` parameter the manifest declares; a client that
 * names no parameter (the Agents Playground unless its panel is filled in) sends one unnamed. Teams'
 * `initialRun` parameter, sent when the extension opens, is no search text.
 */
function searchText(query: MessagingExtensionQuery): string {
  const parameters = query.parameters ?? [];
  const named = parameters.find((p) => p.name === 'query') ?? parameters.find((p) => !p.name);
  return typeof named?.value === 'string' ? named.value.trim() : '';
}

/** True when the message carries a card (Adaptive, hero, thumbnail…) rather than typed text or a file. */
function carriesCard(activity: Activity): boolean {
  return (activity.attachments ?? []).some((a) => typeof a?.contentType === 'string' && a.contentType.startsWith('application/vnd.microsoft.card.'));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
