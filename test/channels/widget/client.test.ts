import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLang, resolveLang, scriptLang } from '../../../src/channels/widget/client/lang.ts';
import { apiBase, createApi, parseRetryAfter } from '../../../src/channels/widget/client/api.ts';
import { loadState, saveState, MAX_ENTRIES, type Entry } from '../../../src/channels/widget/client/history.ts';
import { articlePath, inlineRuns, isSafeUrl } from '../../../src/channels/widget/client/text.ts';

describe('widget language', () => {
  it('maps BCP 47 tags to en/ko/zh and nothing else', () => {
    assert.equal(normalizeLang('ko-KR'), 'ko');
    assert.equal(normalizeLang('zh-Hans-CN'), 'zh');
    assert.equal(normalizeLang('zh_TW'), 'zh');
    assert.equal(normalizeLang('EN-us'), 'en');
    assert.equal(normalizeLang('ja'), undefined);
    assert.equal(normalizeLang(''), undefined);
    assert.equal(normalizeLang(null), undefined);
  });

  it('prefers data-lang, then the page lang, then the browser languages, then English', () => {
    assert.equal(resolveLang('zh', 'ko', ['en-US']), 'zh');
    assert.equal(resolveLang('fr', 'ko', ['en-US']), 'ko');
    assert.equal(resolveLang(undefined, '', ['ja-JP', 'zh-CN', 'ko']), 'zh');
    assert.equal(resolveLang(undefined, 'de', ['fr']), 'en');
  });

  it('reads the language a question is written in from its script', () => {
    assert.equal(scriptLang('OutOfQuota 오류가 나요'), 'ko');
    assert.equal(scriptLang('部署时出现 OutOfQuota 错误'), 'zh');
    assert.equal(scriptLang('OutOfQuota when deploying'), undefined);
  });
});

describe('widget API client', () => {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init: init! });
      return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    }) as typeof fetch;

  it('derives the API base from the script URL, so /api/v1 sits beside widget.js', () => {
    assert.equal(apiBase('https://help.example.com/widget.js'), 'https://help.example.com/');
    assert.equal(apiBase('https://portal.example.com/stepwise/widget.js?v=2'), 'https://portal.example.com/stepwise/');
  });

  it('posts the question as JSON to <base>api/v1/ask and returns the answer', async () => {
    calls.length = 0;
    const api = createApi('https://h.example/x/', reply(200, { answer: { id: 'a1', status: 'answered', steps: [] } }));
    const result = await api.ask({ question: 'q', lang: 'ko', topic: 'OutOfQuota/cpu' });
    assert.deepEqual(result, { ok: true, data: { id: 'a1', status: 'answered', steps: [] } });
    assert.equal(calls[0].url, 'https://h.example/x/api/v1/ask');
    assert.equal(calls[0].init.method, 'POST');
    assert.deepEqual(JSON.parse(String(calls[0].init.body)), { question: 'q', lang: 'ko', topic: 'OutOfQuota/cpu' });
    assert.equal(calls[0].init.credentials, 'omit');
  });

  it("sends a long question whole: fitting a paste to the body limit is the widget's job before it asks", async () => {
    calls.length = 0;
    const api = createApi('https://h.example/', reply(200, { answer: { id: 'a1', status: 'answered', steps: [] } }));
    const question = '로그 '.repeat(10_000);
    await api.ask({ question });
    assert.equal((JSON.parse(String(calls[0].init.body)) as { question: string }).question, question);
  });

  it('classifies failures: network, 429 with Retry-After, 5xx, 4xx', async () => {
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    assert.deepEqual(await createApi('http://x/', down).ask({ question: 'q' }), { ok: false, failure: { kind: 'network' } });
    assert.deepEqual(await createApi('http://x/', reply(429, { title: 'Too Many Requests' }, { 'retry-after': '7' })).ask({ question: 'q' }), {
      ok: false,
      failure: { kind: 'rate', retryAfter: 7 },
    });
    assert.deepEqual(await createApi('http://x/', reply(503, {})).ask({ question: 'q' }), { ok: false, failure: { kind: 'server', status: 503 } });
    assert.deepEqual(await createApi('http://x/', reply(400, {})).ask({ question: 'q' }), { ok: false, failure: { kind: 'client', status: 400 } });
    assert.deepEqual(await createApi('http://x/', reply(200, { nothing: true })).ask({ question: 'q' }), {
      ok: false,
      failure: { kind: 'server', status: 200 },
    });
  });

  it('sends the widget key only when the script tag has one, and reads 401/403 as a refused key', async () => {
    calls.length = 0;
    await createApi('http://x/', reply(200, { answer: { id: 'a1', status: 'answered', steps: [] } }), 'wk_portal_01').ask({ question: 'q' });
    await createApi('http://x/', reply(200, { answer: { id: 'a1', status: 'answered', steps: [] } })).ask({ question: 'q' });
    assert.equal((calls[0].init.headers as Record<string, string>)['x-stepwise-widget-key'], 'wk_portal_01');
    assert.equal('x-stepwise-widget-key' in (calls[1].init.headers as Record<string, string>), false);
    assert.deepEqual(await createApi('http://x/', reply(401, {})).ask({ question: 'q' }), { ok: false, failure: { kind: 'auth', status: 401 } });
    assert.deepEqual(await createApi('http://x/', reply(403, {})).feedback({ answerId: 'a1', helpful: true }), {
      ok: false,
      failure: { kind: 'auth', status: 403 },
    });
  });

  it('sends feedback to <base>api/v1/feedback and treats 202 as success', async () => {
    calls.length = 0;
    const result = await createApi('http://x/', reply(202, { id: 'f1' })).feedback({ answerId: 'a1', helpful: false, step: 2, comment: 'no' });
    assert.deepEqual(result, { ok: true, data: undefined });
    assert.equal(calls[0].url, 'http://x/api/v1/feedback');
    assert.deepEqual(JSON.parse(String(calls[0].init.body)), { answerId: 'a1', helpful: false, step: 2, comment: 'no' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('30'), 30);
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 20)).toUTCString(), Date.UTC(2030, 0, 1, 0, 0, 0)), 20);
    assert.equal(parseRetryAfter('99999'), 3600);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});

describe('widget history', () => {
  const memory = () => {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
  };
  const answer = { id: 'a1', status: 'answered', lang: 'ko', steps: [{ text: 's' }], markdown: '# big', html: '<h1>big</h1>' } as unknown as Extract<
    Entry,
    { kind: 'answer' }
  >['answer'];

  it("restores what was saved, without the answers' markdown and html", () => {
    const storage = memory();
    saveState(storage, 'k', {
      lang: 'ko',
      open: true,
      draft: 'half a question',
      entries: [
        { kind: 'user', text: '질문' },
        { kind: 'answer', answer, step: 1, all: false },
      ],
    });
    const state = loadState(storage, 'k');
    assert.equal(state.lang, 'ko');
    assert.equal(state.open, true);
    assert.equal(state.draft, 'half a question');
    assert.deepEqual(state.entries[0], { kind: 'user', text: '질문' });
    const restored = state.entries[1] as Extract<Entry, { kind: 'answer' }>;
    assert.equal(restored.step, 1);
    assert.equal('markdown' in restored.answer, false);
    assert.equal('html' in restored.answer, false);
  });

  it(`keeps only the newest ${MAX_ENTRIES} entries`, () => {
    const storage = memory();
    const entries: Entry[] = Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => ({ kind: 'user', text: `q${i}` }));
    saveState(storage, 'k', { open: false, draft: '', entries });
    const state = loadState(storage, 'k');
    assert.equal(state.entries.length, MAX_ENTRIES);
    assert.deepEqual(state.entries[0], { kind: 'user', text: 'q5' });
  });

  it('starts empty when storage is missing, corrupt or throws', () => {
    const empty = { open: false, draft: '', entries: [] };
    assert.deepEqual(loadState(undefined, 'k'), empty);
    assert.deepEqual(loadState({ getItem: () => '{not json', setItem: () => {} }, 'k'), empty);
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    assert.deepEqual(loadState(throwing, 'k'), empty);
    assert.doesNotThrow(() => saveState(throwing, 'k', { open: true, draft: '', entries: [] }));
  });
});

describe('widget text', () => {
  it('splits backtick code spans from plain text', () => {
    assert.deepEqual(inlineRuns('Run `az ml online-deployment get-logs` then retry'), [
      { code: false, text: 'Run ' },
      { code: true, text: 'az ml online-deployment get-logs' },
      { code: false, text: ' then retry' },
    ]);
    assert.deepEqual(inlineRuns('an odd ` backtick'), [{ code: false, text: 'an odd ` backtick' }]);
  });

  it('allows only absolute http(s) links', () => {
    assert.equal(isSafeUrl('https://learn.microsoft.com/x'), true);
    assert.equal(isSafeUrl('javascript:alert(1)'), false);
    assert.equal(isSafeUrl('data:text/html,<script>'), false);
    assert.equal(isSafeUrl('/relative'), false);
  });

  it('links a topic id with slashes to its article page, segment by segment', () => {
    assert.equal(articlePath('ko', 'OutOfQuota/cpu'), 'kb/ko/OutOfQuota/cpu');
    assert.equal(articlePath('en', 'HTTP-503'), 'kb/en/HTTP-503');
  });
});
