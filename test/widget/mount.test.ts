import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import express from 'express';
import request from 'supertest';
import { createEngine, loadKnowledgeBase } from '../../src/engine/index.ts';
import type { Engine } from '../../src/engine/types.ts';
import { createWidgetMount, PAGE_CSP } from '../../src/channels/widget/index.ts';
import { renderMarkdown } from '../../src/channels/widget/markdown.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

let engine: Engine;
let app: express.Express;

before(() => {
  engine = createEngine(loadKnowledgeBase(root('content')).kb);
  app = express();
  createWidgetMount({ engine, localesDir: root('locales') })(app);
});

describe('widget mount: /widget.js', () => {
  it('serves the bundle as JavaScript that other origins may load, gzipped when asked, with an ETag', async () => {
    const res = await request(app).get('/widget.js').set('Accept-Encoding', 'gzip').buffer(true).parse((r, done) => {
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

  it('answers 404 with a page for an unknown topic, and passes an unknown language on', async () => {
    const res = await request(app).get('/kb/en/NoSuchTopic/really');
    assert.equal(res.status, 404);
    assert.match(res.text, /There is no topic NoSuchTopic\/really\./);
    const other = await request(app).get('/kb/fr/OutOfQuota');
    assert.equal(other.status, 404);
    assert.match(other.text, /Cannot GET \/kb\/fr\/OutOfQuota/, 'falls through to the app 404');
  });
});

describe('article Markdown rendering', () => {
  it('escapes raw HTML, drops unsafe links and keeps Learn anchors as ids', () => {
    const html = renderMarkdown(
      '## Title {#t}\n\n<a name="old"></a>\n\nText <img src=x onerror=alert(1)> and <script>alert(1)</script>\n\n[bad](javascript:alert(1)) [ok](https://learn.microsoft.com) [here](#t) [other](#outofquota-cpu)\n',
      { resolveAnchor: (a) => (a === 'outofquota-cpu' ? '/kb/en/OutOfQuota/cpu' : undefined) },
    );
    assert.match(html, /<h2 id="t">Title<\/h2>/);
    assert.match(html, /<a id="old"><\/a>/);
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /<a href="https:\/\/learn\.microsoft\.com" rel="noopener noreferrer">ok<\/a>/);
    assert.match(html, /<a href="#t">here<\/a>/);
    assert.match(html, /<a href="\/kb\/en\/OutOfQuota\/cpu">other<\/a>/);
  });

  it('turns DocFX callouts into a bold label', () => {
    assert.match(renderMarkdown('> [!NOTE]\n> Keep the key.\n'), /<blockquote>\n<p><strong>Note<\/strong>\nKeep the key\.<\/p>/);
  });
});
