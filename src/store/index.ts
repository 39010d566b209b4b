/** Store implementations behind the shared `Store` interface (see types.ts), and the one that config selects. */
import { join } from 'node:path';
import { createMemoryStore } from './memory.ts';
import { createPostgresStore } from './postgres.ts';
import { createSqliteStore } from './sqlite.ts';
import type { StoreLogger } from './health.ts';
import type { Store } from './types.ts';

export { createMemoryStore, type MemoryStore } from './memory.ts';
export { createSqliteStore, DATABASE_STORE_DEFAULTS, type DatabaseStoreOptions } from './sqlite.ts';
export { createPostgresStore } from './postgres.ts';
export { importJsonl, type ImportSummary } from './import.ts';
export type { StoreLogger } from './health.ts';
export type { AnswerRecord, FeedbackRecord, Store, StoreHealth, Channel, Insights, InsightsQuery, Gap, GapExample } from './types.ts';
export type { TicketRecord, TicketStatus, TicketAction, TicketActionResult, TicketQuery, DashboardQuery, DashboardData, DayCount, UnansweredQuestion } from './types.ts';
export { StoreUnavailableError } from './types.ts';
export { answerRecord } from './records.ts';

/** The SQLite file inside DATA_DIR. */
export const SQLITE_FILE = 'stepwise.db';

/** The part of Config that picks and tunes the store (dataDir already resolved). */
export interface StoreConfig {
  store: 'sqlite' | 'postgres' | 'memory';
  dataDir: string;
  databaseUrl?: string;
  questionRetentionDays: number;
}

/** Opens the configured store; the old JSON-lines files in dataDir are imported into a database store once. */
export function openStore(config: StoreConfig, logger: StoreLogger): Store {
  const options = { retentionDays: config.questionRetentionDays, importDir: config.dataDir, logger };
  if (config.store === 'memory') return createMemoryStore();
  if (config.store === 'postgres') return createPostgresStore(config.databaseUrl!, options);
  return createSqliteStore(join(config.dataDir, SQLITE_FILE), options);
}
