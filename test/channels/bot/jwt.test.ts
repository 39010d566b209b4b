/**
 * With a Bot Framework identity configured, tokens are checked by the real CloudAdapter against a local
 * OpenID metadata endpoint (BotOpenIdMetadata) serving a key generated here; tokens are signed for real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import express from 'express';
import { createHttpApp } from '../../../src/channels/http/index.ts';
import { createBotMount, parseBotConfig } from '../../../src/channels/bot/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { i18n, realEngine } from './helpers.ts';
import { listen } from './servers.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://api.botframework.com';
const KID = 'test-key-1';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** An OpenID provider: metadata and a JWKS with our public key; `status` other than 200 simulates an outage. */
async function startIdentity(status = 200) {
  const app = express();
  let url = '';
  app.get('/.well-known/openid-configuration', (_req, res) => void res.status(status).json({ issuer: ISSUER, jwks_uri: `${url}/keys` }));
  app.get('/keys', (_req, res) => void res.json({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig' }] }));
  url = await listen(app);
  return `${url}/.well-known/openid-configuration`;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT with `header` and `payload`, signed RS256 with `key` (or `signature` given as is). */
function jwt(header: object, payload: object, sign: (data: string) => string): string {
  const data = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${data}.${sign(data)}`;
}
const rs256 = (key: KeyObject) => (data: string) => b64(createSign('RSA-SHA256').update(data).sign(key));

async function startBot(metadataUrl: string) {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (s: string) => void raw.push(s) });
  const env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant', BotOpenIdMetadata: metadataUrl };
  const store = createMemoryStore();
  const mount = createBotMount({ engine: Promise.resolve(realEngine()), store, i18n, logger, config: parseBotConfig(env) });
  const app = createHttpApp({ engine: realEngine(), store, i18n, logger, mounts: [mount] });
  return { url: await listen(app), raw };
}

const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
// An invoke is answered in the response: a valid token gets a result without the bot calling out.
const INVOKE = {
  type: 'invoke',
  name: 'composeExtension/query',
  id: 'incoming-1',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: { id: 'user-1' },
  recipient: { id: APP_ID },
  conversation: { id: 'conv-1' },
  value: { commandId: 'searchTopics', parameters: [{ name: 'query', value: 'OutOfQuota' }] },
};

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: object = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 3600, ...extra });
const header = { alg: 'RS256', typ: 'JWT', kid: KID };

const post = (url: string, token: string | undefined) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(INVOKE),
  });

/** Runs `fn` collecting what is written to stderr (where the SDK's console.error output goes; stdout carries the test runner's protocol). */
async function consoleWrites<T>(fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  const writes: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = (chunk: unknown) => (writes.push(String(chunk)), true);
  try {
    return { result: await fn(), writes };
  } finally {
    process.stderr.write = original;
  }
}

test('a token signed with the published key is accepted', async () => {
  const bot = await startBot(await startIdentity());
  const res = await post(bot.url, jwt(header, claims(), rs256(keys.privateKey)));
  assert.equal(res.status, 200, bot.raw.join(''));
  const body = (await res.json()) as { composeExtension: { attachments: unknown[] } };
  assert.ok(body.composeExtension.attachments.length > 0);
});

test('every forged or stale token is a 401 problem with one JSON log line and no console output', async () => {
  const bot = await startBot(await startIdentity());
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' });
  const forged: Array<[string, string | undefined]> = [
    ['no token', undefined],
    ['not a JWT', 'not.a.jwt'],
    ['alg none', jwt({ alg: 'none', typ: 'JWT', kid: KID }, claims(), () => '')],
    [
      'HS256 signed with the public key',
      jwt({ alg: 'HS256', typ: 'JWT', kid: KID }, claims(), (data) => b64(createHmac('sha256', publicPem).update(data).digest())),
    ],
    ['signed by another key', jwt(header, claims(), rs256(otherKeys.privateKey))],
    ['not valid before an hour from now', jwt(header, claims({ nbf: now() + 3600 }), rs256(keys.privateKey))],
    ['expired an hour ago', jwt(header, claims({ nbf: now() - 7200, exp: now() - 3600 }), rs256(keys.privateKey))],
    ['for another bot', jwt(header, claims({ aud: 'someone-else' }), rs256(keys.privateKey))],
    ['for another serviceUrl', jwt(header, claims({ serviceurl: 'https://attacker.example/' }), rs256(keys.privateKey))],
    ['unknown key id', jwt({ ...header, kid: 'nope' }, claims(), rs256(keys.privateKey))],
  ];
  const reasons: string[] = [];
  for (const [what, token] of forged) {
    const before = bot.raw.length;
    const { result: res, writes } = await consoleWrites(() => post(bot.url, token));
    assert.equal(res.status, 401, what);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer', what);
    const problem = (await res.json()) as { type: string; detail: string };
    assert.equal(problem.type, 'urn:stepwise:problem:botUnauthorized', what);
    assert.doesNotMatch(JSON.stringify(problem), /jwt|signature|BEGIN/i, what);
    assert.deepEqual(writes, [], what);
    const lines = bot.raw.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    const refused = lines.filter((l) => l.event === 'bot.refused');
    assert.equal(refused.length, 1, what);
    reasons.push(`${what}: ${refused[0].reason}`);
    assert.ok(
      bot.raw.slice(before).every((l) => l.trimEnd().split('\n').length === 1),
      what,
    );
  }
  // Each is refused for its own reason, not all at one early check.
  const expected = [
    /not authorized/,
    /No valid identity/,
    /jwt signature is required/,
    /invalid algorithm/,
    /invalid signature/,
    /NotBeforeError/,
    /expired/,
    /Invalid AppId/,
    /ServiceUrl claim/,
    /Signing Key/,
  ];
  reasons.forEach((reason, i) => assert.match(reason, expected[i]));
});

test('an identity service that cannot be reached, or fails, makes the request a 503 with Retry-After, not a 500', async () => {
  const token = jwt(header, claims(), rs256(keys.privateKey));
  const failing = await startBot(await startIdentity(500));
  const res = await post(failing.url, token);
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '30');
  assert.equal(((await res.json()) as { type: string }).type, 'urn:stepwise:problem:identityUnavailable');

  const unreachable = await startBot('http://127.0.0.1:1/.well-known/openid-configuration');
  const { result, writes } = await consoleWrites(() => post(unreachable.url, token));
  assert.equal(result.status, 503);
  assert.deepEqual(writes, []);
});
