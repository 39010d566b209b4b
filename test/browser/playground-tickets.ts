/**
 * Teams routing of tickets in the Microsoft 365 Agents Playground (`-c msteams`), with screenshots of its web UI.
 * The Playground has a team ("My Team", channel General) and hosts the connector the bot sends to, so the whole
 * flow runs there: the bot installed in the team (the experts' channel), a question in the personal chat, Ask an
 * expert, the ticket card posted in the channel by a proactive message, Assign and Resolve by another user
 * (updates of that card), the answer sent to the asker's personal chat; then a second Resolve. Once per language
 * (the experts' channel set by EXPERT_CHANNEL_* to that language; the asker's question in it).
 * Run: node --import tsx test/browser/playground-tickets.ts [outDir]  → <outDir>/tickets-<lang>-{card,reply}.png
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createHttpApp } from '../../src/channels/http/index.ts';
import { createBotChannel, parseBotConfig } from '../../src/channels/bot/index.ts';
import type { AdaptiveCard } from '../../src/channels/bot/cards.ts';
import { loadKnowledgeBase } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createReader } from '../../src/support/reader.ts';
import { cardTexts, contentDir, i18n, realEngine, silentLogger, submitData } from '../channels/bot/helpers.ts';
import { launchBrowser } from './harness.ts';

const out = process.argv[2] ?? fileURLToPath(new URL('../../artifacts/', import.meta.url));
const cli = fileURLToPath(new URL('../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url));
// `ws` is botbuilder's own WebSocket client (through botframework-streaming); Node 20 has none built in.
const fromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder/package.json'));
const WebSocket = createRequire(fromBotbuilder.resolve('botframework-streaming/package.json'))('ws') as new (url: string) => {
  on(event: 'message', listener: (data: Buffer) => void): void;
  close(): void;
};

const RUNS = {
  ko: {
    question: '배포가 계속 실패합니다\nModuleNotFoundError: No module named xgboost_custom_thing',
    answer: 'conda.yaml의 pip 목록에 xgboost_custom_thing을 추가하고 환경을 다시 빌드한 뒤 배포하세요.',
  },
  zh: {
    question: '部署一直失败\nModuleNotFoundError: No module named xgboost_custom_thing',
    answer: '请在 conda.yaml 的 pip 列表中添加 xgboost_custom_thing，重新构建环境后再部署。',
  },
  en: {
    question: 'my deployment keeps failing\nModuleNotFoundError: No module named xgboost_custom_thing',
    answer: 'Add xgboost_custom_thing to the pip list in conda.yaml, rebuild the environment and deploy again.',
  },
} as const;

interface Message {
  messageId: string;
  text?: string;
  attachments?: Array<{ contentType: string; content: AdaptiveCard }>;
}
interface Event {
  action: string;
  actionConversationId: string;
  message?: Message;
}

const reader = createReader(loadKnowledgeBase(contentDir).kb.topics);
const store = createMemoryStore();
// The bot behind the Playground's endpoint is swapped per language (its EXPERT_CHANNEL_LANG); the store stays.
let current: ((app: express.Express) => void) | undefined;
let handler: express.Express | undefined;
const outer = express();
outer.use((req, res, next) => (handler ? handler(req, res, next) : res.status(503).end()));
const server: Server = await new Promise((done) => {
  const s = outer.listen(0, '127.0.0.1', () => done(s));
});
const home = mkdtempSync(join(tmpdir(), 'stepwise-tickets-'));
const playground = spawn(
  process.execPath,
  [cli, '-e', `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, '-c', 'msteams', '-p', '0', '--disable-telemetry'],
  {
    env: { ...process.env, HOME: home, USERPROFILE: home, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let log = '';
playground.stdout.on('data', (c) => (log += c));
playground.stderr.on('data', (c) => (log += c));

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const value = probe();
    if (value !== undefined) return value;
  }
  throw new Error(`playground-tickets: timed out waiting for ${what}\n${log.slice(-2000)}`);
}

const port = await waitFor('the playground to listen', () => /Listening on (\d+)/.exec(log)?.[1], 60_000);
const base = `http://127.0.0.1:${port}`;
const config = (await (await fetch(`${base}/_internal/v1/config`)).json()).config as {
  currentUser: { id: string };
  personalChat: { id: string };
  users: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string; channels: Array<{ id: string; name: string }> }>;
};
const events: Event[] = [];
const ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
ws.on('message', (data) => events.push(JSON.parse(data.toString()) as Event));

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, `${path}: ${res.status} ${await res.text()}`);
}
const nextEvent = (from: number, match: (e: Event) => boolean, what: string) => waitFor(what, () => events.slice(from).find(match));
const card = (e: Event) => e.message!.attachments![0].content;
const button = (c: AdaptiveCard, match: (d: Record<string, unknown>) => boolean) => submitData(c).find(match)!;

const team = config.teams[0];
const channel = team.channels[0];
const expert = config.users[0];
const personal = config.personalChat.id;
mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
const results: string[] = [];
// The web UI shows what arrives while it is open (opening it also installs the app in General, which the bot greets).
const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
try {
  for (const [lang, run] of Object.entries(RUNS) as Array<[keyof typeof RUNS, (typeof RUNS)[keyof typeof RUNS]]>) {
    const t = i18n.getFixedT(lang, 'bot');
    const env = {
      BOT_RATE_LIMIT_PER_MINUTE: '0',
      EXPERT_CHANNEL_ID: channel.id,
      EXPERT_CHANNEL_SERVICE_URL: `http://localhost:${port}/_connector`,
      EXPERT_CHANNEL_LANG: lang,
    };
    const bot = createBotChannel({
      engine: realEngine(),
      store,
      i18n,
      logger: silentLogger,
      storeQuestions: true,
      reader: () => reader,
      config: parseBotConfig(env),
    });
    current = bot.mount;
    handler = createHttpApp({ engine: realEngine(), store, i18n, logger: createLogger('silent'), mounts: [current] });
    if (lang === 'ko') {
      await page.goto(`${base}/`);
      await page.getByRole('textbox').last().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2000);
    }

    let seen = events.length;
    await post(`/_conversation/v1/conversations/${personal}/messages`, { from: { id: config.currentUser.id }, text: run.question, textFormat: 'plain' });
    const answer = await nextEvent(
      seen,
      (e) => e.action === 'createMessage' && e.actionConversationId === personal && !!e.message?.attachments?.length,
      `${lang} answer`,
    );
    seen = events.length;
    await post('/_conversation/v1/submit', {
      conversation: { id: personal },
      from: { id: config.currentUser.id },
      replyToId: answer.message!.messageId,
      value: button(card(answer), (d) => d.stepwise === 'expert'),
    });
    const posted = await nextEvent(
      seen,
      (e) => e.action === 'createMessage' && e.actionConversationId === channel.id,
      `${lang} ticket card in ${channel.name}`,
    );
    const [ticket] = await store.listTickets({ limit: 1 });
    assert.equal(ticket?.lang, lang);
    assert.equal(cardTexts(card(posted))[0], t('ticket.title', { id: ticket.id.slice(0, 8) }));

    // The card as it arrives, with the Resolve box opened (Action.ShowCard) as an expert would.
    await page.getByText(channel.name, { exact: true }).first().click();
    const title = page.getByText(t('ticket.title', { id: ticket.id.slice(0, 8) })).last();
    await title.waitFor({ timeout: 15_000 });
    await page
      .getByRole('button', { name: t('ticket.resolve'), exact: true })
      .last()
      .click();
    await page
      .getByRole('button', { name: t('ticket.send') })
      .last()
      .scrollIntoViewIfNeeded();
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(out, `tickets-${lang}-card-open.png`) });

    // Experts act in the card's thread: Teams (and the Playground) name it `<channel>;messageid=<card>`.
    const thread = { id: `${channel.id};messageid=${posted.message!.messageId}` };
    const tap = (value: Record<string, unknown>) =>
      post('/_conversation/v1/submit', { conversation: thread, from: { id: expert.id }, replyToId: posted.message!.messageId, value });
    seen = events.length;
    await tap(button(card(posted), (d) => d.act === 'assign'));
    const assigned = await nextEvent(seen, (e) => e.action === 'updateMessage' && e.message?.messageId === posted.message!.messageId, `${lang} assigned card`);
    assert.equal(cardTexts(card(assigned))[1], t('ticket.assigned', { name: expert.name }));
    seen = events.length;
    await tap({ ...button(card(posted), (d) => d.act === 'resolve'), answer: run.answer });
    const reply = await nextEvent(seen, (e) => e.action === 'createMessage' && e.actionConversationId === personal, `${lang} reply to the asker`);
    const resolved = await nextEvent(seen, (e) => e.action === 'updateMessage' && e.message?.messageId === posted.message!.messageId, `${lang} resolved card`);
    assert.deepEqual(cardTexts(card(reply)).slice(0, 1), [t('reply.title')]);
    assert.ok(cardTexts(card(reply)).includes(run.answer));
    assert.equal(cardTexts(card(resolved))[1], t('ticket.resolved', { name: expert.name }));
    assert.ok(cardTexts(card(resolved)).includes(t('ticket.notice.sent', { lang: t(`common:lang.${lang}`) })), cardTexts(card(resolved)).join(' | '));
    seen = events.length;
    await tap({ ...button(card(posted), (d) => d.act === 'resolve'), answer: 'second answer' });
    const again = await nextEvent(seen, (e) => e.action === 'createMessage' && !!e.message?.text, `${lang} already resolved`);
    results.push(
      `${lang}: card ${posted.message!.messageId} posted, assigned, resolved in place; asker told: "${cardTexts(card(reply))[0]}"; second resolve: "${again.message!.text}"`,
    );

    // The Playground's web UI: the experts' channel with the resolved card, and the personal chat with the answer.
    await page.getByText(channel.name, { exact: true }).first().click();
    const status = page.getByText(t('ticket.resolved', { name: expert.name })).last();
    await status.waitFor({ timeout: 15_000 });
    await page
      .getByText(t('ticket.title', { id: ticket.id.slice(0, 8) }))
      .last()
      .scrollIntoViewIfNeeded();
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(out, `tickets-${lang}-card.png`) });
    // Its lower half: the answer sent, the line saying the asker was told, the one button left.
    await page.getByText(run.answer).last().scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `tickets-${lang}-card-resolved.png`) });
    await page.getByText('Personal Chat', { exact: true }).first().click();
    const told = page.getByText(run.answer).last();
    await told.waitFor({ timeout: 15_000 });
    await told.scrollIntoViewIfNeeded();
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(out, `tickets-${lang}-reply.png`) });
  }
  for (const line of results) console.log(line);
} finally {
  await browser.close();
  ws.close();
  playground.kill();
  server.close();
  rmSync(home, { recursive: true, force: true });
}
