/**
 * The parts of an answer every surface draws its own way, split the same way everywhere: text with its
 * links, the commands no step carries, the label of a code block. No sanitizer or Markdown here: the
 * widget bundles this file.
 */
import type { Answer, CodeBlock, Lang, Notice, TextLink } from '../engine/types.ts';

/** True for URLs an answer may link to (a source page, a link in its text): absolute http(s), nothing that could break out of an attribute. */
export function isSafeUrl(url: string | undefined): url is string {
  return typeof url === 'string' && /^https?:\/\/[^\s<>"]+$/i.test(url);
}

/** A translator as every surface has one (i18next's t on the server, the widget's own in the browser). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A notice's text in the answer's language (keys in common.json under `answer.*`); articles have the same two languages. */
export function noticeText(notice: Notice, answer: Pick<Answer, 'lang' | 'requestedLang'>, t: Translate): string {
  switch (notice) {
    case 'input_truncated':
      return t('common:answer.truncated');
    case 'language_fallback':
      return t('common:answer.fallback', { requested: t(`common:lang.${answer.requestedLang}`), lang: t(`common:lang.${answer.lang}`) });
    case 'legacy_topic':
      return t('common:answer.legacy');
    case 'first_step':
      return t('common:answer.firstStep');
    case 'not_placed':
      return t('common:answer.notPlaced');
  }
}

/** A piece of answer text, linked or not. */
export interface LinkRun {
  text: string;
  link?: TextLink;
}

/**
 * Splits `text` into runs where the text of a link occurs, each link once; where two link texts
 * overlap the longer wins ("로컬 배포 문서" over "로컬 배포"). The pattern is literal alternation of
 * content text (escaped), so it cannot backtrack.
 */
export function linkRuns(text: string, links: readonly TextLink[] | undefined): LinkRun[] {
  const list = (links ?? []).filter((l) => l.text).sort((a, b) => b.text.length - a.text.length);
  if (!list.length) return [{ text }];
  const runs: LinkRun[] = [];
  const used = new Set<TextLink>();
  let last = 0;
  for (const m of text.matchAll(new RegExp(list.map((l) => l.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g'))) {
    const link = list.find((l) => l.text === m[0])!;
    if (used.has(link)) continue;
    used.add(link);
    if (m.index > last) runs.push({ text: text.slice(last, m.index) });
    runs.push({ text: m[0], link });
    last = m.index + m[0].length;
  }
  if (last < text.length || !runs.length) runs.push({ text: text.slice(last) });
  return runs;
}

/** Path of a topic's knowledge-base page on the server that answered: /kb/<lang>/<id>, segments encoded. */
export function topicPath(lang: Lang, id: string): string {
  return `/kb/${lang}/${id.split('/').map(encodeURIComponent).join('/')}`;
}

/** Where a link leads: its web address, or the linked topic's page (`topicUrl`, by default a server-relative path). */
export function linkTarget(link: TextLink, lang: Lang, topicUrl: (lang: Lang, id: string) => string = topicPath): string | undefined {
  if (link.href) return /^https?:\/\/[^\s<>"]+$/i.test(link.href) ? link.href : undefined;
  return link.topic ? topicUrl(lang, link.topic) : undefined;
}

/** Commands the steps do not already carry (shown after the steps). */
export function looseCommands(answer: Answer): string[] {
  const inSteps = answer.steps.map((s) => s.command ?? '');
  return answer.commands.filter((c) => !inSteps.some((command) => command === c || command.split('\n').includes(c)));
}

/** The label key of a code block: a snippet is "Code", output and tracebacks are "Example output". */
export function codeLabelKey(block: CodeBlock): string {
  return block.kind === 'output' ? 'common:answer.output' : 'common:answer.code';
}
