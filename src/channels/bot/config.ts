/** The Teams bot's configuration: Bot Framework identity, where conversation state lives, where tickets go. */
import { isLang, type Lang } from '../../engine/types.ts';

export const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
/** How the bot's Microsoft Entra identity is set up in Azure Bot Service. */
export type AppType = (typeof APP_TYPES)[number];

export interface BotConfig {
  /** Empty: local mode (no Bot Framework authentication, for local test clients only). */
  appId: string;
  appPassword: string;
  appType: AppType;
  /** Required for SingleTenant and UserAssignedMSI. */
  appTenantId: string;
  /** Azure Storage connection string; when set, conversation state goes to Blob Storage. */
  blobConnectionString: string;
  blobContainer: string;
  /** OpenID metadata the channel's tokens are checked against; empty: the Bot Framework's public one. */
  openIdMetadataUrl: string;
  /** In local mode, origins (besides loopback) the bot may send replies to. */
  serviceUrlAllowlist: string[];
  /** Activities accepted per conversation (and, in local mode, per client IP) per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How long a reply to the connector (serviceUrl) may take before the turn gives up on it. */
  connectorTimeoutMs: number;
  /** Attempts per reply or notification the connector did not take (the first included); then it is dead-lettered. */
  deliveryAttempts: number;
  /** Wait before a delivery's first retry, doubled each retry up to 60 s. */
  deliveryBackoffMs: number;
  /** The experts' channel set by configuration; absent: the team the bot is installed in (kept in the store). */
  expertChannel?: ExpertChannelConfig;
}

/** EXPERT_CHANNEL_*: the Teams channel new tickets are posted to, where it is served from, and its cards' language. */
export interface ExpertChannelConfig {
  /** The channel's conversation id (`19:…@thread.tacv2`). */
  channelId: string;
  /** The Bot Framework service URL of the team's region (an activity's `serviceUrl`, e.g. https://smba.trafficmanager.net/emea/). */
  serviceUrl: string;
  lang: Lang;
  tenantId?: string;
}

/** Every variable the bot reads, with its default (documented in src/channels/bot/README.md). */
export const BOT_CONFIG_DOC = [
  { name: 'MicrosoftAppId', default: '(none)', description: 'Bot identity (Entra app or managed identity client id). Unset: local mode, no authentication.' },
  { name: 'MicrosoftAppPassword', default: '(none)', description: 'Client secret of the app (not used with UserAssignedMSI).' },
  { name: 'MicrosoftAppType', default: 'MultiTenant', description: '`MultiTenant`, `SingleTenant` or `UserAssignedMSI`.' },
  { name: 'MicrosoftAppTenantId', default: '(none)', description: 'Tenant of the app; required for SingleTenant and UserAssignedMSI.' },
  {
    name: 'BOT_STATE_BLOB_CONNECTION_STRING',
    default: '(none)',
    description: 'Azure Storage connection string; set it to keep conversation state in Blob Storage so several instances can serve one conversation.',
  },
  { name: 'BOT_STATE_BLOB_CONTAINER', default: 'stepwise-bot-state', description: 'Blob container for conversation state (created if missing).' },
  {
    name: 'BotOpenIdMetadata',
    default: '(Bot Framework public)',
    description: 'OpenID metadata URL the channel tokens are checked against (the Bot Framework SDK setting of that name); for sovereign clouds and tests.',
  },
  {
    name: 'BOT_SERVICE_URL_ALLOWLIST',
    default: '(none)',
    description:
      "Local mode only: comma-separated origins, besides loopback addresses, that an activity's `serviceUrl` may name (replies are sent there). Others are refused with 403.",
  },
  {
    name: 'BOT_RATE_LIMIT_PER_MINUTE',
    default: '60',
    description: 'Activities accepted per conversation per minute (in local mode also per client IP); 0 turns the limit off.',
  },
  {
    name: 'BOT_CONNECTOR_TIMEOUT_MS',
    default: '5000',
    description: 'How long a reply to the connector may take; then it is kept in the outbox and sent again later.',
  },
  {
    name: 'BOT_DELIVERY_ATTEMPTS',
    default: '10',
    description: 'Attempts per reply or notification the connector did not take, the first included; then it is dead-lettered.',
  },
  { name: 'BOT_DELIVERY_BACKOFF_MS', default: '1000', description: 'Wait before the first retry of such a delivery, doubled each retry up to 60 s.' },
  {
    name: 'EXPERT_CHANNEL_ID',
    default: '(none)',
    description:
      'Teams channel id (`19:…@thread.tacv2`) new tickets are posted to as cards; needs EXPERT_CHANNEL_SERVICE_URL. Unset: the channel of the team the bot was last installed in.',
  },
  {
    name: 'EXPERT_CHANNEL_SERVICE_URL',
    default: '(none)',
    description: 'The Bot Framework service URL of that team (the `serviceUrl` of its activities, e.g. `https://smba.trafficmanager.net/emea/`).',
  },
  {
    name: 'EXPERT_CHANNEL_LANG',
    default: 'en',
    description: "Language of the ticket cards in the experts' channel (`en`, `ko`, `zh`); an installed channel uses its Teams locale.",
  },
];

/** Thrown for a bad bot variable; the message names it. */
export class BotConfigError extends Error {
  constructor(message: string) {
    super(`Config: ${message}`);
    this.name = 'BotConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string {
  return env[name]?.trim() ?? '';
}

function url(value: string, name: string): string {
  if (value === '') return '';
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return name === 'BotOpenIdMetadata' ? parsed.href : parsed.origin;
  } catch {
    // reported below
  }
  throw new BotConfigError(`${name} must hold http(s) URLs, got "${value}"`);
}

function count(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw new BotConfigError(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** EXPERT_CHANNEL_ID with its service URL and language, or nothing when the id is unset. */
function expertChannel(env: Env, tenantId: string): { expertChannel?: ExpertChannelConfig } {
  const channelId = read(env, 'EXPERT_CHANNEL_ID');
  const rawUrl = read(env, 'EXPERT_CHANNEL_SERVICE_URL');
  const lang = read(env, 'EXPERT_CHANNEL_LANG') || 'en';
  if (!isLang(lang)) throw new BotConfigError(`EXPERT_CHANNEL_LANG must be en, ko or zh, got "${lang}"`);
  if (!channelId) {
    if (rawUrl) throw new BotConfigError('EXPERT_CHANNEL_SERVICE_URL is set but EXPERT_CHANNEL_ID is not');
    return {};
  }
  if (!/^[^\s/?#]{1,200}$/.test(channelId))
    throw new BotConfigError(`EXPERT_CHANNEL_ID must be a Teams channel id such as 19:…@thread.tacv2, got "${channelId}"`);
  if (!rawUrl) throw new BotConfigError("EXPERT_CHANNEL_ID needs EXPERT_CHANNEL_SERVICE_URL (the serviceUrl of the team's activities)");
  let serviceUrl: string;
  try {
    const parsed = new URL(rawUrl);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
    serviceUrl = parsed.href;
  } catch {
    throw new BotConfigError(`EXPERT_CHANNEL_SERVICE_URL must be an http(s) URL, got "${rawUrl}"`);
  }
  return { expertChannel: { channelId, serviceUrl, lang, ...(tenantId ? { tenantId } : {}) } };
}

/** Parses the bot variables out of an environment-like object; throws BotConfigError on bad values. */
export function parseBotConfig(env: Env): BotConfig {
  const appId = read(env, 'MicrosoftAppId');
  const rawType = read(env, 'MicrosoftAppType') || 'MultiTenant';
  const appType = APP_TYPES.find((t) => t.toLowerCase() === rawType.toLowerCase());
  if (!appType) throw new BotConfigError(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')}, got "${rawType}"`);
  const config: BotConfig = {
    appId,
    appPassword: read(env, 'MicrosoftAppPassword'),
    appType,
    appTenantId: read(env, 'MicrosoftAppTenantId'),
    blobConnectionString: read(env, 'BOT_STATE_BLOB_CONNECTION_STRING'),
    blobContainer: read(env, 'BOT_STATE_BLOB_CONTAINER') || 'stepwise-bot-state',
    openIdMetadataUrl: url(read(env, 'BotOpenIdMetadata'), 'BotOpenIdMetadata'),
    serviceUrlAllowlist: read(env, 'BOT_SERVICE_URL_ALLOWLIST')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((origin) => url(origin, 'BOT_SERVICE_URL_ALLOWLIST')),
    rateLimitPerMinute: count(env, 'BOT_RATE_LIMIT_PER_MINUTE', 60),
    connectorTimeoutMs: count(env, 'BOT_CONNECTOR_TIMEOUT_MS', 5000),
    deliveryAttempts: Math.max(1, count(env, 'BOT_DELIVERY_ATTEMPTS', 10)),
    deliveryBackoffMs: count(env, 'BOT_DELIVERY_BACKOFF_MS', 1000),
    ...expertChannel(env, read(env, 'MicrosoftAppTenantId')),
  };
  if (appId) {
    if (appType !== 'UserAssignedMSI' && !config.appPassword) {
      throw new BotConfigError(`MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}`);
    }
    if (appType !== 'MultiTenant' && !config.appTenantId) {
      throw new BotConfigError(`MicrosoftAppTenantId is required when MicrosoftAppType is ${appType}`);
    }
  } else if (config.appPassword) {
    throw new BotConfigError('MicrosoftAppPassword is set but MicrosoftAppId is not');
  }
  if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(config.blobContainer)) {
    throw new BotConfigError(
      `BOT_STATE_BLOB_CONTAINER must be a valid container name (3-63 lower-case letters, digits, single hyphens), got "${config.blobContainer}"`,
    );
  }
  return config;
}

/** True when no Bot Framework identity is configured: activities are accepted without a token. */
export function isLocalMode(config: BotConfig): boolean {
  return config.appId === '';
}
