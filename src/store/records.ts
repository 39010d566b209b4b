import { isLang, type Answer, type AnswerStatus } from '../engine/types.ts';
import type { AnswerRecord, Channel, FeedbackRecord } from './types.ts';

/**
 * The stored record of one answer, the same for every channel. Its language is the one the user
 * asked in, so a Korean question answered from English content counts as a Korean gap in insights.
 */
export function answerRecord(id: string, answer: Answer, channel: Channel, at: Date, question?: string): AnswerRecord {
  // Field by field, as parseAnswerRecord builds it: spreading the optional fields in took V8's slow path on every ask.
  const record: AnswerRecord = { id, at: at.toISOString(), channel, lang: answer.requestedLang, status: answer.status };
  if (answer.topic) record.topicId = answer.topic.id;
  if (question) record.question = question;
  return record;
}

const CHANNELS: readonly string[] = ['http', 'widget', 'bot', 'cli'] satisfies Channel[];
const STATUSES: readonly string[] = ['answered', 'clarify', 'not_found'] satisfies AnswerStatus[];

/** A record read from outside (an old JSONL line), checked field by field; a string says what is wrong. */
type Parsed<T> = T | string;

function object(value: unknown): Record<string, unknown> | string {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : 'object';
}

/** An ISO-8601 time string, normalized so that text order is time order; a number is refused (unit unknown). */
function time(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const text = (value: unknown, max = 200): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

/** The fields every record has (id, time, channel), checked, or the first one refused. */
function common(o: Record<string, unknown>): Parsed<{ id: string; at: string; channel: Channel }> {
  const at = time(o.at);
  if (!text(o.id)) return 'id';
  if (!at) return 'at';
  if (typeof o.channel !== 'string' || !CHANNELS.includes(o.channel)) return 'channel';
  return { id: o.id, at, channel: o.channel as Channel };
}

/** Checks an answer record from outside; returns the record (with `at` normalized) or why it is refused. */
export function parseAnswerRecord(value: unknown): Parsed<AnswerRecord> {
  const o = object(value);
  if (typeof o === 'string') return o;
  const base = common(o);
  if (typeof base === 'string') return base;
  if (!isLang(o.lang)) return 'lang';
  if (typeof o.status !== 'string' || !STATUSES.includes(o.status)) return 'status';
  if (o.topicId !== undefined && !text(o.topicId)) return 'topicId';
  if (o.question !== undefined && typeof o.question !== 'string') return 'question';
  // Built field by field, not spread together: this runs for every answer stored, and spreading small objects into
  // one (the optional fields' especially) cost more than all the checks above.
  const record: AnswerRecord = { id: base.id, at: base.at, channel: base.channel, lang: o.lang, status: o.status as AnswerStatus };
  if (o.topicId !== undefined) record.topicId = o.topicId;
  if (o.question !== undefined) record.question = o.question;
  return record;
}

/** Checks a feedback record from outside; returns the record (with `at` normalized) or why it is refused. */
export function parseFeedbackRecord(value: unknown): Parsed<FeedbackRecord> {
  const o = object(value);
  if (typeof o === 'string') return o;
  const base = common(o);
  if (typeof base === 'string') return base;
  if (!text(o.answerId)) return 'answerId';
  if (typeof o.helpful !== 'boolean') return 'helpful';
  if (o.step !== undefined && !(Number.isInteger(o.step) && (o.step as number) >= 1)) return 'step';
  if (o.comment !== undefined && typeof o.comment !== 'string') return 'comment';
  // Field by field, as for an answer record.
  const record: FeedbackRecord = { id: base.id, at: base.at, channel: base.channel, answerId: o.answerId, helpful: o.helpful };
  if (o.step !== undefined) record.step = o.step as number;
  if (o.comment !== undefined) record.comment = o.comment;
  return record;
}

/** Like parseAnswerRecord for a record built in this process: a refusal is a bug, so it throws. */
export function checkedAnswer(record: AnswerRecord): AnswerRecord {
  const parsed = parseAnswerRecord(record);
  if (typeof parsed === 'string') throw new Error(`Store: answer record ${JSON.stringify(record.id)} has an invalid ${parsed}`);
  return parsed;
}

/** Like parseFeedbackRecord for a record built in this process: a refusal is a bug, so it throws. */
export function checkedFeedback(record: FeedbackRecord): FeedbackRecord {
  const parsed = parseFeedbackRecord(record);
  if (typeof parsed === 'string') throw new Error(`Store: feedback record ${JSON.stringify(record.id)} has an invalid ${parsed}`);
  return parsed;
}
