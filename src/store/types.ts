import type { AnswerStatus, Lang } from '../engine/types.ts';
import type { OutboxStore, TicketEventBuilder } from './outbox.ts';

/** Where an answer or a piece of feedback came from. */
export type Channel = 'http' | 'widget' | 'bot' | 'cli' | 'teams';

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

/** Where a ticket is: waiting for an expert, taken by one, or answered. */
export type TicketStatus = 'open' | 'assigned' | 'resolved';

/**
 * A request for an expert, carrying what the expert needs without asking again: the question as the
 * engine read it (error statements first), the answer given and the asker's feedback on it.
 */
export interface TicketRecord {
  id: string;
  /** SHA-256 (hex) of the asker's ticket token; the token itself is never stored. */
  tokenHash: string;
  at: string;
  updatedAt: string;
  status: TicketStatus;
  channel: Channel;
  lang: Lang;
  question: string;
  /** The error statements the engine found in the question, in order. */
  statements: string[];
  /** Error codes the engine found, most specific first. */
  codes: string[];
  answerId?: string;
  topicId?: string;
  answerStatus?: AnswerStatus;
  /** How many steps the asker walked (the last step shown). */
  stepsWalked?: number;
  helpful?: boolean;
  comment?: string;
  /** How to reach the asker (the widget's optional contact field). */
  contact?: string;
  /** Who asked, when the channel knows (a Teams user id). */
  asker?: string;
  /**
   * Where the asker's channel can reach them again to tell them the answer: opaque to the store (for Teams, the
   * conversation reference as JSON). Never shown to the asker, the experts or the webhook.
   */
  askerAddress?: string;
  /** Where the ticket's card for the experts is (for Teams, the channel and the card's message id as JSON), so it can be updated in place. */
  expertCard?: string;
  assignee?: string;
  resolution?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** Set when an expert proposed the ticket for the knowledge base (the dashboard's "from gap to content" list). */
  knowledgeBase?: { at: string; by: string; note?: string };
}

/** An expert's action on a ticket. */
export type TicketAction =
  | { kind: 'assign'; expert: string; at: string }
  | { kind: 'resolve'; expert: string; answer: string; at: string }
  | { kind: 'knowledgeBase'; expert: string; at: string; note?: string };

/** What an action did: done, no such ticket, or refused because the ticket is already resolved. */
export type TicketActionResult = { outcome: 'done'; ticket: TicketRecord } | { outcome: 'unknown' } | { outcome: 'resolved'; ticket: TicketRecord };

/** Which tickets to list, newest first. */
export interface TicketQuery {
  status?: TicketStatus;
  /** Only tickets proposed for the knowledge base. */
  knowledgeBase?: boolean;
  limit: number;
}

/** What the admin dashboard reads: per-day counts from `since` (a YYYY-MM-DD day), the newest unanswered questions. */
export interface DashboardQuery {
  since: string;
  /** How many of the newest not_found questions (with text) to return, over all languages. */
  unanswered: number;
}

/** Answers of one day, language and status. */
export interface DayCount {
  day: string;
  lang: Lang;
  status: AnswerStatus;
  n: number;
}

/** A not_found question kept with its text. */
export interface UnansweredQuestion {
  answerId: string;
  at: string;
  lang: Lang;
  question: string;
}

/** The dashboard's data, each part read from counts or indexes (never a scan of every answer). */
export interface DashboardData {
  days: DayCount[];
  /** 👍/👎 per topic ('' for none) and language of the answer. */
  feedback: Array<{ lang: Lang; topicId: string; helpful: boolean; n: number }>;
  unanswered: UnansweredQuestion[];
  /** Tickets opened and resolved per day since `since`. */
  ticketDays: Array<{ day: string; opened: number; resolved: number }>;
  /** Minutes from opening to resolution of the tickets resolved since `since`. */
  resolveMinutes: number[];
  tickets: { open: number; assigned: number; resolved: number };
}

/**
 * Durable store shared by every channel (HTTP API, widget, Teams bot). Writes resolve only once the
 * record is committed; a store that cannot write rejects with StoreUnavailableError.
 */
export interface Store extends OutboxStore {
  /** Records an answer; a second record with the same id is ignored (the first one stays). */
  recordAnswer(record: AnswerRecord): Promise<void>;
  getAnswer(id: string): Promise<AnswerRecord | undefined>;
  /** Records feedback; it counts in insights only when its answer was recorded before it. */
  addFeedback(record: FeedbackRecord): Promise<void>;
  getFeedback(id: string): Promise<FeedbackRecord | undefined>;
  /** Aggregates for /insights, computed by the database rather than over every record in memory. */
  insights(query: InsightsQuery): Promise<Insights>;
  /** Stores a new ticket, and its webhook event (the outbox row `event` builds) in the same transaction; resolves after commit. */
  createTicket(ticket: TicketRecord, event?: TicketEventBuilder): Promise<void>;
  getTicket(id: string): Promise<TicketRecord | undefined>;
  /** Applies an expert's action in one transaction (with its webhook event when done); assign and resolve are refused on a resolved ticket. */
  actOnTicket(id: string, action: TicketAction, event?: TicketEventBuilder): Promise<TicketActionResult>;
  listTickets(query: TicketQuery): Promise<TicketRecord[]>;
  /** Records where the ticket's card for the experts was posted (see TicketRecord.expertCard); false for an unknown ticket. */
  setTicketCard(id: string, card: string): Promise<boolean>;
  /** A named place a channel posts to (the Teams experts' channel), opaque to the store; undefined when none is kept. */
  getAddress(name: string): Promise<string | undefined>;
  /** Keeps (or, with undefined, forgets) a named address; resolves after commit. */
  setAddress(name: string, address: string | undefined, at: string): Promise<void>;
  /** The admin dashboard's data, from per-day counts and indexes. */
  dashboard(query: DashboardQuery): Promise<DashboardData>;
  /** Cheap and synchronous: not ready while starting or while writes fail, ready again once one succeeds. */
  health(): StoreHealth;
  /** Flushes pending writes and releases the database. */
  close(): Promise<void>;
}
