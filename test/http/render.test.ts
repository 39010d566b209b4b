import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from '../../src/engine/types.ts';
import { markdownToSafeHtml, renderHtml, renderMarkdown, sanitizeHtml } from '../../src/render/index.ts';
import { safeSnippet } from '../../src/channels/http/snippet.ts';
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
    assert.ok(md.startsWith('### HTTP 503 \\<b\\>spikes\\</b\\>\n\nReplace \\<endpoint-name\\> with \\*your\\* endpoint.\n\n**Steps**\n\n1. Check the logs\n\n   ```\n   az ml online-deployment get-logs -e <endpoint-name>\n   ```\n2. 1\\. not a list'), md);
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
    const answer: Answer = { ...base, status: 'not_found', topic: undefined, requestedLang: 'ko', lang: 'ko', suggestions: [{ id: 'OutOfQuota', title: 'OutOfQuota' }] };
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

describe('sanitizer', () => {
  it('removes scripts, event handlers and javascript: URLs', () => {
    assert.equal(
      sanitizeHtml('<p onclick="x()">hi<script>alert(1)</script><img src=x onerror=y><a href="javascript:alert(1)">l</a></p>'),
      '<p>hi<a>l</a></p>',
    );
  });

  it('turns article Markdown into safe HTML without heading anchors', () => {
    assert.equal(markdownToSafeHtml('## OutOfQuota {#outofquota}\n\n<script>x</script>ok'), '<h2>OutOfQuota</h2>\nok');
  });

  it('keeps <mark> as the only markup of a search snippet', () => {
    assert.equal(safeSnippet('a &lt;b&gt; <mark>quota</mark> <img src=x>'), 'a &lt;b&gt; <mark>quota</mark> &lt;img src=x&gt;');
  });
});
