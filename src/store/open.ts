/**
 * Opening the store that config selects. PostgreSQL's driver is imported only for a PostgreSQL store: `pg` loads
 * undici when it is imported (to tell Node from Cloudflare Workers), about 80 ms of every start that a SQLite store
 * would pay for nothing. The server and the CLI import this module, not index.ts, which re-exports the PostgreSQL
 * store for tests.
 */
import { join } from 'node:path';
import type { StoreLogger } from './health.ts';
import { createMemoryStore } from './memory.ts';
import { createSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

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
export async function openStore(config: StoreConfig, logger: StoreLogger): Promise<Store> {
  const options = { retentionDays: config.questionRetentionDays, importDir: config.dataDir, logger };
  if (config.store === 'memory') return createMemoryStore();
  if (config.store === 'postgres') return (await import('./postgres.ts')).createPostgresStore(config.databaseUrl!, options);
  return createSqliteStore(join(config.dataDir, SQLITE_FILE), options);
}
