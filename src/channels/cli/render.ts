import type { TFunction } from 'i18next';
import type { Answer, ContentError, KnowledgeBase } from '../../engine/types.ts';
import { LANGS } from '../../engine/types.ts';
import { evidencePlain, evidenceRuns } from '../../render/evidence.ts';
import { codeLabelKey, linkRuns, looseCommands, noticeText } from '../../render/parts.ts';

/** Text with each link's target after it: "local deployment (→ LocalDeployment)", "docs (https://…)". */
function withLinks(text: string, answer: Answer): string {
  return linkRuns(text, answer.links)
    .map((r) => (r.link ? `${r.text} (${r.link.href ?? `→ ${r.link.topic}`})` : r.text))
    .join('');
}

const style = (on: boolean) => ({
  bold: (s: string) => (on ? `\x1b[1m${s}\x1b[22m` : s),
  dim: (s: string) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  cmd: (s: string) => (on ? `\x1b[36m${s}\x1b[39m` : s),
});

/** Renders an answer for a terminal: numbered steps, commands highlighted (colour only on a TTY). */
export function renderTerminal(answer: Answer, t: TFunction, color: boolean): string {
  const s = style(color);
  const out: string[] = [];
  for (const notice of answer.notices) out.push(s.dim(`! ${noticeText(notice, answer, t)}`));
  if (answer.status === 'not_found' || !answer.topic) {
    out.push(t('answer.notFound'), '', t('answer.suggestions'));
    for (const r of answer.suggestions) out.push(`  - ${r.title} (${r.id})`);
    return out.join('\n');
  }
  const codes = answer.topic.codes.length ? `  [${answer.topic.codes.join(', ')}]` : '';
  out.push(s.bold(answer.topic.title) + s.dim(codes));
  const evidence = evidenceRuns(answer.evidence, t);
  if (evidence.length) out.push(s.dim(evidencePlain(evidence)));
  out.push('', withLinks(answer.summary, answer));
  if (answer.causes?.length) {
    out.push('', s.bold(t('answer.causes')));
    for (const cause of answer.causes) out.push(`  - ${withLinks(cause, answer)}`);
  }
  if (answer.steps.length) {
    out.push('', s.bold(t('answer.steps')));
    answer.steps.forEach((step, i) => {
      out.push(`${String(i + 1).padStart(2)}. ${withLinks(step.text, answer)}`);
      if (step.command) for (const line of step.command.split('\n')) out.push(`      ${s.cmd(line)}`);
      // Snippets and output are not commands: shown plain, not in the command colour.
      if (step.code) for (const line of step.code.text.split('\n')) out.push(`      ${s.dim(line)}`);
    });
  }
  const loose = looseCommands(answer);
  if (loose.length) {
    out.push('', s.bold(t('answer.commands')));
    for (const c of loose) for (const line of c.split('\n')) out.push(`    ${s.cmd(line)}`);
  }
  for (const block of answer.code ?? []) {
    out.push('', s.bold(t(codeLabelKey(block).replace(/^common:/, ''))));
    for (const line of block.text.split('\n')) out.push(`    ${s.dim(line)}`);
  }
  for (const table of answer.tables) {
    out.push('', `| ${table.header.join(' | ')} |`);
    for (const row of table.rows) out.push(`| ${row.join(' | ')} |`);
  }
  if (answer.status === 'clarify' || answer.alternatives.length) {
    out.push('', s.bold(t(answer.status === 'clarify' ? 'answer.clarify' : 'answer.alternatives')));
    for (const r of answer.alternatives) out.push(`  - ${r.title} (${r.id})`);
  }
  for (const note of answer.notes) out.push('', `> ${withLinks(note, answer)}`);
  if (answer.related.length) out.push('', `${t('answer.related')}: ${answer.related.map((r) => r.title).join(' · ')}`);
  if (answer.source) out.push('', s.dim(`${t('answer.source')}: ${answer.source.title} — ${answer.source.section}`), s.dim(answer.source.url));
  return out.join('\n');
}

/** A topic × language coverage table: ✓ where the topic's section exists in that language. */
export function coverageTable(kb: KnowledgeBase, t: TFunction): { text: string; missing: number } {
  const have = new Set(kb.sections.map((s) => `${s.doc}|${s.lang}|${s.anchor}`));
  const width = Math.max(5, ...kb.topics.map((topic) => topic.id.length));
  const lines = [`${t('cli:coverageHeader').padEnd(width)}  ${LANGS.join('  ')}`];
  let missing = 0;
  for (const topic of kb.topics) {
    const cells = LANGS.map((l) => {
      const ok = have.has(`${topic.doc}|${l}|${topic.anchor}`);
      if (!ok) missing++;
      return ok ? '✓ ' : '✗ ';
    });
    lines.push(`${topic.id.padEnd(width)}  ${cells.join('  ')}`);
  }
  lines.push(t('cli:coverage', { topics: kb.topics.length, langs: LANGS.length, missing }));
  return { text: lines.join('\n'), missing };
}

/** Formats content errors as `file:line message`. */
export function formatErrors(errors: ContentError[]): string {
  return errors.map((e) => `${e.file}:${e.line} ${e.message}`).join('\n');
}
