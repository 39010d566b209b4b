import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_DOC, parseConfig } from '../../../src/config.ts';

describe('config', () => {
  it('starts on embedded defaults with an empty environment', () => {
    assert.deepEqual(parseConfig({}), {
      port: 3978,
      host: '0.0.0.0',
      contentDir: './content',
      contentWatch: false,
      localesDir: './locales',
      store: 'sqlite',
      dataDir: './data',
      questionRetentionDays: 90,
      logLevel: 'info',
      logQuestions: false,
      storeQuestions: true,
      corsOrigins: [],
      apiKeys: [],
      adminKeys: [],
      widgetKeys: [],
      rateLimit: { max: 300, windowMs: 60_000 },
      trustProxy: 0,
      answerCacheSize: 1000,
    });
  });

  it('parses lists, flags and numbers', () => {
    const c = parseConfig({
      PORT: '8080',
      CORS_ORIGINS: 'https://a.contoso.com, https://b.contoso.com/',
      API_KEYS: 'k1,,k2 ',
      LOG_QUESTIONS: 'yes',
      STORE: 'memory',
      RATE_LIMIT_MAX: '0',
      ANSWER_CACHE_SIZE: '0',
    });
    assert.equal(c.port, 8080);
    assert.deepEqual(c.corsOrigins, ['https://a.contoso.com', 'https://b.contoso.com']);
    assert.deepEqual(c.apiKeys, ['k1', 'k2']);
    assert.equal(c.logQuestions, true);
    assert.equal(c.store, 'memory');
    assert.equal(c.rateLimit.max, 0);
    assert.equal(c.answerCacheSize, 0);
  });

  it('fails early with a message naming the variable and the value', () => {
    assert.throws(() => parseConfig({ PORT: '80a' }), { message: 'Config: PORT must be an integer from 0 to 65535, got "80a"' });
    assert.throws(() => parseConfig({ STORE: 'mysql' }), { message: 'Config: STORE must be one of sqlite, postgres, memory, file, got "mysql"' });
    assert.throws(() => parseConfig({ ANSWER_CACHE_SIZE: '-1' }), { message: 'Config: ANSWER_CACHE_SIZE must be an integer from 0 to 1000000, got "-1"' });
    assert.throws(() => parseConfig({ LOG_QUESTIONS: 'maybe' }), { message: 'Config: LOG_QUESTIONS must be true or false, got "maybe"' });
    assert.throws(() => parseConfig({ CORS_ORIGINS: 'https://a.com/widget' }), {
      message: 'Config: CORS_ORIGINS entry "https://a.com/widget" must be a bare origin such as https://portal.contoso.com',
    });
  });

  it('reads WIDGET_KEYS as key=origin pairs and refuses a path, a short key or a key that is also an API key', () => {
    assert.deepEqual(parseConfig({ WIDGET_KEYS: 'wk_portal_01=https://portal.contoso.com/, wk_wiki_0002=http://localhost:8080' }).widgetKeys, [
      { key: 'wk_portal_01', origin: 'https://portal.contoso.com' },
      { key: 'wk_wiki_0002', origin: 'http://localhost:8080' },
    ]);
    assert.throws(() => parseConfig({ WIDGET_KEYS: 'wk_portal_01=https://portal.contoso.com/help' }), {
      message:
        'Config: WIDGET_KEYS entry for key wk_portal_01 must name a bare origin such as https://portal.contoso.com, got "https://portal.contoso.com/help"',
    });
    assert.throws(() => parseConfig({ WIDGET_KEYS: 'short=https://a.com' }), {
      message: 'Config: WIDGET_KEYS entry "short=https://a.com" must be key=origin with a key of 8 to 128 letters, digits, _ or -',
    });
    assert.throws(() => parseConfig({ API_KEYS: 'secret-api-key', WIDGET_KEYS: 'secret-api-key=https://a.com' }), {
      message: 'Config: WIDGET_KEYS key secret-api-key is also an API or admin key; widget keys are public, use a separate one',
    });
  });

  it('documents every variable it reads', () => {
    assert.deepEqual(
      CONFIG_DOC.map((v) => v.name),
      [
        'PORT',
        'HOST',
        'CONTENT_DIR',
        'CONTENT_WATCH',
        'LOCALES_DIR',
        'STORE',
        'DATA_DIR',
        'DATABASE_URL',
        'QUESTION_RETENTION_DAYS',
        'LOG_LEVEL',
        'LOG_QUESTIONS',
        'STORE_QUESTIONS',
        'CORS_ORIGINS',
        'API_KEYS',
        'ADMIN_KEYS',
        'WIDGET_KEYS',
        'RATE_LIMIT_MAX',
        'RATE_LIMIT_WINDOW_MS',
        'TRUST_PROXY',
        'ANSWER_CACHE_SIZE',
        'TICKET_WEBHOOK_URL',
        'TICKET_WEBHOOK_SECRET',
        'TICKET_WEBHOOK_ATTEMPTS',
        'TICKET_WEBHOOK_BACKOFF_MS',
      ],
    );
  });

  it('reads the ticket webhook, and refuses a URL without a secret of 16 characters', () => {
    assert.equal(parseConfig({}).ticketWebhook, undefined);
    assert.deepEqual(
      parseConfig({ TICKET_WEBHOOK_URL: 'https://hooks.contoso.com/stepwise', TICKET_WEBHOOK_SECRET: 'a-secret-of-16-chars', TICKET_WEBHOOK_ATTEMPTS: '3' })
        .ticketWebhook,
      {
        url: 'https://hooks.contoso.com/stepwise',
        secret: 'a-secret-of-16-chars',
        attempts: 3,
        backoffMs: 1000,
      },
    );
    assert.throws(() => parseConfig({ TICKET_WEBHOOK_URL: 'https://hooks.contoso.com/stepwise', TICKET_WEBHOOK_SECRET: 'short' }), {
      message: 'Config: TICKET_WEBHOOK_URL needs TICKET_WEBHOOK_SECRET of at least 16 characters',
    });
    assert.throws(() => parseConfig({ TICKET_WEBHOOK_URL: 'ftp://x', TICKET_WEBHOOK_SECRET: 'a-secret-of-16-chars' }), {
      message: 'Config: TICKET_WEBHOOK_URL must be an http:// or https:// URL',
    });
  });
});

describe('src/README.md (Running Stepwise)', () => {
  it('documents every configuration variable', () => {
    const readme = readFileSync(new URL('../../../src/README.md', import.meta.url), 'utf8');
    for (const v of CONFIG_DOC) assert.ok(readme.includes(`| \`${v.name}\` |`), `README lacks ${v.name}`);
  });
});
