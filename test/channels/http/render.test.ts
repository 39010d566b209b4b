import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from '../../../src/engine/types.ts';
import { markdownToSafeHtml, renderHtml, renderMarkdown } from '../../../src/render/index.ts';
import { snippetHtml } from '../../../src/render/snippet.ts';
import { i18n } from './helpers.ts';

const base: Answer = {
  status: 'answered',
  lang: 'en',
  requestedLang: 'en',
  topic: { id: 'HTTP-503', title: 'HTTP 503 <b>spikes</b>', codes: ['503'], legacy: false },
  summary: 'Replace <endpoint-name> with *your* endpoint.',
  causes: [],
  steps: [{ text: 'Check the logs', command: 'az ml online-deployment get-logs -e <endpoint-name>' }, { text: '1. not a list' }],
  commands: [],
  code: [],
  tables: [{ header: ['Status', 'Reason'], rows: [['503', 'a | b']] }],
  notes: [],
  links: [],
  source: { title: 'Troubleshoot', url: 'javascript:alert(1)', section: 'HTTP 503', anchor: 'http-503', license: 'CC BY 4.0', attribution: 'Microsoft Learn' },
  related: [{ id: 'HTTP-504', title: 'HTTP 504' }],
  alternatives: [],
  suggestions: [],
  confidence: 0.9,
  notices: [],
  evidence: [],
};
const t = i18n.getFixedT('en');

describe('answer renderings', () => {
  it('escapes text in Markdown so placeholders and emphasis characters show literally', () => {
    const md = renderMarkdown(base, t);
    assert.ok(
      md.startsWith(
        '### HTTP 503 \\<b\\>spikes\\</b\\>\n\nReplace \\<endpoint-name\\> with \\*your\\* endpoint.\n\n**Steps**\n\n1. Check the logs\n\n   ```\n   az ml online-deployment get-logs -e <endpoint-name>\n   ```\n2. 1\\. not a list',
      ),
      md,
    );
    assert.ok(md.includes('| 503 | a \\| b |'));
    assert.ok(md.includes('**Source:** Troubleshoot › HTTP 503\n'), 'unsafe URL is not linked');
    assert.ok(md.endsWith('_Content: Microsoft Learn_\n'));
  });

  it('builds HTML from escaped text and drops unsafe URLs', () => {
    const html = renderHtml(base, t);
    assert.ok(html.includes('<h3 data-topic-id="HTTP-503">HTTP 503 &lt;b&gt;spikes&lt;/b&gt;</h3>'), html);
    assert.ok(html.includes('<pre class="stepwise-command"><code>az ml online-deployment get-logs -e &lt;endpoint-name&gt;</code></pre>'));
    assert.doesNotMatch(html, /javascript:/);
    assert.ok(html.includes('<li data-topic-id="HTTP-504">HTTP 504</li>'));
  });

  it('links a safe source URL with rel=noopener', () => {
    const html = renderHtml({ ...base, source: { ...base.source!, url: 'https://learn.microsoft.com/x' } }, t);
    assert.ok(html.includes('<a href="https://learn.microsoft.com/x" rel="noopener noreferrer" target="_blank">Troubleshoot › HTTP 503</a>'), html);
  });

  it('renders not_found with the localized text and suggestions in the asker language', () => {
    const answer: Answer = {
      ...base,
      status: 'not_found',
      topic: undefined,
      requestedLang: 'ko',
      lang: 'ko',
      suggestions: [{ id: 'OutOfQuota', title: 'OutOfQuota' }],
    };
    const md = renderMarkdown(answer, i18n.getFixedT('ko'));
    assert.ok(md.includes('- OutOfQuota'));
    assert.ok(md.startsWith(i18n.t('common:answer.notFound', { lng: 'ko' }).slice(0, 10)));
  });

  it('translates the language-fallback notice', () => {
    const md = renderMarkdown({ ...base, lang: 'en', requestedLang: 'ko', notices: ['language_fallback'] }, i18n.getFixedT('ko'));
    const expected = i18n.t('common:answer.fallback', { lng: 'ko', requested: '한국어', lang: 'English' });
    assert.ok(md.includes(`> ${expected}`), md);
  });
});

describe('safe HTML by construction (no sanitizer)', () => {
  const payload = '<p onclick="x()">hi<script>alert(1)</script><img src=x onerror=y><a href="javascript:alert(1)">l</a></p>';

  it('shows scripts, event handlers and javascript: links in answer text as text', () => {
    const html = renderHtml({ ...base, topic: { ...base.topic!, title: payload }, summary: payload, notes: [payload] }, t);
    assert.doesNotMatch(html, /<script|<img|<p onclick|<a href="javascript/);
    assert.ok(
      html.includes(
        '<h3 data-topic-id="HTTP-503">&lt;p onclick="x()"&gt;hi&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=y&gt;&lt;a href="javascript:alert(1)"&gt;l&lt;/a&gt;&lt;/p&gt;</h3>',
      ),
      html,
    );
  });

  it('links answer text only to http(s) pages and topic pages', () => {
    const links = [
      { text: 'one', href: 'javascript:alert(1)' },
      { text: 'two', href: 'data:text/html,<script>alert(1)</script>' },
      { text: 'three', href: 'https://learn.microsoft.com/a"onmouseover="x' },
      { text: 'four', topic: 'OutOfQuota/cpu' },
    ];
    const html = renderHtml({ ...base, summary: 'one two three four', links }, t);
    assert.ok(html.includes('<p>one two three <a href="/kb/en/OutOfQuota/cpu" data-topic-id="OutOfQuota/cpu">four</a></p>'), html);
  });

  it('turns article Markdown into HTML, headings with their section anchors as ids, raw HTML shown as text', () => {
    assert.equal(
      markdownToSafeHtml('## OutOfQuota\n\n<script>x</script>ok', { headingIds: ['outofquota'] }),
      '<h2 id="outofquota">OutOfQuota</h2>\n&lt;script&gt;x&lt;/script&gt;ok',
    );
    assert.equal(markdownToSafeHtml('<script>alert(1)</script>\n\ntext'), '&lt;script&gt;alert(1)&lt;/script&gt;\n\n<p>text</p>\n');
  });

  it('escapes an <img onerror> in article Markdown', () => {
    assert.equal(markdownToSafeHtml('a <img src=x onerror=alert(1)> b'), '<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n');
    // A block of raw HTML is one html token: all of it is text.
    assert.equal(markdownToSafeHtml(payload), payload.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('does not link javascript:, data:, protocol-relative or control-character URLs in article Markdown', () => {
    assert.equal(markdownToSafeHtml('[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [z](vbscript:msgbox(1))'), '<p><a>x</a> <a>y</a> <a>z</a></p>\n');
    assert.equal(
      markdownToSafeHtml('[d](data:text/html,<script>alert(1)</script>) [p](//evil.example) [b](/\\evil.example)'),
      '<p><a>d</a> <a>p</a> <a>b</a></p>\n',
    );
    assert.equal(markdownToSafeHtml('[t](<java\tscript:alert(1)>)'), '<p><a>t</a></p>\n');
    // An entity is not decoded into a scheme: the link is a harmless relative path.
    assert.equal(markdownToSafeHtml('[e](&#106;avascript:alert(1))'), '<p><a href="&amp;#106;avascript:alert(1)">e</a></p>\n');
  });

  it('shows an image (data: URL or any other) as its alt text', () => {
    assert.equal(markdownToSafeHtml('![diagram](data:image/svg+xml;base64,PHN2Zz4=) ![x](https://example.com/x.png)'), '<p>diagram x</p>\n');
  });

  it('links http(s), mailto and same-site URLs, external ones without the opener', () => {
    assert.equal(
      markdownToSafeHtml('[a](https://learn.microsoft.com/x?b=1&c=2 "T") [k](/kb/en/OutOfQuota) [f](#cpu) [m](mailto:ops@example.com)'),
      '<p><a href="https://learn.microsoft.com/x?b=1&amp;c=2" title="T" rel="noopener noreferrer" target="_blank">a</a> <a href="/kb/en/OutOfQuota">k</a> <a href="#cpu">f</a> <a href="mailto:ops@example.com">m</a></p>\n',
    );
  });

  it('drops HTML comments (editorial notes) and task-list checkboxes', () => {
    assert.equal(markdownToSafeHtml('<!-- causes -->\n\ntext'), '<p>text</p>\n');
    assert.equal(markdownToSafeHtml('- [ ] task'), '<ul>\n<li> task</li>\n</ul>\n');
  });

  it('keeps <mark> as the only markup of a search snippet: the text around and inside the matches is escaped', () => {
    assert.equal(
      snippetHtml({
        text: 'a <b> quota <img src=x> & "q"',
        marks: [
          [6, 11],
          [26, 29],
        ],
      }),
      'a &lt;b&gt; <mark>quota</mark> &lt;img src=x&gt; &amp; <mark>&quot;q&quot;</mark>',
    );
  });
});
