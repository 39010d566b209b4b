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

/** Whether the store can take writes now; /readyz answers 503 while `ready` is false. */
export interface StoreHealth {
  ready: boolean;
  /** Why not ready (e.g. "SQLITE_FULL: database or disk is full"); absent when ready. */
  reason?: string;
}

/**
 * Thrown (as a rejection) when the store cannot read or write right now: disk full, database down,
 * I/O error. Nothing was acknowledged; the HTTP layer answers 503 with `Retry-After: retryAfterSeconds`.
 */
export class StoreUnavailableError extends Error {
  /** Seconds a client should wait before retrying. */
  readonly retryAfterSeconds: number;
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(`Store: ${message}`, { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }
}

/** Durable store shared by every channel (HTTP API, widget, Teams bot). */
export interface Store {
  recordAnswer(record: AnswerRecord): Promise<void>;
  getAnswer(id: string): Promise<AnswerRecord | undefined>;
  addFeedback(record: FeedbackRecord): Promise<void>;
  answers(): Promise<AnswerRecord[]>;
  feedback(): Promise<FeedbackRecord[]>;
  /** Cheap and synchronous: not ready while writes fail, ready again once one succeeds. */
  health(): StoreHealth;
  close(): Promise<void>;
}
