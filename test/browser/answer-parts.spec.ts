/**
 * Answer parts and knowledge-base pages in a real browser (Debian Chromium via playwright-core):
 * causes, steps, commands and code drawn as what they are in the widget, links that lead somewhere,
 * and the /kb pages in each language. Screenshots go to artifacts/ to be looked at.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Lang } from '../../src/engine/types.ts';
import { launchBrowser, realEngine, root, startServer, type TestServer } from './harness.ts';

const ARTIFACTS = root('artifacts');
let browser: Browser;
let server: TestServer;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string, lang: Lang): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: lang });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  await page.goto(server.url + path);
  return { page, errors, close: () => context.close() };
}

/** Asks a question in the open widget and waits for its answer. */
async function ask(page: Page, question: string) {
  const shown = await page.locator('article.answer').count();
  await page.locator('#sw-input').fill(question);
  await page.locator('#sw-input').press('Enter');
  const answer = page.locator('article.answer').nth(shown);
  await answer.waitFor();
  return answer;
}

/** The answer labels of a language, as locales/<lang>/common.json has them. */
const labels = (lang: Lang) => (JSON.parse(readFileSync(root(`locales/${lang}/common.json`), 'utf8')) as { answer: Record<string, string> }).answer;

const QUESTIONS: Record<Lang, string> = {
  en: 'ResourceNotReady: the container crashed',
  ko: 'ResourceNotReady 오류로 컨테이너가 죽어요',
  zh: '部署报 ResourceNotReady 错误，容器崩溃',
};

describe('answer parts in the widget', () => {
  for (const lang of ['en', 'ko', 'zh'] as const) {
    it(`shows ${lang} causes apart from steps, the step's command with a copy button, and a section link that answers in place; screenshot`, async () => {
      const { page, errors, close } = await open(`/?lang=${lang}`, lang);
      await page.locator('stepwise-widget .launcher').click();
      const answer = await ask(page, QUESTIONS[lang]);
      assert.equal(await answer.getAttribute('data-topic'), 'ResourceNotReady');
      const expected = realEngine().ask('x', { lang, topic: 'ResourceNotReady' });
      assert.deepEqual(await answer.locator('.causes li').allTextContents(), expected.causes);
      const headings = await answer.locator('h4').allTextContents();
      assert.ok(headings.includes(labels(lang).causes) && headings.includes(labels(lang).steps), headings.join(' | '));
      await answer.locator('[data-action=toggle]').click();
      assert.equal(await answer.locator('ol > li').count(), expected.steps.length);
      assert.equal(await answer.locator('ol > li[data-step="1"] .cmd .copy').count(), 1, 'the get-logs command has its copy button');
      const link = answer.locator('ol > li button.inline[data-topic="LocalDeployment"]');
      assert.equal(await link.count(), 1, 'the "deploy locally" reference is a link');
      await answer.locator('h3').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${ARTIFACTS}/answer-parts-${lang}.png` });
      await answer.locator('ol').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${ARTIFACTS}/answer-parts-${lang}-steps.png` });
      await link.click();
      const next = page.locator('article.answer').last();
      await page.waitForFunction(() => document.querySelector('stepwise-widget')?.shadowRoot?.querySelectorAll('article.answer').length === 2);
      assert.equal(await next.getAttribute('data-topic'), 'LocalDeployment');
      assert.deepEqual(errors, []);
      await close();
    });
  }

  it('shows a snippet as code without a copy button, apart from the commands', async () => {
    const { page, close } = await open('/?lang=en', 'en');
    await page.locator('stepwise-widget .launcher').click();
    const answer = await ask(page, 'How do I read the logs of a batch scoring job?');
    assert.equal(await answer.getAttribute('data-topic'), 'batch/Logs');
    const code = answer.locator('.code.code');
    assert.equal(await code.count(), 1);
    assert.ok((await answer.locator('h4').allTextContents()).includes(labels('en').code), 'labelled as code, not as a command');
    assert.match((await code.locator('pre').textContent()) ?? '', /^import argparse/);
    assert.equal(await code.locator('.copy').count(), 0);
    assert.ok((await answer.locator('table').count()) >= 1, 'the log files are a table');
    await close();
  });
});

describe('knowledge-base pages', () => {
  for (const lang of ['en', 'ko', 'zh'] as const) {
    it(`groups the ${lang} topic index by area with a search box that finds topics; screenshots`, async () => {
      const { page, errors, close } = await open(`/kb/${lang}`, lang);
      assert.deepEqual(await page.locator('section.area').evaluateAll((els) => els.map((e) => e.getAttribute('data-area'))), [
        'online-endpoints',
        'kubernetes',
        'scoring',
        'batch-endpoints',
        'sdk-v1',
      ]);
      await page.screenshot({ path: `${ARTIFACTS}/kb-${lang}.png` });
      await page.locator('#kb-q').fill('OutOfQuota');
      await page.locator('form.search button').click();
      await page.waitForURL(/\?q=OutOfQuota/);
      assert.ok((await page.locator('ol.results li').count()) >= 1);
      await page.screenshot({ path: `${ARTIFACTS}/kb-search-${lang}.png` });
      await page.goto(`${server.url}/kb/${lang}/imagebuildfailure`);
      assert.equal(new URL(page.url()).pathname, `/kb/${lang}/ImageBuildFailure`);
      assert.equal(await page.locator('h1').count(), 1);
      await page.screenshot({ path: `${ARTIFACTS}/kb-article-${lang}.png`, fullPage: false });
      assert.deepEqual(errors, []);
      await close();
    });
  }

  it('answers a browser asking for an unknown language with an HTML page', async () => {
    const { page, close } = await open('/kb/fr', 'ko');
    assert.match((await page.locator('h1').textContent()) ?? '', /“fr”/);
    assert.equal(await page.locator('a[hreflang]').count(), 5, 'three in the list, the two other languages in the footer');
    await close();
  });
});
