/**
 * The widget's layout and reach (issue 12) in Debian Chromium at a desktop size and on a 390×844 phone:
 * where the copy button sits, the full-screen phone panel, what the log shows after a reload, SVG icons,
 * starter questions, host-page examples and the widget key with API keys required.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Lang } from '../../src/engine/types.ts';
import { launchBrowser, realEngine, root, startServer, startStaticServer, type TestServer } from './harness.ts';

const ARTIFACTS = root('artifacts');
const VIEWPORTS = { desktop: { width: 1100, height: 860 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;
const WIDGET_KEY = 'wk_test_portal_01';
const strings = (lang: Lang) =>
  JSON.parse(readFileSync(root(`locales/${lang}/widget.json`), 'utf8')) as { starters: string[]; more: string; less: string; errors: { auth: string } };

let browser: Browser;
let server: TestServer;
/** An API that requires keys, and host pages on two other origins: one the widget key is bound to, one not. */
let keyed: TestServer;
let portal: Awaited<ReturnType<typeof startStaticServer>>;
let stranger: Awaited<ReturnType<typeof startStaticServer>>;

/** A host page that embeds the keyed API's widget with `key` and offers one data-stepwise-ask example. */
const hostPage = (key: string) => (): Record<string, [string, string, Record<string, string>?]> => ({
  '/': [
    'text/html; charset=utf-8',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title><link rel="icon" href="data:,"></head>
<body><h1>Portal</h1><button type="button" data-stepwise-ask>Scoring returns HTTP 503</button><script src="${keyed.url}/widget.js" data-key="${key}" async></script></body></html>`,
  ],
});

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  portal = await startStaticServer(hostPage(WIDGET_KEY));
  stranger = await startStaticServer(hostPage(WIDGET_KEY));
  // The stranger is allowed by CORS (so the browser lets the widget read the 401) but holds no key of its own.
  keyed = await startServer({ apiKeys: ['server-secret-key'], corsOrigins: [stranger.origin], widgetKeys: [{ key: WIDGET_KEY, origin: portal.origin }] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), keyed?.stop(), portal?.close(), stranger?.close()]);
});

async function open(url: string, viewport: Viewport = 'desktop'): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  await page.locator('stepwise-widget .launcher').waitFor();
  return page;
}

const answers = (page: Page) => page.locator('article.answer');

async function ask(page: Page, question: string) {
  const n = await answers(page).count();
  await page.locator('#sw-input').fill(question);
  await page.locator('#sw-input').press('Enter');
  await answers(page).nth(n).waitFor();
  return answers(page).nth(n);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const box = async (page: Page, selector: string, nth = 0): Promise<Box> => {
  const b = await page.locator(selector).nth(nth).boundingBox();
  assert.ok(b, `${selector} #${nth} is rendered`);
  return b;
};
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** True when `inner` lies inside `outer` (1 px of rounding allowed). */
const inside = (inner: Box, outer: Box) => inner.y >= outer.y - 1 && inner.y + inner.height <= outer.y + outer.height + 1;

for (const viewport of ['desktop', 'phone'] as const) {
  describe(`widget layout on ${viewport === 'phone' ? 'a 390×844 phone' : 'a desktop'}`, () => {
    it('puts every copy button beside its command, never over the command box, also once it says Copied', async () => {
      const page = await open(`${server.url}/?lang=en`, viewport);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.locator('.launcher').click();
      const answer = await ask(page, 'How do I get the container logs?');
      await answer.locator('[data-action=toggle]').click();
      const commands = await answer.locator('.cmd').count();
      assert.ok(commands >= 2, `${commands} commands`);
      let scrolls = 0;
      for (let i = 0; i < commands; i++) {
        await answer.locator('.cmd').nth(i).scrollIntoViewIfNeeded();
        const pre = await box(page, 'article.answer .cmd pre', i);
        const copy = await box(page, 'article.answer .cmd .copy', i);
        assert.equal(overlap(pre, copy), false, `copy button #${i} overlaps its command`);
        assert.ok(copy.x >= pre.x + pre.width, `copy button #${i} is right of the command box`);
        scrolls += Number(
          await answer
            .locator('.cmd pre')
            .nth(i)
            .evaluate((el) => el.scrollWidth > el.clientWidth),
        );
      }
      if (viewport === 'phone') assert.ok(scrolls > 0, 'a long command scrolls inside its box on a phone');
      await answer.locator('.cmd .copy').first().click();
      await answer.locator('.cmd .copy', { hasText: 'Copied' }).first().waitFor();
      assert.equal(
        overlap(await box(page, 'article.answer .cmd pre'), await box(page, 'article.answer .cmd .copy')),
        false,
        '"Copied" does not cover the command',
      );
      await page.context().close();
    });

    it('draws its icons as inline SVG with translated labels, and no button shows an emoji', async () => {
      const page = await open(`${server.url}/?lang=ko`, viewport);
      await page.locator('.launcher').click();
      await ask(page, '컨테이너 로그를 어떻게 가져오나요?');
      // Inline callbacks only: tsx would wrap a named inner function in a helper the page does not have.
      const svgPaths = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => el.querySelectorAll('svg path').length));
      const labels = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
      const facts = {
        launcher: await svgPaths('.launcher'),
        header: await svgPaths('header .btn.icon'),
        votes: await svgPaths('.vote'),
        headerLabels: await labels('header .btn.icon'),
        voteLabels: await labels('.vote'),
        emoji: (await page.locator('stepwise-widget button').allTextContents()).filter((text) => /\p{Extended_Pictographic}/u.test(text)),
      };
      assert.ok((await page.locator('stepwise-widget button').count()) >= 8, 'the emoji check saw the buttons');
      assert.deepEqual(facts.launcher, [1]);
      assert.deepEqual(facts.header, [1, 1]);
      assert.deepEqual(facts.votes, [1, 1]);
      assert.deepEqual(facts.headerLabels, ['대화 지우기', '도움말 채팅 닫기']);
      assert.deepEqual(facts.voteLabels, ['도움이 됨', '도움이 안 됨']);
      assert.deepEqual(facts.emoji, []);
      await page.context().close();
    });

    it('opens at the last answer after a reload, with the earlier conversation above it', async () => {
      const page = await open(`${server.url}/?lang=en`, viewport);
      await page.locator('.launcher').click();
      await ask(page, 'How do I get the container logs?');
      await ask(page, 'Scoring returns HTTP 503');
      const last = await ask(page, 'ImageBuildFailure');
      const topic = await last.getAttribute('data-topic');
      await page.locator('.log').evaluate((el) => el.scrollTo(0, 0));
      await page.reload();
      await answers(page).nth(2).waitFor();
      const log = await box(page, '.log');
      const answer = await box(page, 'article.answer', 2);
      assert.equal(await answers(page).nth(2).getAttribute('data-topic'), topic);
      assert.ok(await page.locator('.log').evaluate((el) => el.scrollTop > 0), 'the log is scrolled down');
      // Whole when it fits; else from its top, which is where it is read from.
      const seen = answer.height <= log.height ? inside(answer, log) : answer.y >= log.y - 1 && answer.y <= log.y + 20;
      assert.ok(seen, `the last answer is in view (answer ${answer.y}+${answer.height}, log ${log.y}+${log.height})`);
      await page.context().close();
    });

    it('scrolls the typing indicator and the not-helpful comment box into view', async () => {
      const page = await open(`${server.url}/?lang=en`, viewport);
      await page.locator('.launcher').click();
      const answer = await ask(page, 'How do I get the container logs?');
      await answer.locator('[data-action=toggle]').click();
      await page.locator('.log').evaluate((el) => el.scrollTo(0, 0));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/v1/ask', async (route) => {
        await held;
        await route.continue();
      });
      await page.locator('#sw-input').fill('Scoring returns HTTP 503');
      await page.locator('#sw-input').press('Enter');
      await page.locator('.typing').waitFor();
      assert.ok(inside(await box(page, '.typing'), await box(page, '.log')), 'the typing indicator is inside the visible log');
      release();
      const second = answers(page).nth(1);
      await second.waitFor();
      await page.unroute('**/api/v1/ask');
      // Put the vote buttons at the very bottom of the log, as a reader reaching the end of the answer sees them.
      await second.locator('.vote[data-vote=down]').evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await second.locator('.vote[data-vote=down]').click();
      const form = await box(page, 'article.answer >> nth=1 >> .comment-form');
      assert.ok(inside(form, await box(page, '.log')), 'the comment box is inside the visible log');
      await page.context().close();
    });

    it('folds a long pasted question to a few lines with Show all, and unfolds it', async () => {
      const page = await open(`${server.url}/?lang=zh`, viewport);
      await page.locator('.launcher').click();
      const log =
        Array.from({ length: 40 }, (_, i) => `2026-01-02T03:04:${String(i).padStart(2, '0')}Z INFO step ${i}`).join('\n') +
        '\nERROR: Image build failed: ImageBuildFailure';
      await ask(page, log);
      const question = page.locator('.msg.user.long');
      const folded = await box(page, '.msg.user.long .q');
      const lineHeight = await question.locator('.q').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
      assert.ok(folded.height <= lineHeight * 6 + 1, `folded to ${folded.height}px (6 lines are ${lineHeight * 6}px)`);
      const more = question.locator('.more');
      assert.equal(await more.textContent(), strings('zh').more);
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      await more.click();
      assert.ok((await box(page, '.msg.user.long .q')).height > lineHeight * 30, 'unfolded shows every line');
      assert.equal(await more.textContent(), strings('zh').less);
      assert.equal(await more.getAttribute('aria-expanded'), 'true');
      await page.context().close();
    });
  });
}

describe('widget on a 390×844 phone', () => {
  it('fills the screen when open and hides the launcher until it closes', async () => {
    const page = await open(`${server.url}/?lang=en`, 'phone');
    await page.locator('.launcher').click();
    assert.deepEqual(await box(page, '#sw-panel'), { x: 0, y: 0, width: 390, height: 844 });
    assert.equal(await page.locator('.launcher').isVisible(), false);
    await page.locator('header .btn.icon').last().click();
    assert.equal(await page.locator('#sw-panel').isVisible(), false);
    assert.equal(await page.locator('.launcher').isVisible(), true);
    await page.context().close();
  });
});

describe('widget answers and starters in each language', () => {
  it("says a clarify answer's sentence in the answer's language, not the panel's", async () => {
    const page = await open(`${server.url}/?lang=en`);
    await page.locator('.launcher').click();
    const clarify = await ask(page, 'OutOfQuota 오류가 나요');
    assert.equal(await clarify.getAttribute('data-status'), 'clarify');
    assert.equal(await clarify.getAttribute('lang'), 'ko');
    const text = (await clarify.textContent())!;
    const common = (lang: Lang) => JSON.parse(readFileSync(root(`locales/${lang}/common.json`), 'utf8')) as { answer: { clarify: string } };
    assert.ok(text.includes(common('ko').answer.clarify), text);
    assert.equal(text.includes(common('en').answer.clarify), false, text);
    assert.equal(await page.locator('.send').textContent(), 'Send', 'the panel itself stays in English');
    await page.context().close();
  });

  for (const lang of ['en', 'ko', 'zh'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`offers the ${lang} starter questions on an empty panel (${viewport}); one click answers it; screenshots`, async () => {
        const page = await open(`${server.url}/?lang=${lang}`, viewport);
        await page.locator('.launcher').click();
        const chips = page.locator('.starters .chip');
        assert.deepEqual(await chips.allTextContents(), strings(lang).starters);
        await page.screenshot({ path: `${ARTIFACTS}/widget-starters-${lang}-${viewport}.png` });
        await chips.nth(2).click();
        const answer = answers(page).first();
        await answer.waitFor();
        assert.equal(await page.locator('.msg.user').textContent(), `${await page.locator('.msg.user .sr').textContent()}${strings(lang).starters[2]}`);
        assert.equal(await answer.getAttribute('data-topic'), realEngine().ask(strings(lang).starters[2], { lang }).topic?.id);
        assert.equal(await page.locator('.starters').count(), 0, 'starters leave once the conversation starts');
        await answer.locator('[data-action=toggle]').click();
        await answer
          .locator('.cmd')
          .first()
          .evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await page.screenshot({ path: `${ARTIFACTS}/widget-${lang}-${viewport}.png` });
        await page.context().close();
      });
    }
  }
});

describe('widget with API keys required', () => {
  it("asks with the site's widget key from the key's origin, also from a host page's data-stepwise-ask example", async () => {
    const page = await open(`${portal.origin}/`);
    await page.locator('[data-stepwise-ask]').click();
    const answer = answers(page).first();
    await answer.waitFor();
    assert.equal(await page.locator('#sw-panel').isVisible(), true, 'the example opened the panel');
    assert.equal(await answer.getAttribute('data-topic'), 'HTTP-503');
    await answer.locator('.vote[data-vote=up]').click();
    await answer.locator('.thanks', { hasText: 'Thank you' }).waitFor();
    await page.context().close();
  });

  it('shows the refused-key message on another origin and on a page without a key', async () => {
    for (const url of [`${stranger.origin}/`, `${keyed.url}/?lang=ko`]) {
      const page = await open(url);
      const lang: Lang = url.includes('lang=ko') ? 'ko' : 'en';
      await page.locator('.launcher').click();
      await page.locator('#sw-input').fill('Scoring returns HTTP 503');
      await page.locator('#sw-input').press('Enter');
      const error = page.locator('.msg.error p');
      await error.waitFor();
      assert.equal(await error.textContent(), strings(lang).errors.auth, url);
      assert.equal(await page.locator('.msg.error button').count(), 0, 'no "Try again" for a refused key');
      await page.context().close();
    }
  });
});
