/**
 * Invoke responses when the bot cannot do what an invoke asked: a handler that failed mid-turn, or a card action
 * (Action.Execute) it does not know. Each is a 200 in the shape the invoke expects, carrying a sentence in the
 * user's language, so Teams shows that sentence instead of its generic "something went wrong" (which it shows
 * for any other status, 501 and 500 included).
 */
import type { Activity, InvokeResponse } from 'botbuilder';
import { isLang, type Lang } from '../../engine/types.ts';
import { localeLang } from './intent.ts';

/** The response for invoke `activity` that tells the user `text`. */
export function invokeMessage(activity: Pick<Activity, 'name'>, text: string): InvokeResponse {
  const name = activity.name ?? '';
  // Universal Actions: an AdaptiveCardInvokeResponse; a message is shown to the user who pressed the button.
  if (name === 'adaptiveCard/action') return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } };
  if (name.startsWith('composeExtension/')) return { status: 200, body: { composeExtension: { type: 'message', text } } };
  if (name === 'task/fetch' || name === 'task/submit') return { status: 200, body: { task: { type: 'message', value: text } } };
  // Other invokes (the feedback loop's message/submitAction, signin/*) take no text: acknowledged, empty.
  return { status: 200, body: {} };
}

/** The language of the user behind an invoke: the card's own `lang` (the card's language), then Teams' locale, then English. */
export function invokeLang(activity: Pick<Activity, 'value' | 'locale'>): Lang {
  const value = activity.value as { lang?: unknown; action?: { data?: { lang?: unknown } }; data?: { lang?: unknown } } | undefined;
  for (const candidate of [value?.action?.data?.lang, value?.data?.lang, value?.lang]) if (isLang(candidate)) return candidate;
  return localeLang(activity.locale) ?? 'en';
}
