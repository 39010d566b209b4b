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
import { MAX_ACTION_TEXT, parseCardAction, parseFeedbackLoop, type CardAction } from './actions.ts';
import { answerCard, clarifyCard, doneCard, helpCard, notFoundCard, welcomeCard, type AdaptiveCard, type StepMode } from './cards.ts';
import { localeLang, parseIntent, plainText, textLang } from './intent.ts';
import { CUT_MARK, fitPaste } from '../paste.ts';
import { answerRecord } from '../../store/records.ts';
import { MAX_QUESTION_CHARS } from '../../engine/understand/normalize.ts';

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
  newId?: () => string;
  now?: () => Date;
}

/** Where a conversation is in a step-by-step walk. */
export interface Walk {
  answerId: string;
  topic: string;
  lang: Lang;
  step: number;
}

/** Per-conversation state: the current walk and which sent message carried which answer. */
export interface ConversationData {
  walk?: Walk;
  lang?: Lang;
  /** [activity id, answer id] of recent answer messages, for Teams' feedback loop. */
  sent?: Array<[string, string]>;
}

/** Per-user state: the language the user last chose with a language button. */
export interface UserData {
  lang?: Lang;
}

const SENT_KEPT = 50;
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

  constructor(deps: StepwiseBotDeps) {
    super();
    this.deps = deps;
    this.conversationData = deps.conversationState.createProperty<ConversationData>('stepwise');
    this.userData = deps.userState.createProperty<UserData>('stepwise');
    this.newId = deps.newId ?? randomUUID;
    this.now = deps.now ?? (() => new Date());

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      if (botAdded) {
        const lang = await this.fallbackLang(context);
        await this.sendCard(context, welcomeCard(this.t(lang), lang));
      }
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
      // An image or file alone, or a button from some other card: say what the bot can read.
      await this.sendCard(context, helpCard(this.t(data.lang ?? (await this.fallbackLang(context)))));
      return;
    }
    if (intent.kind === 'question') {
      // The engine gets what the HTTP API would: a paste whole up to the API's body limit, past it its head, tail and error lines.
      const fitted = fitPaste(intent.text);
      const text = fitted.text;
      const cut = fitted.cut || (context.activity.text?.length ?? 0) > MESSAGE_READ_CHARS;
      const lang = textLang(text, (s) => this.deps.engine.detectLang(s)) ?? (await this.fallbackLang(context));
      if (cut) await context.sendActivity(this.t(lang)('pasteCut'));
      return this.answer(context, text, { lang });
    }
    const lang = intent.lang ?? data.walk?.lang ?? data.lang ?? (await this.fallbackLang(context));
    if (intent.kind === 'help') {
      await this.sendCard(context, helpCard(this.t(lang)));
      return;
    }
    if (!data.walk) {
      await context.sendActivity(this.t(lang)('next.nothing'));
      return;
    }
    const { walk } = data;
    if (intent.kind === 'all') return this.showSteps(context, walk, lang, { kind: 'all' });
    return this.nextStep(context, walk, lang, walk.step + 1);
  }

  private async handleCardAction(context: TurnContext, action: CardAction): Promise<void> {
    switch (action.stepwise) {
      case 'next': {
        const walk: Walk = { answerId: action.answerId, topic: action.topic, lang: action.lang, step: action.step - 1 };
        return this.nextStep(context, walk, action.lang, action.step);
      }
      case 'all':
        return this.showSteps(context, { answerId: action.answerId, topic: action.topic, lang: action.lang, step: 0 }, action.lang, { kind: 'all' });
      case 'feedback':
        return this.feedback(context, action.answerId, action.helpful, action.step, undefined, await this.conversationLang(context));
      case 'lang':
        (await this.userData.get(context, {})).lang = action.lang;
        return this.answer(context, '', { lang: action.lang, topic: action.topic });
      case 'topic':
        return this.answer(context, action.q, { lang: action.lang, topic: action.topic });
      case 'ask':
        return this.answer(context, action.text, { lang: action.lang });
    }
  }

  private async conversationLang(context: TurnContext): Promise<Lang> {
    const data = await this.conversationData.get(context, {});
    return data.walk?.lang ?? data.lang ?? (await this.fallbackLang(context));
  }

  /** Asks the engine and sends the card for its status; an answer starts a step-by-step walk. */
  private async answer(context: TurnContext, question: string, options: { lang: Lang; topic?: string }): Promise<void> {
    const answer = this.deps.engine.ask(question, options);
    const answerId = this.newId();
    await this.record(answerId, answer, question);
    const t = this.t(answer.requestedLang);
    const data = await this.conversationData.get(context, {});
    data.lang = answer.requestedLang;
    if (answer.status === 'clarify') {
      // Every choice button carries the question back; a whole paste in each would pass Teams' message size limit.
      await this.sendCard(context, clarifyCard(answer, t, question.slice(0, MAX_ACTION_TEXT)));
      return;
    }
    if (answer.status === 'not_found' || !answer.topic) {
      await this.sendCard(context, notFoundCard(answer, t));
      return;
    }
    data.walk = { answerId, topic: answer.topic.id, lang: answer.requestedLang, step: 0 };
    const mode: StepMode = answer.steps.length > 1 ? { kind: 'walk', step: 0 } : { kind: 'all' };
    await this.sendAnswerCard(context, answer, t, answerId, mode);
  }

  private async nextStep(context: TurnContext, walk: Walk, lang: Lang, step: number): Promise<void> {
    const answer = this.deps.engine.ask('', { lang, topic: walk.topic });
    const data = await this.conversationData.get(context, {});
    if (!answer.topic) return this.unknownTopic(context, data, lang);
    if (step >= answer.steps.length) {
      data.walk = { ...walk, lang, step: Math.max(answer.steps.length - 1, 0) };
      await this.sendCard(context, doneCard(this.t(lang), walk.answerId));
      return;
    }
    data.walk = { ...walk, lang, step };
    await this.sendAnswerCard(context, answer, this.t(lang), walk.answerId, { kind: 'walk', step });
  }

  private async showSteps(context: TurnContext, walk: Walk, lang: Lang, mode: StepMode): Promise<void> {
    const answer = this.deps.engine.ask('', { lang, topic: walk.topic });
    const data = await this.conversationData.get(context, {});
    if (!answer.topic) return this.unknownTopic(context, data, lang);
    data.walk = { ...walk, lang, step: Math.max(answer.steps.length - 1, 0) };
    await this.sendAnswerCard(context, answer, this.t(lang), walk.answerId, mode);
  }

  /** A button or walk names a topic the knowledge base no longer has (or never had): say so and end the walk. */
  private async unknownTopic(context: TurnContext, data: ConversationData, lang: Lang): Promise<void> {
    delete data.walk;
    await context.sendActivity(this.t(lang)('next.unknownTopic'));
  }

  private async sendAnswerCard(context: TurnContext, answer: Answer, t: TFunction, answerId: string, mode: StepMode): Promise<void> {
    const reply = MessageFactory.attachment(CardFactory.adaptiveCard(answerCard(answer, t, { answerId, mode, interactive: true })));
    // Teams shows its own 👍/👎 under messages that ask for it; the reply comes as message/submitAction.
    reply.channelData = { feedbackLoop: { type: 'default' } };
    const sent = await context.sendActivity(reply);
    if (sent?.id) {
      const data = await this.conversationData.get(context, {});
      data.sent = [...(data.sent ?? []), [sent.id, answerId] as [string, string]].slice(-SENT_KEPT);
    }
  }

  private async sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  }

  private async record(id: string, answer: Answer, question: string): Promise<void> {
    // The same rule as the HTTP API: what the engine reads is what is kept.
    const read = question.slice(0, MAX_QUESTION_CHARS);
    await this.deps.store.recordAnswer(answerRecord(id, answer, 'bot', this.now(), this.deps.storeQuestions ? read : undefined));
  }

  private async feedback(context: TurnContext, answerId: string, helpful: boolean, step: number | undefined, comment: string | undefined, lang: Lang): Promise<void> {
    await this.deps.store.addFeedback({
      id: this.newId(),
      at: this.now().toISOString(),
      channel: 'bot',
      answerId,
      helpful,
      ...(step !== undefined ? { step } : {}),
      ...(comment ? { comment } : {}),
    });
    await context.sendActivity(this.t(lang)(helpful ? 'feedback.thanks' : 'feedback.thanksNegative'));
  }

  /** Teams' built-in feedback loop arrives as the `message/submitAction` invoke. */
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
      // Teams reports any status but 200 to the user as a failure; an invoke this bot does not handle is acknowledged, empty.
      return response.status === 501 ? { status: 200, body: {} } : response;
    }
    const parsed = parseFeedbackLoop(context.activity.value);
    const data = await this.conversationData.get(context, {});
    // Teams names the rated message in replyToId; a client that leaves it out rates the latest answer.
    const replyToId = context.activity.replyToId;
    const answerId = replyToId ? data.sent?.find(([activityId]) => activityId === replyToId)?.[1] : data.sent?.at(-1)?.[1];
    if (!parsed || !answerId) return { status: 400, body: { error: 'stepwise: unknown feedback target' } };
    try {
      await this.feedback(context, answerId, parsed.helpful, undefined, parsed.comment, await this.conversationLang(context));
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
    const text = String(query.parameters?.find((p) => p.name === 'query')?.value ?? '').trim();
    const lang = textLang(text, (s) => this.deps.engine.detectLang(s)) ?? (await this.fallbackLang(context));
    const count = Math.min(Math.max(query.queryOptions?.count ?? 10, 1), 25);
    // Teams opens the extension with `initialRun` and no query text: offer the main topics then.
    const topicIds = text
      ? this.deps.engine.search(text, { lang, limit: count }).map((r) => r.topicId)
      : this.deps.engine.topics(lang).filter((x) => !x.parent && !x.legacy).slice(0, count).map((x) => x.id);
    const attachments = topicIds.map((topic) => this.searchResult(topic, lang));
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }

  private searchResult(topic: string, lang: Lang): MessagingExtensionAttachment {
    const answer = this.deps.engine.ask('', { lang, topic });
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

function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max / 4);
  return `${text.slice(0, head)}\n${CUT_MARK}\n${text.slice(text.length - (max - head - CUT_MARK.length - 2))}`;
}

/** The message text (at most MESSAGE_READ_CHARS of it) with the bot's @mention removed (group chats and channels) and HTML undone. */
export function messageText(activity: Activity): string {
  let text = activity.text ?? '';
  // removeRecipientMention reads activity.recipient.id and throws when recipient is missing.
  if (activity.recipient?.id) text = TurnContext.removeRecipientMention(activity) ?? text;
  return plainText(headAndTail(text, MESSAGE_READ_CHARS).replace(/<at>[^<]*<\/at>/g, ' ')).trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
