/**
 * Issue 14 in a real browser (Debian Chromium via playwright-core): the widget's Ask an expert flow against the real
 * server with a SQLite store (👎 → ask an expert with a contact → an expert resolves through the API → the asker
 * comes back and reads the reply in the panel), and the /admin dashboard with its charts rendered from data.
 * Screenshots: artifacts/support-{widget-sent,widget-reply,dashboard,dashboard-ko}.png.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadKnowledgeBase } from '../../src/engine/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createHttpApp } from '../../src/channels/http/index.ts';
import { createTicketRoutes } from '../../src/channels/http/routes/tickets.ts';
import { createWidgetMount } from '../../src/channels/widget/index.ts';
import { createAdminMount } from '../../src/channels/admin/index.ts';
import { createSqliteStore, type Store } from '../../src/store/index.ts';
import { createReader } from '../../src/support/reader.ts';
import { eventually, launchBrowser, realEngine, root } from './harness.ts';

const ARTIFACTS = root('artifacts');
const ADMIN = 'admin-key-browser';
let browser: Browser;
let server: Server;
let url: string;
let store: Store;
let dir: string;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'stepwise-support-'));
  store = createSqliteStore(join(dir, 'stepwise.db'));
  const reader = createReader(loadKnowledgeBase(root('content')).kb.topics);
  const engine = realEngine();
  const i18n = createI18n(root('locales'));
  const app = createHttpApp({
    engine,
    store,
    i18n,
    logger: createLogger('silent'),
    options: { adminKeys: [ADMIN], rateLimit: { max: 10_000, windowMs: 60_000 } },
    mounts: [
      createTicketRoutes({ store, reader: () => reader, adminKeys: [ADMIN] }),
      createWidgetMount({ engine, localesDir: root('locales') }),
      createAdminMount({ store, engine: () => engine, reader: () => reader, adminKeys: [ADMIN], i18n }),
    ],
  });
  server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Ask an expert in the widget', () => {
  it('after 👎 sends the question with a contact to an expert, and shows the expert’s reply when the asker comes back', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/?lang=ko`);
    await page.locator('stepwise-widget .launcher').click();
    await page.locator('stepwise-widget textarea').fill('배포가 계속 실패합니다\nModuleNotFoundError: No module named xgboost_custom_thing');
    await page.locator('stepwise-widget button.send').click();
    const answer = page.locator('stepwise-widget article.answer').last();
    await answer.waitFor();
    // Before any vote: the quiet "Still stuck?" offer; after 👎 it becomes the primary Ask an expert.
    await answer.locator('button.expert').waitFor();
    await answer.locator('button[data-vote="down"]').click();
    await answer.locator('button.expert.primary').click();
    const form = page.locator('stepwise-widget .msg.expert');
    await form.locator('input.contact').fill('kim@contoso.com');
    await form.locator('button[type="submit"]').click();
    await page.locator('stepwise-widget .msg.expert[data-ticket]').waitFor();
    assert.equal(await page.locator('stepwise-widget .msg.expert .sent').count(), 1, 'the sent line shows while the reply is awaited');
    const [ticket] = await store.listTickets({ limit: 1 });
    assert.ok(ticket);
    assert.equal(ticket.contact, 'kim@contoso.com');
    assert.equal(ticket.lang, 'ko');
    assert.equal(ticket.helpful, false);
    assert.equal(ticket.channel, 'widget');
    assert.match(ticket.question, /ModuleNotFoundError/);
    assert.ok(ticket.statements.some((s) => s.startsWith('ModuleNotFoundError')));
    await page.screenshot({ path: join(ARTIFACTS, 'support-widget-sent.png') });

    // The expert answers through the API; the asker reloads (same session) and opens the panel.
    const res = await fetch(`${url}/api/v1/tickets/${ticket.id}/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN },
      body: JSON.stringify({ expert: 'park', answer: 'requirements.txt에 xgboost_custom_thing 패키지를 추가하고 환경을 다시 빌드하세요.' }),
    });
    assert.equal(res.status, 200);
    await page.reload();
    await page.locator('stepwise-widget .launcher').waitFor();
    if (await page.locator('stepwise-widget .panel').isHidden()) await page.locator('stepwise-widget .launcher').click();
    const reply = page.locator('stepwise-widget .msg.expert .reply');
    await eventually(async () => (await reply.count()) > 0 && (await reply.textContent())?.includes('xgboost_custom_thing'));
    // Once the reply is there, the "reply will appear here" line and the waiting notice are gone.
    assert.equal(await page.locator('stepwise-widget .msg.expert .sent').count(), 0);
    assert.equal(await page.locator('stepwise-widget .msg.expert .notice').count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'support-widget-reply.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the admin dashboard in the browser', () => {
  it('signs in with the admin key and renders every chart with data, under the strict CSP', async () => {
    const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    for (let d = 0; d < 14; d++) {
      for (let k = 0; k < 3 + ((d * 5) % 7); k++) {
        const lang = (['en', 'ko', 'zh'] as const)[(d + k) % 3];
        const notFound = k % 4 === 0;
        await store.recordAnswer({
          id: `b${d}-${k}`,
          at: day(d),
          channel: 'widget',
          lang,
          status: notFound ? 'not_found' : k % 5 === 1 ? 'clarify' : 'answered',
          ...(notFound
            ? {
                question: `${lang === 'ko' ? '배포 실패' : lang === 'zh' ? '部署失败' : 'deploy fails'}\nFrobnicatorError: widget ${d} refused by gateway "g${k}"`,
              }
            : { topicId: k % 2 ? 'OutOfQuota' : 'ImageBuildFailure' }),
        });
        if (!notFound) await store.addFeedback({ id: `v${d}-${k}`, at: day(d), channel: 'widget', answerId: `b${d}-${k}`, helpful: (d + k) % 3 !== 0 });
      }
    }
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const csp: string[] = [];
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${url}/admin?lang=en`);
    await page.locator('#admin-key').fill(ADMIN);
    await page.locator('form[action^="/admin/login"] button').click();
    await page.locator('svg.chart').first().waitFor();
    assert.equal(await page.locator('svg.chart').count(), 6);
    // Every chart drew marks: bars or the rate line.
    for (let i = 0; i < 6; i++) {
      const marks = await page.locator('svg.chart').nth(i).locator('rect, polyline').count();
      assert.ok(marks > 0, `chart ${i + 1} has no marks`);
    }
    const box = await page.locator('svg.chart').first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 80, 'the first chart is laid out');
    assert.match((await page.locator('#gap-1').textContent()) ?? '', /FrobnicatorError/);
    csp.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)));
    assert.deepEqual(csp, []);
    await page.screenshot({ path: join(ARTIFACTS, 'support-dashboard.png'), fullPage: true });
    await page.goto(`${url}/admin?lang=ko`);
    await page.locator('svg.chart').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'support-dashboard-ko.png'), fullPage: false });
    await context.close();
  });
});
