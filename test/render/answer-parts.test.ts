/** Causes, steps, commands, code and links are rendered as what they are, on every surface. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Answer, Lang } from '../../src/engine/types.ts';
import { renderHtml, renderMarkdown } from '../../src/render/index.ts';
import { linkRuns, looseCommands } from '../../src/render/parts.ts';
import { renderTerminal } from '../../src/channels/cli/render.ts';
import { answerCard, notFoundCard } from '../../src/channels/bot/cards.ts';
import { createI18n, translator } from '../../src/i18n.ts';
import { quotaAnswer } from '../fixtures.ts';

const i18n = createI18n(fileURLToPath(new URL('../../locales', import.meta.url)));

/** A ResourceNotReady-like answer with one of each part. */
const answer = (lang: Lang = 'en', extra: Partial<Answer> = {}): Answer =>
  quotaAnswer(lang, [], {
    topic: { id: 'ResourceNotReady', title: 'ResourceNotReady', codes: ['ResourceNotReady'], legacy: false },
    summary: 'The container crashed while running score.py.',
    causes: ['The readiness or liveness probe is not set up correctly.'],
    steps: [
      { text: 'Get the logs.', command: 'az ml online-deployment get-logs -e <endpoint-name> -n <deployment-name>' },
      { text: 'Deploy locally to debug the container.' },
      { text: 'Set the log level in the scoring script.', code: { kind: 'code', lang: 'python', text: 'logger.setLevel(logging.INFO)' } },
    ],
    commands: ['az ml online-deployment get-logs -e <endpoint-name> -n <deployment-name>', 'az ml online-endpoint show'],
    code: [{ kind: 'output', lang: 'text', text: 'Traceback (most recent call last):' }],
    links: [
      { text: 'Deploy locally', topic: 'LocalDeployment' },
      { text: 'logs', href: 'https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints#get-container-logs' },
    ],
    ...extra,
  });

describe('answer text with links', () => {
  it("splits text where a link's words occur, longest link first, each once", () => {
    const runs = linkRuns('Deploy locally, then deploy locally again', [
      { text: 'Deploy', href: 'https://a.example' },
      { text: 'Deploy locally', topic: 'LocalDeployment' },
    ]);
    assert.deepEqual(runs, [{ text: 'Deploy locally', link: { text: 'Deploy locally', topic: 'LocalDeployment' } }, { text: ', then deploy locally again' }]);
    assert.deepEqual(linkRuns('plain', []), [{ text: 'plain' }]);
    assert.deepEqual(linkRuns('', undefined), [{ text: '' }]);
  });

  it('treats only the commands no step carries as loose commands', () => {
    assert.deepEqual(looseCommands(answer()), ['az ml online-endpoint show']);
  });
});

describe('Markdown and HTML renderings of the answer parts', () => {
  it('Markdown: causes as bullets, steps with their command or snippet, loose commands, output under its own label, links', () => {
    const md = renderMarkdown(answer(), i18n.getFixedT('en'));
    assert.ok(md.includes('**Why this happens**\n\n- The readiness or liveness probe is not set up correctly.'), md);
    assert.ok(
      md.includes(
        '1. Get the [logs](https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints#get-container-logs).\n\n   ```\n   az ml online-deployment get-logs',
      ),
      md,
    );
    assert.ok(md.includes('2. [Deploy locally](/kb/en/LocalDeployment) to debug the container.'), md);
    assert.ok(md.includes('3. Set the log level in the scoring script.\n\n   ```python\n   logger.setLevel(logging.INFO)\n   ```'), md);
    assert.ok(md.includes('**Commands**\n\n```\naz ml online-endpoint show\n```'), md);
    assert.ok(md.includes('**Example output**\n\n```text\nTraceback (most recent call last):\n```'), md);
    assert.equal(md.match(/get-logs/g)?.length, 1, "a step's command is not repeated under Commands");
  });

  it('HTML: code blocks say what they are (command, code, output) and links lead to the page or the topic', () => {
    const html = renderHtml(answer(), i18n.getFixedT('en'));
    assert.ok(
      html.includes('<h4>Why this happens</h4><ul class="stepwise-causes"><li>The readiness or liveness probe is not set up correctly.</li></ul>'),
      html,
    );
    assert.ok(
      html.includes('<pre class="stepwise-command"><code>az ml online-deployment get-logs -e &lt;endpoint-name&gt; -n &lt;deployment-name&gt;</code></pre>'),
      html,
    );
    assert.ok(html.includes('<pre class="stepwise-code"><code>logger.setLevel(logging.INFO)</code></pre>'), html);
    assert.ok(html.includes('<h4>Example output</h4><pre class="stepwise-output"><code>Traceback (most recent call last):</code></pre>'), html);
    assert.ok(html.includes('<a href="/kb/en/LocalDeployment" data-topic-id="LocalDeployment">Deploy locally</a> to debug the container.'), html);
    assert.doesNotMatch(html, /<h4>Commands<\/h4><pre class="stepwise-(?:code|output)"/);
  });

  it("labels the parts in the answer's language", () => {
    const ko = renderMarkdown(answer('ko'), i18n.getFixedT('ko'));
    assert.ok(ko.includes('**원인**') && ko.includes('**출력 예시**'), ko);
    const zh = renderHtml(answer('zh'), i18n.getFixedT('zh'));
    assert.ok(zh.includes('<h4>原因</h4>') && zh.includes('<h4>输出示例</h4>'), zh);
  });

  it('an answer from before causes, code and links existed still renders', () => {
    const old = { ...answer(), causes: undefined, code: undefined, links: undefined } as unknown as Answer;
    assert.ok(renderMarkdown(old, i18n.getFixedT('en')).includes('2. Deploy locally to debug the container.'));
  });
});

describe('terminal and Teams renderings of the answer parts', () => {
  it('the terminal shows causes, steps, where each link leads, and output apart from commands', () => {
    const text = renderTerminal(answer(), translator(i18n, 'en'), false);
    assert.ok(text.includes('Why this happens\n  - The readiness or liveness probe is not set up correctly.'), text);
    assert.ok(text.includes(' 2. Deploy locally (→ LocalDeployment) to debug the container.'), text);
    assert.ok(text.includes('Commands\n    az ml online-endpoint show\n\nExample output\n    Traceback (most recent call last):'), text);
  });

  it('a Teams card makes a topic link a tap that asks that topic, and puts output under its label, not under Commands', () => {
    const card = answerCard(answer(), i18n.getFixedT('en', 'bot'), { answerId: 'a', mode: { kind: 'all' }, interactive: true });
    const json = JSON.stringify(card);
    const run = JSON.stringify({
      type: 'TextRun',
      text: 'Deploy locally',
      color: 'Accent',
      underline: true,
      selectAction: { type: 'Action.Submit', data: { stepwise: 'topic', topic: 'LocalDeployment', lang: 'en', q: '' } },
    });
    assert.ok(json.includes(run), json);
    assert.ok(json.includes('"text":"Why this happens"'), json);
    assert.ok(json.indexOf('"text":"Example output"') > json.indexOf('"text":"Commands"'));
    assert.equal(json.match(/get-logs/g)?.length, 1, "the step's command is shown once");
  });
});

describe('the not_placed notice', () => {
  it('a not-found reply to a long post that never names Azure ML says so, in the asker’s language, on every surface', () => {
    const notFound = (lang: Lang): Answer => ({ ...answer(lang), status: 'not_found', topic: undefined, steps: [], notices: ['not_placed'] });
    const said = (lang: Lang) => i18n.getFixedT(lang, 'common')('answer.notPlaced');
    assert.notEqual(said('ko'), said('en'));
    assert.ok(renderMarkdown(notFound('ko'), translator(i18n, 'ko')).includes(said('ko')));
    assert.ok(renderHtml(notFound('zh'), translator(i18n, 'zh')).includes(said('zh')));
    assert.ok(renderTerminal(notFound('en'), translator(i18n, 'en'), false).includes(said('en')));
    const card = JSON.stringify(notFoundCard(notFound('ko'), i18n.getFixedT('ko', 'bot')));
    assert.ok(card.includes(said('ko')), card);
  });
});
