/**
 * Screenshots of the Teams cards in the Microsoft 365 Agents Playground's web UI (`-c msteams`), one
 * walk per language: the first card, after Next (the same card, updated), and the 👎 comment box.
 * Run: node --import tsx test/browser/playground-shots.ts  → artifacts/teams-<lang>-*.png
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpApp } from '../../src/channels/http/index.ts';
import { createBotMount, parseBotConfig } from '../../src/channels/bot/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { i18n, realEngine, silentLogger } from '../channels/bot/helpers.ts';
import { launchBrowser } from './harness.ts';

const out = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const cli = fileURLToPath(new URL('../../node_modules/@microsoft/m365agentsplayground/cli.js', import.meta.url));
const QUESTIONS = { en: 'how do I get container logs', ko: '컨테이너 로그를 어떻게 가져오나요', zh: '如何获取容器日志' } as const;

const store = createMemoryStore();
const app = createHttpApp({
  engine: realEngine(),
  store,
  i18n,
  logger: createLogger('silent'),
  mounts: [createBotMount({ engine: realEngine(), store, i18n, logger: silentLogger, config: parseBotConfig({ BOT_RATE_LIMIT_PER_MINUTE: '0' }) })],
});
const server: Server = await new Promise((done) => {
  const s = app.listen(0, '127.0.0.1', () => done(s));
});
const home = mkdtempSync(join(tmpdir(), 'stepwise-shots-'));
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
const port = await new Promise<string>((done, fail) => {
  const until = Date.now() + 60_000;
  const poll = setInterval(() => {
    const m = /Listening on (\d+)/.exec(log);
    if (m) {
      clearInterval(poll);
      done(m[1]);
    } else if (Date.now() > until) {
      clearInterval(poll);
      fail(new Error(`playground did not start: ${log}`));
    }
  }, 100);
});
mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
try {
  for (const [lang, question] of Object.entries(QUESTIONS)) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    const box = page.getByRole('textbox').last();
    await box.waitFor({ timeout: 30_000 });
    await box.fill(question);
    await box.press('Enter');
    const next = page.getByRole('button', { name: i18n.getFixedT(lang, 'bot')('card.nextStep') }).last();
    await next.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `teams-${lang}-1-first.png`) });
    await next.click();
    await page
      .getByText(i18n.getFixedT(lang, 'bot')('card.stepOf', { n: 2, total: realEngine().answerTopic('ContainerLogs', lang as 'en')!.steps.length }))
      .last()
      .waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `teams-${lang}-2-next.png`) });
    await page
      .getByRole('button', { name: i18n.getFixedT(lang, 'bot')('card.notHelpful') })
      .last()
      .click();
    await page.getByText(i18n.getFixedT(lang, 'bot')('card.commentPrompt')).last().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `teams-${lang}-3-comment.png`), fullPage: true });
    console.log(`teams-${lang}: 3 screenshots`);
    await page.close();
  }
} finally {
  await browser.close();
  playground.kill();
  server.close();
  rmSync(home, { recursive: true, force: true });
}
