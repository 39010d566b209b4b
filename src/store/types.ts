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
  /** The question text; only kept when the operator allows it (see config), and only for the retention period. */
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

/** What GET /api/v1/insights asks: one language or all, and how many examples per gap. */
export interface InsightsQuery {
  lang?: Lang;
  examples: number;
}

/** One question that shows a content gap. */
export interface GapExample {
  answerId: string;
  /** When the answer was given (for 👎 examples too, so a gap's examples sort by question time). */
  at: string;
  status: AnswerStatus;
  question?: string;
  helpful?: boolean;
  step?: number;
  comment?: string;
}

/** Gaps of one topic (null: no topic matched) in one language. */
export interface Gap {
  topicId: string | null;
  lang: Lang;
  notFound: number;
  unhelpful: number;
  helpful: number;
  examples: GapExample[];
}

/** not_found answers and 👎 feedback per topic and language, worst first. */
export interface Insights {
  totals: { answers: number; notFound: number; feedback: number; unhelpful: number };
  gaps: Gap[];
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

/**
 * Durable store shared by every channel (HTTP API, widget, Teams bot). Writes resolve only once the
 * record is committed; a store that cannot write rejects with StoreUnavailableError.
 */
export interface Store {
  /** Records an answer; a second record with the same id is ignored (the first one stays). */
  recordAnswer(record: AnswerRecord): Promise<void>;
  getAnswer(id: string): Promise<AnswerRecord | undefined>;
  /** Records feedback; it counts in insights only when its answer was recorded before it. */
  addFeedback(record: FeedbackRecord): Promise<void>;
  getFeedback(id: string): Promise<FeedbackRecord | undefined>;
  /** Aggregates for /insights, computed by the database rather than over every record in memory. */
  insights(query: InsightsQuery): Promise<Insights>;
  /** Cheap and synchronous: not ready while starting or while writes fail, ready again once one succeeds. */
  health(): StoreHealth;
  /** Flushes pending writes and releases the database. */
  close(): Promise<void>;
}
