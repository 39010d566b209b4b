/** Store implementations behind the shared `Store` interface (see types.ts), and the one that config selects. */

export { createMemoryStore, type MemoryStore } from './memory.ts';
export { createSqliteStore, DATABASE_STORE_DEFAULTS, type DatabaseStoreOptions } from './sqlite.ts';
export { createPostgresStore } from './postgres.ts';
export { importJsonl, type ImportSummary } from './import.ts';
export type { StoreLogger } from './health.ts';
export type { AnswerRecord, FeedbackRecord, Store, StoreHealth, Channel, Insights, InsightsQuery, Gap, GapExample } from './types.ts';
export type {
  TicketRecord,
  TicketStatus,
  TicketAction,
  TicketActionResult,
  TicketQuery,
  DashboardQuery,
  DashboardData,
  DayCount,
  UnansweredQuestion,
} from './types.ts';
export { StoreUnavailableError } from './types.ts';
export { answerRecord } from './records.ts';

export { openStore, SQLITE_FILE, type StoreConfig } from './open.ts';
