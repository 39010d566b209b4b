import type { TFunction } from 'i18next';
import type { Answer, CodeBlock, Table, TopicRef } from '../engine/types.ts';
import { codeSpan, escapeAttribute as attr, escapeMarkdown, escapeText as text, fence } from './escape.ts';
import { evidenceRuns } from './evidence.ts';
import { codeLabelKey, isSafeUrl, linkRuns, linkTarget, looseCommands, noticeText } from './parts.ts';

/** The evidence line in Markdown (code as code spans), or undefined when there is none. */
function markdownEvidence(answer: Answer, t: TFunction): string | undefined {
  const runs = evidenceRuns(answer.evidence, t);
  return runs.length ? runs.map((r) => (r.code ? codeSpan(r.text) : escapeMarkdown(r.text))).join('') : undefined;
}

/** The evidence line in HTML, every piece escaped, or undefined when there is none. */
function htmlEvidence(answer: Answer, t: TFunction): string | undefined {
  const runs = evidenceRuns(answer.evidence, t);
  if (!runs.length) return undefined;
  const inner = runs.map((r) => (r.code ? `<code>${text(r.text)}</code>` : text(r.text))).join('');
  return `<p class="stepwise-evidence"><small>${inner}</small></p>`;
}

/** Answer text in Markdown with its links (web pages, and other topics' pages). */
function markdownText(prose: string, answer: Answer): string {
  return linkRuns(prose, answer.links)
    .map((r) => {
      const href = r.link && linkTarget(r.link, answer.lang);
      return href ? `[${escapeMarkdown(r.text)}](${href})` : escapeMarkdown(r.text);
    })
    .join('');
}

/** A link; one that leaves the site never hands the opener to the page it opens. */
function htmlLink(href: string, inner: string, extra = ''): string {
  const away = /^https?:/i.test(href) ? ' rel="noopener noreferrer" target="_blank"' : '';
  return `<a href="${attr(href)}"${extra}${away}>${inner}</a>`;
}

/** Answer text in HTML with its links, every piece escaped. */
function htmlText(words: string, answer: Answer): string {
  return linkRuns(words, answer.links)
    .map((r) => {
      const href = r.link && linkTarget(r.link, answer.lang);
      if (!href) return text(r.text);
      return htmlLink(href, text(r.text), r.link?.topic ? ` data-topic-id="${attr(r.link.topic)}"` : '');
    })
    .join('');
}

function sourceLabel(source: NonNullable<Answer['source']>): string {
  return source.section && source.section !== source.title ? `${source.title} › ${source.section}` : source.title;
}

function markdownTable(table: Table): string {
  const row = (cells: string[]) => `| ${cells.map((c) => escapeMarkdown(c).replace(/\n/g, ' ')).join(' | ')} |`;
  return [row(table.header), `|${table.header.map(() => ' --- |').join('')}`, ...table.rows.map(row)].join('\n');
}

function markdownList(items: TopicRef[]): string {
  return items.map((r) => `- ${escapeMarkdown(r.title)}`).join('\n');
}

/**
 * The Markdown blocks of an answered answer that its topic and languages decide alone (summary to source, and the
 * license line): the same for every question that gets this topic in this language, so they can be made once.
 */
export interface TopicBlocks {
  body: string[];
  license: string[];
}

/** The Markdown blocks of `answer` (answered) that come from its topic and languages alone. */
export function markdownTopic(answer: Answer, t: TFunction): TopicBlocks {
  const out: string[] = [];
  if (answer.summary) out.push(markdownText(answer.summary, answer));
  const causes = answer.causes ?? [];
  if (causes.length) out.push(`**${escapeMarkdown(t('common:answer.causes'))}**\n\n${causes.map((c) => `- ${markdownText(c, answer)}`).join('\n')}`);
  if (answer.steps.length) {
    const steps = answer.steps.map((step, i) => {
      let item = `${i + 1}. ${markdownText(step.text, answer)}`;
      if (step.command) item += `\n\n${fence(step.command, '   ')}`;
      if (step.code) item += `\n\n${fence(step.code.text, '   ', step.code.lang)}`;
      return item;
    });
    out.push(`**${escapeMarkdown(t('common:answer.steps'))}**\n\n${steps.join('\n')}`);
  }
  const commands = looseCommands(answer);
  if (commands.length) out.push(`**${escapeMarkdown(t('common:answer.commands'))}**\n\n${commands.map((c) => fence(c)).join('\n\n')}`);
  for (const block of answer.code ?? []) out.push(`**${escapeMarkdown(t(codeLabelKey(block)))}**\n\n${fence(block.text, '', block.lang)}`);
  for (const table of answer.tables) out.push(markdownTable(table));
  for (const note of answer.notes) out.push(`> ${markdownText(note, answer).replace(/\n/g, '\n> ')}`);
  if (answer.source) {
    const label = escapeMarkdown(sourceLabel(answer.source));
    const link = isSafeUrl(answer.source.url) ? `[${label}](${answer.source.url})` : label;
    out.push(`**${escapeMarkdown(t('common:answer.source'))}:** ${link}`);
  }
  const license = answer.source?.attribution ? [`_${escapeMarkdown(t('common:answer.license', { attribution: answer.source.attribution }))}_`] : [];
  return { body: out, license };
}

/**
 * The whole answer as Markdown in the asker's language (for Teams, the CLI and API clients); `topic`, when given,
 * is `markdownTopic` of an answer with the same topic and languages.
 */
export function renderMarkdown(answer: Answer, t: TFunction, topic?: TopicBlocks): string {
  const out: string[] = [];
  if (answer.status === 'answered' && answer.topic) out.push(`### ${escapeMarkdown(answer.topic.title)}`);
  for (const notice of answer.notices) out.push(`> ${escapeMarkdown(noticeText(notice, answer, t))}`);
  const evidence = markdownEvidence(answer, t);
  if (evidence) out.push(evidence);
  if (answer.status === 'not_found') {
    out.push(escapeMarkdown(t('common:answer.notFound')));
    if (answer.suggestions.length) out.push(`**${escapeMarkdown(t('common:answer.suggestions'))}**\n\n${markdownList(answer.suggestions)}`);
  } else if (answer.status === 'clarify') {
    if (answer.summary) out.push(markdownText(answer.summary, answer));
    out.push(`**${escapeMarkdown(t('common:answer.clarify'))}**\n\n${markdownList(answer.alternatives)}`);
  } else {
    const { body, license } = topic ?? markdownTopic(answer, t);
    out.push(...body);
    if (answer.related.length) out.push(`**${escapeMarkdown(t('common:answer.related'))}**\n\n${markdownList(answer.related)}`);
    out.push(...license);
  }
  return out.join('\n\n') + '\n';
}

function htmlList(items: TopicRef[]): string {
  return `<ul>${items.map((r) => `<li data-topic-id="${attr(r.id)}">${text(r.title)}</li>`).join('')}</ul>`;
}

function htmlTable(table: Table): string {
  const head = table.header.map((c) => `<th>${text(c)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${r.map((c) => `<td>${text(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** A code block marked with what it is (`command`, `code`, `output`), so a page can offer copy for commands only. */
const code = (lines: string, kind: CodeBlock['kind']) => `<pre class="stepwise-${kind}"><code>${text(lines)}</code></pre>`;

/** The HTML blocks of `answer` (answered) that come from its topic and languages alone (see `TopicBlocks`). */
export function htmlTopic(answer: Answer, t: TFunction): TopicBlocks {
  const out: string[] = [];
  const label = (key: string) => text(t(`common:answer.${key}`));
  if (answer.summary) out.push(`<p>${htmlText(answer.summary, answer)}</p>`);
  const causes = answer.causes ?? [];
  if (causes.length) out.push(`<h4>${label('causes')}</h4><ul class="stepwise-causes">${causes.map((c) => `<li>${htmlText(c, answer)}</li>`).join('')}</ul>`);
  if (answer.steps.length) {
    const steps = answer.steps
      .map(
        (s, i) =>
          `<li data-step="${i + 1}"><p>${htmlText(s.text, answer)}</p>${s.command ? code(s.command, 'command') : ''}${s.code ? code(s.code.text, s.code.kind) : ''}</li>`,
      )
      .join('');
    out.push(`<h4>${label('steps')}</h4><ol>${steps}</ol>`);
  }
  const commands = looseCommands(answer);
  if (commands.length) out.push(`<h4>${label('commands')}</h4>${commands.map((c) => code(c, 'command')).join('')}`);
  for (const block of answer.code ?? []) out.push(`<h4>${text(t(codeLabelKey(block)))}</h4>${code(block.text, block.kind)}`);
  for (const table of answer.tables) out.push(htmlTable(table));
  for (const note of answer.notes) out.push(`<blockquote>${htmlText(note, answer)}</blockquote>`);
  if (answer.source) {
    const name = text(sourceLabel(answer.source));
    const link = isSafeUrl(answer.source.url) ? htmlLink(answer.source.url, name) : name;
    out.push(`<p class="stepwise-source"><strong>${label('source')}:</strong> ${link}</p>`);
  }
  const license = answer.source?.attribution
    ? [`<p class="stepwise-license"><small>${text(t('common:answer.license', { attribution: answer.source.attribution }))}</small></p>`]
    : [];
  return { body: out, license };
}

/**
 * The whole answer as HTML, safe to insert by construction: every text escaped, only the elements and attributes
 * written here, links only to http(s) pages and this site's topic pages. No sanitizer runs afterwards. `topic`, when
 * given, is `htmlTopic` of an answer with the same topic and languages.
 */
export function renderHtml(answer: Answer, t: TFunction, topic?: TopicBlocks): string {
  const out: string[] = [];
  const label = (key: string) => text(t(`common:answer.${key}`));
  if (answer.status === 'answered' && answer.topic) {
    out.push(`<h3 data-topic-id="${attr(answer.topic.id)}">${text(answer.topic.title)}</h3>`);
  }
  for (const notice of answer.notices) {
    out.push(`<p class="stepwise-notice" data-notice="${notice}">${text(noticeText(notice, answer, t))}</p>`);
  }
  const evidence = htmlEvidence(answer, t);
  if (evidence) out.push(evidence);
  if (answer.status === 'not_found') {
    out.push(`<p>${label('notFound')}</p>`);
    if (answer.suggestions.length) out.push(`<p><strong>${label('suggestions')}</strong></p>${htmlList(answer.suggestions)}`);
  } else if (answer.status === 'clarify') {
    if (answer.summary) out.push(`<p>${htmlText(answer.summary, answer)}</p>`);
    out.push(`<p><strong>${label('clarify')}</strong></p>${htmlList(answer.alternatives)}`);
  } else {
    const { body, license } = topic ?? htmlTopic(answer, t);
    out.push(...body);
    if (answer.related.length) out.push(`<h4>${label('related')}</h4>${htmlList(answer.related)}`);
    out.push(...license);
  }
  return `<article class="stepwise-answer" lang="${answer.lang}" data-status="${answer.status}">${out.join('')}</article>`;
}
