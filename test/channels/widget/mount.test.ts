import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import express from 'express';
import request from 'supertest';
import { createEngine, loadKnowledgeBase } from '../../../src/engine/index.ts';
import type { Engine } from '../../../src/engine/types.ts';
import { createWidgetMount, PAGE_CSP } from '../../../src/channels/widget/index.ts';
import { markdownToSafeHtml } from '../../../src/render/markdown.ts';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

let engine: Engine;
let app: express.Express;

before(() => {
  engine = createEngine(loadKnowledgeBase(root('content')).kb);
  app = express();
  createWidgetMount({ engine, localesDir: root('locales') })(app);
});

describe('widget mount: /widget.js', () => {
  it('serves the bundle as JavaScript that other origins may load, gzipped when asked, with an ETag', async () => {
    const res = await request(app)
      .get('/widget.js')
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(res.headers.etag), /^"[\w-]{16}"$/);
    const code = (res.body as Buffer).toString('utf8'); // supertest has already gunzipped it
    assert.ok(code.includes('stepwise-widget'), 'is the widget bundle');
    const again = await request(app).get('/widget.js').set('If-None-Match', String(res.headers.etag));
    assert.equal(again.status, 304);
  });

  it('serves the plain bundle to clients that do not accept gzip', async () => {
    const res = await request(app).get('/widget.js').set('Accept-Encoding', 'identity');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.ok(/^(?:"use strict";)?\(\(\)=>\{/.test(res.text), 'is the plain bundle');
  });
});

describe('widget mount: pages', () => {
  it('serves the demo page in the language asked for, under a strict CSP, with the embed tag shown escaped', async () => {
    const res = await request(app).get('/?lang=ko').set('Host', 'help.example');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-security-policy'], PAGE_CSP);
    assert.doesNotMatch(PAGE_CSP, /unsafe-inline|unsafe-eval/);
    assert.match(res.text, /<html lang="ko">/);
    assert.match(res.text, /<h1>Stepwise 도움말 위젯<\/h1>/);
    assert.match(res.text, /&lt;script src=&quot;http:\/\/help\.example\/widget\.js&quot; data-lang=&quot;ko&quot;/);
    assert.match(res.text, /<script src="\/widget\.js" data-lang="ko" async><\/script>/);
    assert.doesNotMatch(res.text, /<script>|<style>| style="/);
  });

  it('picks the demo page language from Accept-Language when none is asked for', async () => {
    const res = await request(app).get('/').set('Accept-Language', 'zh-CN,zh;q=0.9');
    assert.match(res.text, /<html lang="zh">/);
  });

  it('renders a sub-topic article whose id contains a slash, in Korean, with its source and license', async () => {
    const res = await request(app).get('/kb/ko/OutOfQuota/cpu');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-security-policy'], PAGE_CSP);
    const article = engine.article('OutOfQuota/cpu', 'ko')!;
    assert.ok(res.text.includes(`<h1>${article.title}</h1>`), 'has the Korean title');
    assert.match(res.text, /<article lang="ko" data-topic="OutOfQuota\/cpu">/);
    assert.match(res.text, /출처: <a href="https:\/\/learn\.microsoft\.com\/ko-kr\//);
    assert.doesNotMatch(res.text, /\{#outofquota-cpu\}/, 'heading anchors become ids, not text');
  });

  it('lists every topic of a language on /kb/:lang, each linking to its page', async () => {
    const res = await request(app).get('/kb/zh');
    assert.equal(res.status, 200);
    for (const topic of engine.topics('zh').slice(0, 10)) assert.ok(res.text.includes(`href="/kb/zh/${topic.id}"`), topic.id);
  });

  it('answers 404 with a page for an unknown topic, and passes an unknown language on to a client that is not a browser', async () => {
    const res = await request(app).get('/kb/en/NoSuchTopic/really');
    assert.equal(res.status, 404);
    assert.match(res.text, /There is no topic NoSuchTopic\/really\./);
    const other = await request(app).get('/kb/fr/OutOfQuota').set('Accept', 'application/json');
    assert.equal(other.status, 404);
    assert.match(other.text, /Cannot GET \/kb\/fr\/OutOfQuota/, 'falls through to the app 404');
  });

  it('answers a browser asking for an unknown language with an HTML 404 page in its own language, linking the three', async () => {
    for (const path of ['/kb/fr', '/kb/fr/OutOfQuota']) {
      const res = await request(app).get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').set('Accept-Language', 'ko-KR,ko;q=0.9');
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['content-security-policy'], PAGE_CSP);
      assert.match(res.text, /<html lang="ko">/);
      assert.ok(res.text.includes('<h1>“fr” 언어의 지식 베이스는 없습니다. 언어를 고르세요.</h1>'), res.text);
      for (const l of ['en', 'ko', 'zh']) assert.ok(res.text.includes(`<a href="/kb/${l}" lang="${l}" hreflang="${l}">`), l);
    }
  });

  it('reads topic ids case-insensitively, as the API does: /kb/ko/outofquota/CPU is OutOfQuota/cpu at its own address', async () => {
    const res = await request(app).get('/kb/ko/outofquota/CPU');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/kb/ko/OutOfQuota/cpu');
    assert.equal((await request(app).get('/kb/zh/IMAGEBUILDFAILURE')).headers.location, '/kb/zh/ImageBuildFailure');
  });

  it('groups the topic index by area, legacy v1 marked legacy, in the page language', async () => {
    const res = await request(app).get('/kb/en');
    const areas = [...res.text.matchAll(/<section class="area" data-area="([\w-]+)">\n<h2>([^<]+)(<span class="badge">[^<]+<\/span>)?/g)].map((m) => [
      m[1],
      m[2].trim(),
      !!m[3],
    ]);
    assert.deepEqual(areas, [
      ['online-endpoints', 'Online endpoints', false],
      ['kubernetes', 'Kubernetes online endpoints', false],
      ['scoring', 'Scoring and HTTP status codes', false],
      ['batch-endpoints', 'Batch endpoints', false],
      ['sdk-v1', 'SDK v1: ACI and AKS web services', true],
    ]);
    const section = (area: string) => res.text.split(`data-area="${area}"`)[1].split('</section>')[0];
    assert.ok(section('kubernetes').includes('href="/kb/en/PodUnschedulable"'));
    assert.ok(section('scoring').includes('href="/kb/en/HTTP-503"'));
    assert.ok(section('online-endpoints').includes('href="/kb/en/OutOfQuota/cpu"'));
    assert.ok(section('sdk-v1').includes('href="/kb/en/v1/HTTP-503"'));
    assert.ok(section('batch-endpoints').includes('href="/kb/en/batch/Logs"'));
    const zh = await request(app).get('/kb/zh');
    assert.ok(zh.text.includes('<h2>Kubernetes 联机终结点</h2>'), 'zh area names');
  });

  it("searches with the engine's search (as GET /api/v1/search) from a plain form, results marked and escaped", async () => {
    const page = await request(app).get('/kb/ko');
    assert.match(page.text, /<form class="search" role="search" method="get" action="\/kb\/ko">/);
    const res = await request(app).get('/kb/ko').query({ q: 'CPU 할당량 <script>' });
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('<h2>“CPU 할당량 &lt;script&gt;” 검색 결과</h2>'), 'the query is shown escaped');
    assert.doesNotMatch(res.text, /<script>/);
    const first = /<ol class="results">\n<li><a href="([^"]+)"/.exec(res.text);
    assert.equal(first?.[1], '/kb/ko/OutOfQuota/cpu');
    assert.match(res.text, /<mark>/);
    const none = await request(app).get('/kb/en').query({ q: 'zzzzqqqq' });
    assert.ok(none.text.includes('No topic matches “zzzzqqqq”.'), 'says when nothing matched');
  });

  it("shows an article's title once and reaches each sub-topic once: its section on the page, or a link to its page", async () => {
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const res = await request(app).get(`/kb/${lang}/ImageBuildFailure`);
      const title = engine.article('ImageBuildFailure', lang)!.title;
      assert.equal(res.text.split(`>${title}</h`).length - 1, 1, `${lang}: title once`);
      for (const child of engine.topics(lang).filter((t) => t.parent === 'ImageBuildFailure')) {
        const inPage = res.text.split(`href="#${child.anchor}"`).length - 1;
        if (inPage) assert.match(res.text, new RegExp(`<h\\d id="${child.anchor}">`), `${lang}: ${child.id}'s section is on the page`);
        assert.equal(inPage + res.text.split(`href="/kb/${lang}/${child.id}"`).length - 1, 1, `${lang}: ${child.id} linked once`);
      }
    }
  });
});

describe('article Markdown rendering', () => {
  it("escapes raw HTML, drops unsafe links, gives headings their section anchors and sends other topics' anchors to their pages", () => {
    const html = markdownToSafeHtml(
      '## Title\n\nText <img src=x onerror=alert(1)> and <script>alert(1)</script>\n\n[bad](javascript:alert(1)) [ok](https://learn.microsoft.com) [here](#t) [other](#outofquota-cpu) [gone](#nowhere)\n\n### Sub\n',
      { headingIds: ['t', 't-sub'], resolveAnchor: (a) => (a === 'outofquota-cpu' ? '/kb/en/OutOfQuota/cpu' : undefined) },
    );
    assert.match(html, /<h2 id="t">Title<\/h2>/);
    assert.match(html, /<h3 id="t-sub">Sub<\/h3>/);
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /<a href="https:\/\/learn\.microsoft\.com" rel="noopener noreferrer" target="_blank">ok<\/a>/);
    assert.match(html, /<a href="#t">here<\/a>/);
    assert.match(html, /<a href="\/kb\/en\/OutOfQuota\/cpu">other<\/a>/);
    assert.match(html, /<a>gone<\/a>/);
  });

  it('turns DocFX callouts into a bold label', () => {
    assert.match(markdownToSafeHtml('> [!NOTE]\n> Keep the key.\n'), /<blockquote>\n<p><strong>Note<\/strong>\nKeep the key\.<\/p>/);
  });
});

describe('widget mount: while the knowledge base loads', () => {
  it("answers the topic pages with a 503 page in the reader's language that comes back by itself, then serves them once the engine is there", async () => {
    let arrive!: (e: Engine) => void;
    const loading = express();
    createWidgetMount({ engine: new Promise<Engine>((resolve) => (arrive = resolve)), localesDir: root('locales') })(loading);
    for (const path of ['/kb/ko', '/kb/ko/OutOfQuota/cpu']) {
      const res = await request(loading).get(path);
      assert.equal(res.status, 503, path);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.headers.refresh, '1');
      assert.equal(res.headers['content-security-policy'], PAGE_CSP);
      assert.match(res.text, /지식 베이스를 불러오는 중/);
    }
    arrive(engine);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await request(loading).get('/kb/ko/OutOfQuota/cpu')).status, 200);
  });
});
