import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config.ts';

const pick = (env: Record<string, string>) => {
  const c = parseConfig(env);
  return { store: c.store, databaseUrl: c.databaseUrl, questionRetentionDays: c.questionRetentionDays };
};

describe('store configuration', () => {
  it('is SQLite under DATA_DIR by default, keeping question text 90 days', () => {
    assert.deepEqual(pick({}), { store: 'sqlite', databaseUrl: undefined, questionRetentionDays: 90 });
  });

  it('is PostgreSQL when DATABASE_URL is set, unless STORE says otherwise', () => {
    const url = 'postgres://app:secret@db:5432/stepwise';
    assert.deepEqual(pick({ DATABASE_URL: url }), { store: 'postgres', databaseUrl: url, questionRetentionDays: 90 });
    assert.deepEqual(pick({ DATABASE_URL: url, STORE: 'memory' }), { store: 'memory', databaseUrl: undefined, questionRetentionDays: 90 });
  });

  it('reads STORE=file, the old JSON-lines store, as SQLite (its files are imported)', () => {
    assert.equal(parseConfig({ STORE: 'file' }).store, 'sqlite');
  });

  it('refuses STORE=postgres without a URL, a URL of another scheme without echoing it, and a bad retention', () => {
    assert.throws(() => parseConfig({ STORE: 'postgres' }), { message: 'Config: STORE=postgres needs DATABASE_URL' });
    assert.throws(() => parseConfig({ DATABASE_URL: 'mysql://u:pw@h/db' }), { message: 'Config: DATABASE_URL must start with postgres:// or postgresql://' });
    assert.throws(() => parseConfig({ QUESTION_RETENTION_DAYS: '-1' }), {
      message: 'Config: QUESTION_RETENTION_DAYS must be an integer from 0 to 36500, got "-1"',
    });
    assert.equal(parseConfig({ QUESTION_RETENTION_DAYS: '0' }).questionRetentionDays, 0);
  });
});
