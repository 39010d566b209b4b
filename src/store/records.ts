import type { Answer } from '../engine/types.ts';
import type { AnswerRecord, Channel } from './types.ts';

/**
 * The stored record of one answer, the same for every channel. Its language is the one the user
 * asked in, so a Korean question answered from English content counts as a Korean gap in insights.
 */
export function answerRecord(id: string, answer: Answer, channel: Channel, at: Date, question?: string): AnswerRecord {
  return {
    id,
    at: at.toISOString(),
    channel,
    lang: answer.requestedLang,
    status: answer.status,
    ...(answer.topic ? { topicId: answer.topic.id } : {}),
    ...(question ? { question } : {}),
  };
}
