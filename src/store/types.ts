import type { AnswerStatus, Lang } from '../engine/types.ts';

/** Where an answer or a piece of feedback came from. */
export type Channel = 'http' | 'widget' | 'bot' | 'cli';

/** One answer given, kept so feedback and insights can refer to it. */
export interface AnswerRecord {
  id: string;
  at: string;
  channel: Channel;
  lang: Lang;
  status: AnswerStatus;
  topicId?: string;
  /** The question text; only kept when the operator allows it (see config). */
  question?: string;
}

/** A 👍/👎 on an answer, optionally on one step, with an optional comment. */
export interface FeedbackRecord {
  id: string;
  at: string;
  channel: Channel;
  answerId: string;
  helpful: boolean;
  step?: number;
  comment?: string;
}

/** Durable store shared by every channel (HTTP API, widget, Teams bot). */
export interface Store {
  recordAnswer(record: AnswerRecord): Promise<void>;
  getAnswer(id: string): Promise<AnswerRecord | undefined>;
  addFeedback(record: FeedbackRecord): Promise<void>;
  answers(): Promise<AnswerRecord[]>;
  feedback(): Promise<FeedbackRecord[]>;
  close(): Promise<void>;
}
