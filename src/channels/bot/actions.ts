import { isLang, type Lang } from '../../engine/types.ts';

/**
 * The `data` of every Action.Submit the bot puts on a card. Buttons carry everything they need
 * (topic, language, step), so a tap works even when conversation state was lost or lives elsewhere.
 */
export type CardAction =
  | { stepwise: 'next'; answerId: string; topic: string; lang: Lang; step: number }
  | { stepwise: 'all'; answerId: string; topic: string; lang: Lang }
  | { stepwise: 'feedback'; answerId: string; helpful: boolean; step?: number }
  | { stepwise: 'lang'; topic: string; lang: Lang }
  | { stepwise: 'topic'; topic: string; lang: Lang; q: string }
  | { stepwise: 'ask'; text: string; lang: Lang };

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
      return answerId && topic && lang && Number.isInteger(v.step) && (v.step as number) >= 0
        ? { stepwise: 'next', answerId, topic, lang, step: v.step as number }
        : undefined;
    case 'all':
      return answerId && topic && lang ? { stepwise: 'all', answerId, topic, lang } : undefined;
    case 'feedback': {
      if (!answerId || typeof v.helpful !== 'boolean') return undefined;
      const step = Number.isInteger(v.step) && (v.step as number) > 0 ? (v.step as number) : undefined;
      return step === undefined
        ? { stepwise: 'feedback', answerId, helpful: v.helpful }
        : { stepwise: 'feedback', answerId, helpful: v.helpful, step };
    }
    case 'lang':
      return topic && lang ? { stepwise: 'lang', topic, lang } : undefined;
    case 'topic':
      return topic && lang ? { stepwise: 'topic', topic, lang, q: typeof v.q === 'string' ? v.q.slice(0, MAX_ACTION_TEXT) : '' } : undefined;
    case 'ask': {
      const text = str(v.text);
      return text && lang ? { stepwise: 'ask', text, lang } : undefined;
    }
    default:
      return undefined;
  }
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
