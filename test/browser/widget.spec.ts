/**
 * The widget in a real browser (Debian Chromium via playwright-core) against the real server:
 * createHttpApp + real engine + real content + the widget mount, on a free port.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lang } from '../../src/engine/types.ts';
import { PAGE_CSP } from '../../src/channels/widget/index.ts';
import { eventually, launchBrowser, realEngine, root, startServer, startStaticServer, type TestServer } from './harness.ts';

const ARTIFACTS = root('artifacts');
let browser: Browser;
let server: TestServer;
let host: Awaited<ReturnType<typeof startStaticServer>>;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The cross-origin host page must be known before the API starts, for its CORS allowlist.
  host = await startStaticServer((origin) => hostPages(origin, server));
  server = await startServer({ corsOrigins: [host.origin] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
});

interface Watched {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

/** A fresh context (own sessionStorage) whose console errors, page errors and CSP violations are collected. */
async function open(path: string, options: { base?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: options.base ?? server.url });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: net::ERR_CONNECTION_REFUSED|status of (429|500|503)/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __baseline: string[]; __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    w.__baseline = Object.getOwnPropertyNames(window);
  });
  await page.goto((options.base ?? server.url) + path);
  await page.locator('stepwise-widget .launcher').waitFor();
  return { page, context, errors };
}

const answers = (page: Page) => page.locator('article.answer');

/** Types a question into the open panel, sends it with Enter and waits for the next answer. */
async function ask(page: Page, question: string) {
  const shown = await answers(page).count();
  await page.locator('#sw-input').fill(question);
  await page.locator('#sw-input').press('Enter');
  const answer = answers(page).nth(shown);
  await answer.waitFor();
  return answer;
}

/** Where keyboard focus is inside the widget's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('stepwise-widget')?.shadowRoot?.activeElement as HTMLElement | null;
    return el
      ? { tag: el.tagName.toLowerCase(), cls: el.className, action: el.dataset.action ?? '', id: el.id, outline: getComputedStyle(el).outlineStyle }
      : undefined;
  });

/** Engine text as the widget shows it (backtick code spans lose their backticks). */
const shown = (text: string) => text.replace(/`([^`]+)`/g, '$1');

const IMAGE_BUILD_ERROR =
  'ERROR: Image build failed: ImageBuildFailure. For more details, check the build log. See https://aka.ms/oe-tsg#error-imagebuildfailure';

/** A build log of about `chars` characters: INFO lines, then the error on the last line. */
function buildLog(chars: number): string {
  const lines = ['Deployment blue failed, build log below:'];
  for (let i = 0, n = 0; n < chars; i++, n += lines.at(-1)!.length + 1) {
    lines.push(
      `2026-01-02T03:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z INFO Step ${i} : RUN pip install -r requirements.txt -- using cached layer ${i}`,
    );
  }
  return [...lines, IMAGE_BUILD_ERROR].join('\n');
}

/** Pastes `text` into the question box through the clipboard, as a user would. */
async function paste(page: Page, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('#sw-input').focus();
  await page.keyboard.press('Control+V');
}

const LANG_CASES: Array<{ lang: Lang; question: string; topic: string; counter: (n: number, total: number) => string; send: string; script: RegExp }> = [
  {
    lang: 'ko',
    question: '컨테이너 로그를 어떻게 가져오나요?',
    topic: 'ContainerLogs',
    counter: (n, t) => `${t}단계 중 ${n}단계`,
    send: '보내기',
    script: /[\uac00-\ud7af]/,
  },
  { lang: 'zh', question: '如何获取容器日志？', topic: 'ContainerLogs', counter: (n, t) => `第 ${n} 步，共 ${t} 步`, send: '发送', script: /[\u4e00-\u9fff]/ },
  {
    lang: 'en',
    question: 'How do I get the container logs?',
    topic: 'ContainerLogs',
    counter: (n, t) => `Step ${n} of ${t}`,
    send: 'Send',
    // eslint-disable-next-line no-control-regex -- the English answer may hold any Latin text, control characters included
    script: /^[\x00-\u024f\u2000-\u206f]+$/,
  },
];

describe('widget on the demo page', () => {
  it('loads under a strict CSP into an open shadow root with a constructable stylesheet, leaking no globals, styles or errors', async () => {
    const { page, context, errors } = await open('/?lang=en');
    const response = await page.request.get(server.url + '/');
    assert.equal(response.headers()['content-security-policy'], PAGE_CSP);
    const facts = await page.evaluate(() => {
      const w = window as unknown as { __baseline: string[]; __csp: string[] };
      const el = document.querySelector('stepwise-widget')!;
      return {
        leaked: Object.getOwnPropertyNames(window).filter((k) => !w.__baseline.includes(k) && !k.startsWith('__')),
        csp: w.__csp,
        shadow: !!el.shadowRoot,
        adopted: el.shadowRoot!.adoptedStyleSheets.length,
        styleElements: document.querySelectorAll('style').length + el.shadowRoot!.querySelectorAll('style').length,
        pageSheets: document.styleSheets.length,
      };
    });
    assert.deepEqual(facts.leaked, []);
    assert.deepEqual(facts.csp, []);
    assert.equal(facts.shadow, true);
    assert.equal(facts.adopted, 1);
    assert.equal(facts.styleElements, 0);
    assert.equal(facts.pageSheets, 1, "only the page's own stylesheet");
    await ask((await page.locator('.launcher').click(), page), 'How do I get the container logs?');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), [], 'asking violates no CSP rule either');
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const c of LANG_CASES) {
    it(`answers a ${c.lang} question with the ${c.lang} ${c.topic} steps, walked with next / back / show all, and a working copy button`, async () => {
      const { page, context, errors } = await open(`/?lang=${c.lang}`);
      const expected = realEngine().ask(c.question, { lang: c.lang });
      assert.equal(expected.topic?.id, c.topic);
      const total = expected.steps.length;
      assert.ok(total >= 3, 'the topic has several steps');

      await page.locator('.launcher').click();
      assert.equal(await page.locator('.send').textContent(), c.send, 'UI strings are in the page language');
      const answer = await ask(page, c.question);
      assert.equal(await answer.getAttribute('data-topic'), c.topic);
      assert.equal(await answer.getAttribute('lang'), c.lang);
      assert.equal(await answer.locator('h3').textContent(), expected.topic.title);
      assert.match((await answer.locator('.summary').textContent()) ?? '', c.script);

      const counter = answer.locator('.counter');
      const step = answer.locator('.step p').first();
      assert.equal(await counter.textContent(), c.counter(1, total));
      assert.equal(await step.textContent(), shown(expected.steps[0].text));
      assert.equal(await answer.locator('[data-action=back]').isDisabled(), true);
      await answer.locator('[data-action=next]').click();
      assert.equal(await counter.textContent(), c.counter(2, total));
      assert.equal(await step.textContent(), shown(expected.steps[1].text));
      await answer.locator('[data-action=next]').click();
      await answer.locator('[data-action=back]').click();
      assert.equal(await counter.textContent(), c.counter(2, total));
      for (let i = 2; i < total; i++) await answer.locator('[data-action=next]').click();
      assert.equal(await counter.textContent(), c.counter(total, total));
      assert.equal(await answer.locator('[data-action=next]').isDisabled(), true);
      await answer.locator('[data-action=toggle]').click();
      assert.equal(await answer.locator('ol > li').count(), total, 'show all lists every step');
      assert.equal(await answer.locator('ol > li').first().locator('p').textContent(), shown(expected.steps[0].text));

      const withCommand = expected.steps.findIndex((s) => s.command);
      assert.ok(withCommand >= 0, 'some step carries a command');
      await answer.locator(`ol > li[data-step="${withCommand + 1}"] .copy`).click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected.steps[withCommand].command);

      const source = answer.locator('.source a');
      assert.equal(await source.getAttribute('href'), `${server.url}/kb/${c.lang}/${c.topic}`);
      await answer.locator('[data-action=toggle]').click();
      await answer.locator('[data-action=back]').click();
      await answer.locator('h3').scrollIntoViewIfNeeded();
      await answer.locator('h3').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `${ARTIFACTS}/widget-${c.lang}.png` });
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it("shows a clarify answer's choices as buttons, and a choice answers that sub-topic in Korean", async () => {
    const { page, context } = await open('/?lang=ko');
    await page.locator('.launcher').click();
    const clarify = await ask(page, 'OutOfQuota 오류가 나요');
    assert.equal(await clarify.getAttribute('data-status'), 'clarify');
    assert.ok((await clarify.textContent())!.includes('여러 항목이 해당됩니다. 어떤 상황인가요?'));
    const choices = clarify.locator('.chip');
    assert.equal(await choices.count(), realEngine().ask('OutOfQuota 오류가 나요', { lang: 'ko' }).alternatives.length);
    const cpuTitle = realEngine().article('OutOfQuota/cpu', 'ko')!.title;
    await clarify.locator('.chip', { hasText: cpuTitle }).click();
    const answer = answers(page).nth(1);
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-topic'), 'OutOfQuota/cpu');
    assert.equal(await answer.getAttribute('lang'), 'ko');
    assert.equal(await page.locator('.msg.user').last().textContent(), `질문: ${cpuTitle}`);
    await context.close();
  });

  it('renders a question containing <img onerror> and <script> as inert text; a question off the map gets a kind not-found with suggestions', async () => {
    const { page, context, errors } = await open('/?lang=en');
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> bake bread';
    await page.locator('.launcher').click();
    const answer = await ask(page, payload);
    const facts = await page.evaluate(() => {
      const shadow = document.querySelector('stepwise-widget')!.shadowRoot!;
      const user = shadow.querySelector('.msg.user')!;
      return {
        xss: (window as unknown as { __xss?: number }).__xss,
        injected: shadow.querySelectorAll('img, script, iframe, [onerror]').length + document.querySelectorAll('img, [onerror]').length,
        userText: user.lastChild!.textContent,
      };
    });
    assert.equal(facts.xss, undefined);
    assert.equal(facts.injected, 0);
    assert.equal(facts.userText, payload);
    assert.equal(await answer.getAttribute('data-status'), realEngine().ask(payload, { lang: 'en' }).status);
    const notFound = await ask(page, 'How do I bake sourdough bread?');
    assert.equal(await notFound.getAttribute('data-status'), 'not_found');
    assert.ok((await notFound.textContent())!.includes('I could not find a troubleshooting topic for that question.'));
    assert.ok((await notFound.textContent())!.includes('You could ask about:'));
    assert.ok((await notFound.locator('.chip').count()) > 0, 'suggestions are offered as buttons');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('sends 👍/👎 with the step and a comment, and the feedback lands in the store', async () => {
    const { page, context } = await open('/?lang=en');
    await page.locator('.launcher').click();
    const answer = await ask(page, 'How do I get the container logs?');
    const answerId = (await answer.getAttribute('data-answer-id'))!;
    assert.ok(await server.store.getAnswer(answerId), 'the answer was recorded');
    await answer.locator('[data-action=next]').click();
    await answer.locator('[data-vote=down]').click();
    await answer.locator('.comment').fill('Step 2 needs the workspace name');
    await answer.locator('.comment-form button').click();
    await answer.locator('.thanks', { hasText: 'Thank you for your feedback.' }).waitFor();
    assert.equal(await answer.locator('[data-vote=down]').getAttribute('aria-pressed'), 'true');
    await answer.locator('[data-vote=up]').click();
    const mine = await eventually(async () => {
      const list = (await server.store.feedback()).filter((f) => f.answerId === answerId);
      return list.length === 3 ? list : undefined;
    });
    assert.deepEqual(
      mine.map(({ helpful, step, comment }) => ({ helpful, step, comment })),
      [
        { helpful: false, step: 2, comment: undefined },
        { helpful: false, step: 2, comment: 'Step 2 needs the workspace name' },
        { helpful: true, step: 2, comment: undefined },
      ],
    );
    await context.close();
  });

  it('is fully usable by keyboard: Tab to the launcher, ask, walk the steps, vote, Escape back to the launcher', async () => {
    const { page, context } = await open('/?lang=en');
    for (let i = 0; i < 30 && (await focused(page))?.cls !== 'launcher'; i++) await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.cls, 'launcher', 'Tab reaches the launcher');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page))?.id, 'sw-input', 'focus moves into the panel');
    await page.keyboard.type('How do I get the container logs?');
    await page.keyboard.press('Enter');
    const answer = answers(page).first();
    await answer.waitFor();
    assert.equal((await focused(page))?.id, 'sw-input', 'focus stays in the input for a follow-up');
    for (let i = 0; i < 40 && (await focused(page))?.action !== 'next'; i++) await page.keyboard.press('Shift+Tab');
    const next = await focused(page);
    assert.equal(next?.action, 'next', 'Shift+Tab reaches "Next step"');
    assert.equal(next?.outline, 'solid', 'keyboard focus is visible');
    await page.keyboard.press('Enter');
    assert.match((await answer.locator('.counter').textContent())!, /^Step 2 of \d+$/);
    assert.equal((await focused(page))?.action, 'next', 'focus stays on "Next step"');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    assert.match((await answer.locator('.counter').textContent())!, /^Step 1 of \d+$/);
    for (let i = 0; i < 20 && !(await focused(page))?.cls.includes('vote'); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await answer.locator('.thanks', { hasText: 'Thank you' }).waitFor();
    assert.equal((await focused(page))?.cls, 'btn vote', 'focus stays on the vote button');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#sw-panel').isHidden(), true);
    assert.equal((await focused(page))?.cls, 'launcher', 'focus returns to the launcher');
    assert.equal(await page.locator('.launcher').getAttribute('aria-expanded'), 'false');
    await context.close();
  });

  it('announces answers politely and labels every control', async () => {
    const { page, context } = await open('/?lang=ko');
    await page.locator('.launcher').click();
    await ask(page, '컨테이너 로그를 어떻게 가져오나요?');
    const facts = await page.evaluate(() => {
      const shadow = document.querySelector('stepwise-widget')!.shadowRoot!;
      const log = shadow.querySelector('.log')!;
      const unlabelled = [...shadow.querySelectorAll<HTMLElement>('button, select, textarea, input')].filter((el) => {
        const label = el.getAttribute('aria-label') || el.textContent?.trim() || (el.id && shadow.querySelector(`label[for="${el.id}"]`)?.textContent);
        return !label;
      });
      return {
        live: log.getAttribute('aria-live'),
        role: log.getAttribute('role'),
        dialog: shadow.querySelector('[role=dialog]')?.getAttribute('aria-labelledby'),
        unlabelled: unlabelled.length,
      };
    });
    assert.deepEqual(facts, { live: 'polite', role: 'log', dialog: 'sw-title', unlabelled: 0 });
    await context.close();
  });

  it('keeps the conversation, the step shown, the draft and the language across a reload', async () => {
    const { page, context } = await open('/?lang=en');
    await page.locator('.launcher').click();
    await page.locator('select.lang').selectOption('zh');
    assert.equal(await page.locator('.send').textContent(), '发送');
    const answer = await ask(page, '如何获取容器日志？');
    await answer.locator('[data-action=next]').click();
    await page.locator('#sw-input').fill('还没发送的问题');
    await page.reload();
    await answers(page).first().waitFor();
    assert.equal(await page.locator('#sw-panel').isVisible(), true);
    assert.equal(await page.locator('.send').textContent(), '发送');
    assert.equal(await page.locator('.msg.user').count(), 1);
    assert.match((await answers(page).first().locator('.counter').textContent())!, /^第 2 步，共 \d+ 步$/);
    assert.equal(await page.locator('#sw-input').inputValue(), '还没发送的问题');
    await context.close();
  });

  it('shows the server going away mid-conversation politely, keeps the question, and recovers with Try again', async () => {
    const { page, context } = await open('/?lang=en');
    await page.locator('.launcher').click();
    await ask(page, 'How do I get the container logs?');
    await server.stop();
    try {
      await page.locator('#sw-input').fill('HTTP 503 when scoring');
      await page.locator('#sw-input').press('Enter');
      const error = page.locator('.msg.error');
      await error.waitFor();
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.ok((await error.textContent())!.includes('I could not reach the help service. Check your connection and try again.'));
      assert.equal(await page.locator('.msg.user').last().textContent(), 'You asked: HTTP 503 when scoring');
    } finally {
      await server.start();
    }
    await page.locator('.msg.error button').click();
    const answer = answers(page).nth(1);
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-topic'), 'HTTP-503');
    assert.equal(await page.locator('.msg.error').count(), 0);
    await context.close();
  });

  it('shows 429 with its Retry-After and a 5xx politely, each with a working retry', async () => {
    const { page, context } = await open('/?lang=ko');
    await page.locator('.launcher').click();
    await page.route(
      '**/api/v1/ask',
      (route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '7', 'content-type': 'application/problem+json' },
          body: '{"title":"Too Many Requests","status":429}',
        }),
      { times: 1 },
    );
    await page.locator('#sw-input').fill('컨테이너 로그를 어떻게 가져오나요?');
    await page.locator('#sw-input').press('Enter');
    await page.locator('.msg.error').waitFor();
    assert.equal(await page.locator('.msg.error p').textContent(), '질문이 너무 많습니다. 7초 뒤에 다시 시도해 주세요.');
    await page.route(
      '**/api/v1/ask',
      (route) =>
        route.fulfill({ status: 500, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"Internal Server Error","status":500}' }),
      { times: 1 },
    );
    await page.locator('.msg.error button').click();
    await page.locator('.msg.error p', { hasText: '도움말 서비스에 문제가 생겼습니다.' }).waitFor();
    await page.locator('.msg.error button').click();
    await answers(page).first().waitFor();
    assert.equal(await answers(page).first().getAttribute('data-topic'), 'ContainerLogs');
    assert.equal(await page.locator('.msg.user').count(), 1, 'the question was asked once and kept');
    await context.close();
  });

  it('sends a pasted 30 KB log whole and answers the ImageBuildFailure on its last line', async () => {
    const { page, context, errors } = await open('/?lang=en');
    await page.locator('.launcher').click();
    const log = buildLog(30_000);
    await paste(page, log);
    assert.equal((await page.locator('#sw-input').inputValue()).length, log.length, 'the textarea holds the whole paste');
    const sent = page.waitForRequest('**/api/v1/ask');
    await page.locator('#sw-input').press('Enter');
    assert.equal(((await sent).postDataJSON() as { question: string }).question, log, 'the whole paste reached the server');
    const answer = answers(page).first();
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-topic'), 'ImageBuildFailure');
    assert.equal(await answer.locator('h3').textContent(), realEngine().article('ImageBuildFailure', 'en')!.title);
    assert.equal(await page.locator('.msg.user .notice').count(), 0, 'nothing was cut, so nothing is said');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('cuts a 150 KB paste to the API limit, keeping its last line, says so in Korean, and answers the ImageBuildFailure', async () => {
    const { page, context, errors } = await open('/?lang=ko');
    await page.locator('.launcher').click();
    const log = buildLog(150_000);
    await paste(page, log);
    const sent = page.waitForRequest('**/api/v1/ask');
    await page.locator('#sw-input').press('Enter');
    const body = (await sent).postData()!;
    const { question } = JSON.parse(body) as { question: string };
    assert.ok(Buffer.byteLength(body) <= 65_536, `${Buffer.byteLength(body)} bytes sent`);
    assert.ok(question.length < log.length);
    assert.ok(question.startsWith(log.slice(0, log.indexOf('\n') + 1)), 'the first line is kept');
    assert.ok(question.endsWith(`\n${IMAGE_BUILD_ERROR}`), 'the last line is kept');
    const notice = page.locator('.msg.user .notice');
    await notice.waitFor();
    assert.equal(await notice.textContent(), '붙여 넣은 내용이 너무 길어서 처음과 끝, 오류로 보이는 줄만 보냈습니다.');
    const answer = answers(page).first();
    await answer.waitFor();
    assert.equal(await answer.getAttribute('data-topic'), 'ImageBuildFailure');
    assert.equal(await answer.locator('h3').textContent(), realEngine().article('ImageBuildFailure', 'ko')!.title);
    await notice.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${ARTIFACTS}/widget-paste-cut-ko.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("asks the demo page's 'Try asking' example in the widget when it is clicked", async () => {
    const { page, context, errors } = await open('/?lang=ko');
    const example = page.locator('.examples button').first();
    const question = (await example.textContent())!.trim();
    await example.click();
    await answers(page).first().waitFor();
    assert.equal((await page.locator('stepwise-widget .msg.user').first().textContent())?.includes(question), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('serves the article page a source link points to, with the widget on it', async () => {
    const { page, context, errors } = await open('/kb/ko/OutOfQuota/cpu');
    assert.equal(await page.locator('h1').textContent(), realEngine().article('OutOfQuota/cpu', 'ko')!.title);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
    assert.equal(await page.locator('.launcher').textContent(), '도움말');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/** A portal on another origin with a strict CSP of its own, hostile CSS and no data-lang: the widget must still work. */
function hostPages(origin: string, api: TestServer | undefined): Record<string, [string, string, Record<string, string>?]> {
  const apiUrl = api?.url ?? '';
  return {
    '/': [
      'text/html; charset=utf-8',
      `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Portal</title><link rel="stylesheet" href="/hostile.css"><link rel="icon" href="data:,"></head>
<body><h1>内部门户</h1><p><a href="#">链接</a></p><script src="${apiUrl}/widget.js" async></script></body></html>`,
      { 'content-security-policy': `default-src 'none'; script-src ${apiUrl}; connect-src ${apiUrl}; style-src ${origin}; img-src data:` },
    ],
    '/hostile.css': ['text/css', '* { font-size: 40px !important; color: red !important; } button, section, div, select { display: none !important; }'],
  };
}

describe('widget embedded on another origin', () => {
  it("takes the page language, resists the page CSS, and asks the API cross-origin under the page's strict CSP", async () => {
    const { page, context, errors } = await open('/', { base: host.origin });
    const launcher = page.locator('.launcher');
    assert.equal(await launcher.textContent(), '帮助', 'language from <html lang="zh">');
    assert.equal(await launcher.evaluate((el) => getComputedStyle(el).fontSize), '15px');
    await launcher.click();
    assert.equal(await page.locator('#sw-panel').isVisible(), true);
    const answer = await ask(page, '如何获取容器日志？');
    assert.equal(await answer.getAttribute('data-topic'), 'ContainerLogs');
    assert.equal(await answer.getAttribute('lang'), 'zh');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
