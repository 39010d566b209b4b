import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalMode, parseBotConfig } from '../../../src/channels/bot/config.ts';

test('with no bot variables the bot runs in local mode with memory state', () => {
  const config = parseBotConfig({});
  assert.deepEqual(config, {
    appId: '',
    appPassword: '',
    appType: 'MultiTenant',
    appTenantId: '',
    blobConnectionString: '',
    blobContainer: 'stepwise-bot-state',
    openIdMetadataUrl: '',
    serviceUrlAllowlist: [],
    rateLimitPerMinute: 60,
    connectorTimeoutMs: 5000,
    deliveryAttempts: 10,
    deliveryBackoffMs: 1000,
  });
  assert.equal(isLocalMode(config), true);
});

test('a single-tenant identity is read from the Bot Framework variable names', () => {
  const config = parseBotConfig({
    MicrosoftAppId: ' 11111111-2222-3333-4444-555555555555 ',
    MicrosoftAppPassword: 'secret',
    MicrosoftAppType: 'singletenant',
    MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
  });
  assert.equal(config.appId, '11111111-2222-3333-4444-555555555555');
  assert.equal(config.appType, 'SingleTenant');
  assert.equal(isLocalMode(config), false);
});

test('bad bot variables fail at start-up with a message naming the variable', () => {
  assert.throws(() => parseBotConfig({ MicrosoftAppType: 'Anonymous' }), {
    message: 'Config: MicrosoftAppType must be one of MultiTenant, SingleTenant, UserAssignedMSI, got "Anonymous"',
  });
  assert.throws(() => parseBotConfig({ MicrosoftAppId: 'x' }), {
    message: 'Config: MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is MultiTenant',
  });
  assert.throws(() => parseBotConfig({ MicrosoftAppId: 'x', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }), {
    message: 'Config: MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant',
  });
  assert.throws(() => parseBotConfig({ MicrosoftAppPassword: 'p' }), { message: 'Config: MicrosoftAppPassword is set but MicrosoftAppId is not' });
  assert.throws(() => parseBotConfig({ BOT_STATE_BLOB_CONTAINER: 'Bot_State' }), {
    message: 'Config: BOT_STATE_BLOB_CONTAINER must be a valid container name (3-63 lower-case letters, digits, single hyphens), got "Bot_State"',
  });
  assert.throws(() => parseBotConfig({ BOT_SERVICE_URL_ALLOWLIST: 'smba.trafficmanager.net' }), {
    message: 'Config: BOT_SERVICE_URL_ALLOWLIST must hold http(s) URLs, got "smba.trafficmanager.net"',
  });
  assert.throws(() => parseBotConfig({ BOT_RATE_LIMIT_PER_MINUTE: '-1' }), { message: 'Config: BOT_RATE_LIMIT_PER_MINUTE must be a whole number, got "-1"' });
  assert.deepEqual(parseBotConfig({ BOT_SERVICE_URL_ALLOWLIST: 'https://smba.trafficmanager.net/amer/, http://10.0.0.5:3979' }).serviceUrlAllowlist, [
    'https://smba.trafficmanager.net',
    'http://10.0.0.5:3979',
  ]);
  // A managed identity has no password.
  assert.equal(parseBotConfig({ MicrosoftAppId: 'x', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).appType, 'UserAssignedMSI');
});

test("the bot's README (src/channels/bot/README.md) documents every bot variable", async () => {
  const { readFileSync } = await import('node:fs');
  const { BOT_CONFIG_DOC } = await import('../../../src/channels/bot/config.ts');
  const readme = readFileSync(new URL('../../../src/channels/bot/README.md', import.meta.url), 'utf8');
  for (const v of BOT_CONFIG_DOC) assert.ok(readme.includes(`| \`${v.name}\` |`), `README lacks ${v.name}`);
});

test("EXPERT_CHANNEL_* set the experts' channel (with the app's tenant); a half-set or malformed one stops start-up naming the variable", () => {
  const config = parseBotConfig({
    EXPERT_CHANNEL_ID: '19:abc@thread.tacv2',
    EXPERT_CHANNEL_SERVICE_URL: 'https://smba.trafficmanager.net/kr/',
    EXPERT_CHANNEL_LANG: 'ko',
    MicrosoftAppTenantId: 't-1',
  });
  assert.deepEqual(config.expertChannel, { channelId: '19:abc@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/kr/', lang: 'ko', tenantId: 't-1' });
  assert.equal(
    parseBotConfig({ EXPERT_CHANNEL_ID: '19:abc@thread.tacv2', EXPERT_CHANNEL_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' }).expertChannel?.lang,
    'en',
  );
  assert.throws(() => parseBotConfig({ EXPERT_CHANNEL_ID: '19:abc@thread.tacv2' }), {
    message: "Config: EXPERT_CHANNEL_ID needs EXPERT_CHANNEL_SERVICE_URL (the serviceUrl of the team's activities)",
  });
  assert.throws(() => parseBotConfig({ EXPERT_CHANNEL_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' }), {
    message: 'Config: EXPERT_CHANNEL_SERVICE_URL is set but EXPERT_CHANNEL_ID is not',
  });
  assert.throws(() => parseBotConfig({ EXPERT_CHANNEL_ID: '19:abc@thread.tacv2', EXPERT_CHANNEL_SERVICE_URL: 'ftp://x' }), {
    message: 'Config: EXPERT_CHANNEL_SERVICE_URL must be an http(s) URL, got "ftp://x"',
  });
  assert.throws(() => parseBotConfig({ EXPERT_CHANNEL_ID: '19:a b', EXPERT_CHANNEL_SERVICE_URL: 'https://x/' }), {
    message: 'Config: EXPERT_CHANNEL_ID must be a Teams channel id such as 19:…@thread.tacv2, got "19:a b"',
  });
  assert.throws(() => parseBotConfig({ EXPERT_CHANNEL_LANG: 'fr' }), { message: 'Config: EXPERT_CHANNEL_LANG must be en, ko or zh, got "fr"' });
});
