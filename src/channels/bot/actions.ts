import { isLang, type Lang } from '../../engine/types.ts';

/** What an answer card shows: a topic in a language, at one step (0-based) or with all its steps. */
export interface CardView {
  topic: string;
  lang: Lang;
  step: number;
  all?: boolean;
}

/**
 * The `data` of every Action.Submit the bot puts on a card. Buttons carry everything they need
 * (answer, topic, language, step), so a tap works on the card it came from, even when conversation
 * state was lost or lives elsewhere. `next`/`back`/`all`/`lang` carry the view the tap leads to.
 */
export type CardAction =
  | ({ stepwise: 'next' | 'back' | 'all' | 'lang'; answerId?: string } & CardView)
  | { stepwise: 'feedback'; answerId: string; helpful: boolean; step?: number; view?: CardView; comment?: string }
  | { stepwise: 'comment'; answerId: string; step?: number; view: CardView }
  | { stepwise: 'topic'; topic: string; lang: Lang; q: string }
  | { stepwise: 'ask'; text: string; lang: Lang }
  | ExpertRequest
  | TicketCardAction
  | { stepwise: 'invalid'; what: 'expert' | 'ticket' };

/**
 * The asker's "Ask an expert" on an answer card: the answer, and what the asker did with it (the step the card
 * was at, the 👎 and its comment). `view` is the card's, so the card can show that the question was sent.
 */
export interface ExpertRequest {
  stepwise: 'expert';
  answerId: string;
  lang: Lang;
  step?: number;
  helpful?: boolean;
  comment?: string;
  view?: CardView;
}

/** What an expert does from a ticket's card in the experts' channel. */
export type TicketCardVerb = 'assign' | 'resolve' | 'knowledgeBase';

/** An expert's button on a ticket card; `answer` is the Resolve box's text, which Teams merges into the data. */
export interface TicketCardAction {
  stepwise: 'ticket';
  act: TicketCardVerb;
  ticketId: string;
  answer?: string;
}

/** Characters of an expert's answer: a Teams message holds about 28 KB, three bytes a character in Korean or Chinese. */
export const MAX_ANSWER_TEXT = 4000;

/** Characters of one text field a card action carries; longer ones are refused or cut when read. */
export const MAX_ACTION_TEXT = 2000;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ACTION_TEXT ? value : undefined;
}

/** Reads an activity's `value` as a CardAction; anything else (or anything malformed) is undefined. */
export function parseCardAction(value: unknown): CardAction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const lang = isLang(v.lang) ? v.lang : undefined;
  const topic = str(v.topic);
  const answerId = str(v.answerId);
  switch (v.stepwise) {
    case 'next':
    case 'back':
    case 'all':
    case 'lang': {
      // Cards sent before views were carried have no step on `all` and no answer or step on `lang`.
      const view = parseView({ ...v, step: v.step ?? 0 });
      if (!view || (v.stepwise !== 'lang' && !answerId)) return undefined;
      return { stepwise: v.stepwise, ...(answerId ? { answerId } : {}), ...view, ...(v.stepwise === 'all' ? { all: true } : {}) };
    }
    case 'feedback': {
      if (!answerId || typeof v.helpful !== 'boolean') return undefined;
      const step = Number.isInteger(v.step) && (v.step as number) > 0 ? (v.step as number) : undefined;
      const view = parseView(v.view);
      // Teams merges the card's comment box into the data as `comment`.
      const comment = typeof v.comment === 'string' ? v.comment.trim().slice(0, MAX_ACTION_TEXT) : '';
      return {
        stepwise: 'feedback',
        answerId,
        helpful: v.helpful,
        ...(step !== undefined ? { step } : {}),
        ...(view ? { view } : {}),
        ...(comment ? { comment } : {}),
      };
    }
    case 'comment': {
      const view = parseView(v.view);
      if (!answerId || !view) return undefined;
      const step = Number.isInteger(v.step) && (v.step as number) > 0 ? (v.step as number) : undefined;
      return { stepwise: 'comment', answerId, ...(step !== undefined ? { step } : {}), view };
    }
    case 'topic':
      return topic && lang ? { stepwise: 'topic', topic, lang, q: typeof v.q === 'string' ? v.q.slice(0, MAX_ACTION_TEXT) : '' } : undefined;
    case 'ask': {
      const text = str(v.text);
      return text && lang ? { stepwise: 'ask', text, lang } : undefined;
    }
    case 'expert': {
      // A button the bot did not make (or a card from an older version): said so, never treated as a question.
      if (!answerId || !lang) return { stepwise: 'invalid', what: 'expert' };
      const step = Number.isInteger(v.step) && (v.step as number) > 0 ? (v.step as number) : undefined;
      const comment = typeof v.comment === 'string' ? v.comment.trim().slice(0, MAX_ACTION_TEXT) : '';
      const view = parseView(v.view);
      return {
        stepwise: 'expert',
        answerId,
        lang,
        ...(step !== undefined ? { step } : {}),
        ...(typeof v.helpful === 'boolean' ? { helpful: v.helpful } : {}),
        ...(comment ? { comment } : {}),
        ...(view ? { view } : {}),
      };
    }
    case 'ticket': {
      const ticketId = typeof v.ticketId === 'string' && /^[\w-]{1,100}$/.test(v.ticketId) ? v.ticketId : undefined;
      const act = v.act === 'assign' || v.act === 'resolve' || v.act === 'knowledgeBase' ? v.act : undefined;
      if (!ticketId || !act) return { stepwise: 'invalid', what: 'ticket' };
      // Teams merges the Resolve box into the data as `answer`; an empty box is read as no answer (the bot asks for one).
      const answer = typeof v.answer === 'string' ? v.answer.trim().slice(0, MAX_ANSWER_TEXT) : '';
      return { stepwise: 'ticket', act, ticketId, ...(act === 'resolve' && answer ? { answer } : {}) };
    }
    default:
      return undefined;
  }
}

/** A card view from action data, or undefined when any part is missing or malformed. */
function parseView(value: unknown): CardView | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const topic = str(v.topic);
  if (!topic || !isLang(v.lang) || !Number.isInteger(v.step) || (v.step as number) < 0) return undefined;
  return { topic, lang: v.lang, step: v.step as number, ...(v.all === true ? { all: true } : {}) };
}

/** Teams' feedback loop (`message/submitAction`): 👍/👎 and the optional comment the user typed. */
export function parseFeedbackLoop(value: unknown): { helpful: boolean; comment?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { actionName?: unknown; actionValue?: { reaction?: unknown; feedback?: unknown } };
  if (v.actionName !== 'feedback' || typeof v.actionValue !== 'object' || v.actionValue === null) return undefined;
  const { reaction, feedback } = v.actionValue;
  if (reaction !== 'like' && reaction !== 'dislike') return undefined;
  const comment = feedbackText(feedback);
  return comment ? { helpful: reaction === 'like', comment } : { helpful: reaction === 'like' };
}

// Teams sends the comment as a JSON string '{"feedbackText":"…"}'; older clients sent plain text.
function feedbackText(feedback: unknown): string | undefined {
  if (typeof feedback !== 'string' || feedback.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(feedback) as { feedbackText?: unknown };
    if (typeof parsed?.feedbackText === 'string') return parsed.feedbackText.trim().slice(0, MAX_ACTION_TEXT) || undefined;
  } catch {
    // not JSON: keep the text as it is
  }
  return feedback.trim().slice(0, MAX_ACTION_TEXT);
}
