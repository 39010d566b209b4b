/** Typed configuration: parsed from an environment-like object, validated at start-up, documented in CONFIG_DOC. */

export interface RateLimitConfig {
  /** Requests allowed per client per window; 0 turns the limiter off. */
  max: number;
  windowMs: number;
}

export interface Config {
  port: number;
  host: string;
  contentDir: string;
  /** Reload the content when a file under contentDir changes (development; `npm run dev` turns it on). */
  contentWatch: boolean;
  localesDir: string;
  /** 'sqlite' (a file under dataDir), 'postgres' (databaseUrl, for several replicas) or 'memory' (lost on exit). */
  store: StoreKind;
  /** The SQLite file's directory, and where the old JSON-lines files are imported from once. */
  dataDir: string;
  /** PostgreSQL connection string (holds a password: never log it). */
  databaseUrl?: string;
  /** Days question text and feedback comments are kept; counts are kept forever. 0 keeps the text forever. */
  questionRetentionDays: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Write question text into the logs (off by default: questions may hold customer data). */
  logQuestions: boolean;
  /** Keep question text in the store so /insights can show it to content authors. */
  storeQuestions: boolean;
  /** Origins allowed to call the API from a browser (the widget's hosts). */
  corsOrigins: string[];
  /** When non-empty, /api/v1 answers 401 unless one of these keys is sent. */
  apiKeys: string[];
  /** Keys that unlock GET /api/v1/insights; empty means nobody can read insights. */
  adminKeys: string[];
  /** Public keys for the web widget, each bound to the one origin whose pages may use it (POST /ask and /feedback only). */
  widgetKeys: Array<{ key: string; origin: string }>;
  rateLimit: RateLimitConfig;
  /** Express `trust proxy` setting: hops of reverse proxies in front of the app. */
  trustProxy: number;
  /** Answers memoized per normalized (question, lang, topic); 0 turns the cache off. */
  answerCacheSize: number;
  /** Where ticket events go, signed with the secret; absent: no webhook. */
  ticketWebhook?: TicketWebhookConfig;
}

/** TICKET_WEBHOOK_*: the URL ticket events are POSTed to, the HMAC-SHA256 secret, attempts and first backoff. */
export interface TicketWebhookConfig {
  url: string;
  secret: string;
  attempts: number;
  backoffMs: number;
}

export const STORE_KINDS = ['sqlite', 'postgres', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** One documented variable: name, default and what it does (documented in src/README.md). */
export interface ConfigVar {
  name: string;
  default: string;
  description: string;
}

// The Teams bot's variables (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId,
// BOT_STATE_BLOB_CONNECTION_STRING, BOT_STATE_BLOB_CONTAINER) are parsed by the bot channel's own schema.
export { parseBotConfig, BotConfigError, BOT_CONFIG_DOC, type BotConfig } from './channels/bot/config.ts';

/** Every environment variable the server reads, with its default. */
export const CONFIG_DOC: ConfigVar[] = [
  { name: 'PORT', default: '3978', description: 'TCP port to listen on (0 picks a free one).' },
  { name: 'HOST', default: '0.0.0.0', description: 'Interface to bind.' },
  { name: 'CONTENT_DIR', default: './content', description: 'Knowledge base: `<lang>/*.md` and `catalog.yaml`.' },
  {
    name: 'CONTENT_WATCH',
    default: 'false',
    description:
      'Reload the knowledge base when a file under CONTENT_DIR changes (`npm run dev` sets it). SIGHUP and POST /api/v1/admin/reload reload it in any mode.',
  },
  { name: 'LOCALES_DIR', default: './locales', description: 'i18next resources `<lang>/<namespace>.json`.' },
  {
    name: 'STORE',
    default: 'sqlite (postgres when DATABASE_URL is set)',
    description:
      '`sqlite` (embedded, `DATA_DIR/stepwise.db`), `postgres` (`DATABASE_URL`, for several replicas) or `memory` (tests; lost on exit). `file`, the old JSON-lines store, means `sqlite`: its files are imported once.',
  },
  {
    name: 'DATA_DIR',
    default: './data',
    description: 'Where the SQLite store keeps `stepwise.db`; `answers.jsonl` and `feedback.jsonl` found here are imported once at first start and kept.',
  },
  {
    name: 'DATABASE_URL',
    default: '(none)',
    description: 'PostgreSQL connection string, e.g. `postgres://stepwise:…@db:5432/stepwise`; selects the `postgres` store.',
  },
  {
    name: 'QUESTION_RETENTION_DAYS',
    default: '90',
    description: 'Days question text and feedback comments are kept (counts are kept forever); 0 keeps them forever.',
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace or silent.' },
  { name: 'LOG_QUESTIONS', default: 'false', description: 'Write question text into the logs.' },
  { name: 'STORE_QUESTIONS', default: 'true', description: 'Keep question text with each answer record so /insights can list it.' },
  { name: 'CORS_ORIGINS', default: '(none)', description: 'Comma-separated origins allowed to call the API from browsers, e.g. `https://portal.contoso.com`.' },
  {
    name: 'API_KEYS',
    default: '(none)',
    description:
      'Comma-separated keys; when set, /api/v1 requires `x-api-key: <key>` or `Authorization: Bearer <key>`, and so does the bot endpoint /api/messages in local mode (no MicrosoftAppId).',
  },
  { name: 'ADMIN_KEYS', default: '(none)', description: 'Comma-separated keys for GET /api/v1/insights (same headers).' },
  {
    name: 'WIDGET_KEYS',
    default: '(none)',
    description:
      'Comma-separated `key=origin` pairs, e.g. `wk_portal_2f9c=https://portal.contoso.com`: with API_KEYS set, a widget whose script tag has `data-key="wk_portal_2f9c"` may ask and send feedback from that origin (the origin is also allowed by CORS). Keys are 8–128 letters, digits, `_` or `-`, and must not be API or admin keys: they are public.',
  },
  { name: 'RATE_LIMIT_MAX', default: '300', description: 'Requests per client (API key, else IP) per window; 0 turns rate limiting off.' },
  { name: 'RATE_LIMIT_WINDOW_MS', default: '60000', description: 'Rate-limit window in milliseconds.' },
  { name: 'TRUST_PROXY', default: '0', description: 'Number of reverse-proxy hops to trust for the client IP.' },
  {
    name: 'ANSWER_CACHE_SIZE',
    default: '1000',
    description: 'Rendered answers kept per normalized (question, lang, topic), least recently used dropped; 0 turns the cache off.',
  },
  {
    name: 'TICKET_WEBHOOK_URL',
    default: '(none)',
    description: 'http(s) URL that receives ticket events (created, assigned, resolved, knowledge_base) as signed JSON; needs TICKET_WEBHOOK_SECRET.',
  },
  {
    name: 'TICKET_WEBHOOK_SECRET',
    default: '(none)',
    description: 'Shared secret (16+ characters): each event carries `X-Stepwise-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.',
  },
  {
    name: 'TICKET_WEBHOOK_ATTEMPTS',
    default: '6',
    description: 'Attempts per event, the first included; then it is dead-lettered (`stepwise_webhook_dead_letters_total`).',
  },
  {
    name: 'TICKET_WEBHOOK_BACKOFF_MS',
    default: '1000',
    description: 'Wait before the first retry, doubled each retry up to 60 s (a longer Retry-After wins).',
  },
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Thrown when a variable does not parse; the message names the variable and the value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(`Config: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A variable's default, as the documented table above states it: the parser and src/README.md read the same value. */
function fallback(name: string): string {
  const documented = CONFIG_DOC.find((v) => v.name === name);
  if (!documented) throw new Error(`config: ${name} is not documented in CONFIG_DOC`);
  return documented.default;
}

function integer(env: Env, name: string, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return Number(fallback(name));
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback(name) === 'true';
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function list(env: Env, name: string): string[] {
  return (read(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function origins(env: Env): string[] {
  return list(env, 'CORS_ORIGINS').map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`CORS_ORIGINS entry "${origin}" is not a URL`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`CORS_ORIGINS entry "${origin}" must be a bare origin such as https://portal.contoso.com`);
    }
    return url.origin;
  });
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], otherwise: T = fallback(name) as T): T {
  const raw = read(env, name);
  if (raw === undefined) return otherwise;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** STORE and DATABASE_URL together: a URL alone selects PostgreSQL, STORE=postgres needs one. */
function storeConfig(env: Env): { store: StoreKind; databaseUrl?: string } {
  const databaseUrl = read(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const raw = oneOf(env, 'STORE', [...STORE_KINDS, 'file'] as const, databaseUrl ? 'postgres' : 'sqlite');
  const store = raw === 'file' ? 'sqlite' : raw;
  if (store === 'postgres' && databaseUrl === undefined) throw new ConfigError('STORE=postgres needs DATABASE_URL');
  return { store, ...(databaseUrl !== undefined && store === 'postgres' ? { databaseUrl } : {}) };
}

/** WIDGET_KEYS: `key=origin` pairs; a widget key is public, so it may not also be an API or admin key. */
function widgetKeys(env: Env, secretKeys: readonly string[]): Array<{ key: string; origin: string }> {
  return list(env, 'WIDGET_KEYS').map((entry) => {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at).trim();
    const raw = entry.slice(at + 1).trim();
    if (at < 0 || !/^[A-Za-z0-9_-]{8,128}$/.test(key)) {
      throw new ConfigError(`WIDGET_KEYS entry "${entry}" must be key=origin with a key of 8 to 128 letters, digits, _ or -`);
    }
    let origin: string;
    try {
      origin = new URL(raw).origin;
    } catch {
      throw new ConfigError(`WIDGET_KEYS entry for key ${key} has "${raw}", which is not a URL`);
    }
    if (origin !== raw.replace(/\/$/, ''))
      throw new ConfigError(`WIDGET_KEYS entry for key ${key} must name a bare origin such as https://portal.contoso.com, got "${raw}"`);
    if (secretKeys.includes(key)) throw new ConfigError(`WIDGET_KEYS key ${key} is also an API or admin key; widget keys are public, use a separate one`);
    return { key, origin };
  });
}

/** TICKET_WEBHOOK_*: a URL needs a secret (a receiver must be able to check where an event came from). */
function ticketWebhook(env: Env): TicketWebhookConfig | undefined {
  const url = read(env, 'TICKET_WEBHOOK_URL');
  const secret = read(env, 'TICKET_WEBHOOK_SECRET');
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`TICKET_WEBHOOK_URL "${url}" is not a URL`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new ConfigError('TICKET_WEBHOOK_URL must be an http:// or https:// URL');
  if (secret === undefined || secret.length < 16) throw new ConfigError('TICKET_WEBHOOK_URL needs TICKET_WEBHOOK_SECRET of at least 16 characters');
  return { url, secret, attempts: integer(env, 'TICKET_WEBHOOK_ATTEMPTS', 1, 20), backoffMs: integer(env, 'TICKET_WEBHOOK_BACKOFF_MS', 10, 600_000) };
}

/** Parses and validates the configuration; throws ConfigError naming the first bad variable. */
export function parseConfig(env: Env): Config {
  return {
    port: integer(env, 'PORT', 0, 65535),
    host: read(env, 'HOST') ?? fallback('HOST'),
    contentDir: read(env, 'CONTENT_DIR') ?? fallback('CONTENT_DIR'),
    contentWatch: flag(env, 'CONTENT_WATCH'),
    localesDir: read(env, 'LOCALES_DIR') ?? fallback('LOCALES_DIR'),
    ...storeConfig(env),
    dataDir: read(env, 'DATA_DIR') ?? fallback('DATA_DIR'),
    questionRetentionDays: integer(env, 'QUESTION_RETENTION_DAYS', 0, 36_500),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS),
    logQuestions: flag(env, 'LOG_QUESTIONS'),
    storeQuestions: flag(env, 'STORE_QUESTIONS'),
    corsOrigins: origins(env),
    apiKeys: list(env, 'API_KEYS'),
    adminKeys: list(env, 'ADMIN_KEYS'),
    widgetKeys: widgetKeys(env, [...list(env, 'API_KEYS'), ...list(env, 'ADMIN_KEYS')]),
    rateLimit: {
      max: integer(env, 'RATE_LIMIT_MAX', 0, 1_000_000),
      windowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 1000, 86_400_000),
    },
    trustProxy: integer(env, 'TRUST_PROXY', 0, 10),
    answerCacheSize: integer(env, 'ANSWER_CACHE_SIZE', 0, 1_000_000),
    ...(ticketWebhook(env) ? { ticketWebhook: ticketWebhook(env) } : {}),
  };
}
