import type { TFunction } from 'i18next';
import { LANGS, type Answer, type Lang, type Step, type Table, type TopicRef } from '../../engine/types.ts';
import { evidenceRuns } from '../../render/evidence.ts';
import { codeLabelKey, linkRuns, linkTarget, looseCommands, noticeText } from '../../render/parts.ts';
import { MAX_ACTION_TEXT, type CardAction, type CardView, type ExpertRequest } from './actions.ts';

/** An Adaptive Card as plain JSON. */
export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; body: unknown[]; [key: string]: unknown };

/** Teams renders Adaptive Cards up to 1.5; nothing newer may be used. */
export const CARD_VERSION = '1.5';
/** Teams refuses messages over ~28 KB; cards are kept below this. */
export const MAX_CARD_BYTES = 27 * 1024;

/** How the steps of an answer are shown: one at a time (`walk`) or all at once (remembering the step to go back to). */
export type StepMode = { kind: 'walk'; step: number } | { kind: 'all'; step?: number };

/** The card's feedback row: the 👍/👎 buttons, the comment box 👎 opens, or the thanks once sent. */
export type FeedbackRow = 'ask' | 'comment' | 'thanks' | 'thanksNegative';

export interface AnswerCardOptions {
  answerId: string;
  mode: StepMode;
  /** False for cards inserted by the message extension: the bot may not be in that conversation. */
  interactive: boolean;
  /** The feedback row; `ask` (the buttons) by default. */
  feedback?: FeedbackRow;
  /**
   * Offer Ask an expert (absent: no offer, as where no experts are set up). `comment` is the 👎 comment the button
   * carries; `ticketId` the ticket already opened from this answer, whose line replaces the button.
   */
  expert?: { comment?: string; ticketId?: string };
}

function card(body: unknown[]): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: CARD_VERSION, body };
}

// TextRun never interprets Markdown, so `__init__`, `*` or `<endpoint-name>` in content survive as typed.
function plain(text: string, extra: Record<string, unknown> = {}, run: Record<string, unknown> = {}): unknown {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...run }], ...extra };
}

function heading(text: string, size: 'Large' | 'Medium' = 'Medium'): unknown {
  return { type: 'TextBlock', text, size, weight: 'Bolder', wrap: true };
}

function submit(title: string, data: CardAction): unknown {
  return { type: 'Action.Submit', title, data };
}

function actionSet(actions: unknown[]): unknown {
  return { type: 'ActionSet', actions };
}

function codeBlock(code: string): unknown {
  return { type: 'Container', style: 'emphasis', bleed: false, items: [plain(code, {}, { fontType: 'Monospace' })] };
}

/**
 * Answer text whose links are tappable runs: a web page opens, another topic is asked for in this
 * conversation. Text stays in TextRuns (no Markdown), as in `plain`.
 */
function linked(text: string, answer: Answer, extra: Record<string, unknown> = {}): unknown {
  const inlines = linkRuns(text, answer.links).map((r) => {
    if (!r.link) return { type: 'TextRun', text: r.text };
    const href = r.link.href ? linkTarget(r.link, answer.lang) : undefined;
    const action = href
      ? { type: 'Action.OpenUrl', url: href }
      : r.link.topic
        ? { type: 'Action.Submit', data: { stepwise: 'topic', topic: r.link.topic, lang: answer.lang, q: '' } satisfies CardAction }
        : undefined;
    return action ? { type: 'TextRun', text: r.text, color: 'Accent', underline: true, selectAction: action } : { type: 'TextRun', text: r.text };
  });
  return { type: 'RichTextBlock', inlines, ...extra };
}

function stepBlock(step: Step, n: number, answer: Answer): unknown {
  const content: unknown[] = [linked(step.text, answer)];
  if (step.command) content.push(codeBlock(step.command));
  if (step.code) content.push(codeBlock(step.code.text));
  return {
    type: 'ColumnSet',
    spacing: 'Medium',
    columns: [
      { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: `${n}.`, weight: 'Bolder' }] },
      { type: 'Column', width: 'stretch', items: content },
    ],
  };
}

/**
 * Teams' Table element is missing from some clients and crops wide tables on phones, so each row
 * becomes a FactSet under its first cell: every client since Adaptive Cards 1.0 renders that.
 */
function tableBlock(table: Table): unknown[] {
  return table.rows.map((row) => ({
    type: 'Container',
    separator: true,
    items: [
      plain(row[0] ?? '', {}, { weight: 'Bolder' }),
      {
        type: 'FactSet',
        facts: table.header.slice(1).map((title, i) => ({ title, value: row[i + 1] ?? '' })),
      },
    ],
  }));
}

function topicChoices(refs: TopicRef[], lang: Lang, question: string): unknown[] {
  return refs.map((ref) => actionSet([submit(ref.title, { stepwise: 'topic', topic: ref.id, lang, q: question })]));
}

function noticeLines(answer: Answer, t: TFunction): unknown[] {
  return answer.notices.map((notice) => ({ type: 'TextBlock', text: noticeText(notice, answer, t), wrap: true, color: 'Warning', size: 'Small' }));
}

/**
 * Why this topic: one small subtle line. TextRuns, not a TextBlock, because a TextBlock reads Markdown
 * and the matched text comes from the question; runs also let codes be monospace.
 */
function evidenceLine(answer: Answer, t: TFunction): unknown[] {
  const runs = evidenceRuns(answer.evidence, t);
  if (!runs.length) return [];
  const inlines = runs.map((r) => ({ type: 'TextRun', text: r.text, size: 'Small', isSubtle: true, ...(r.code ? { fontType: 'Monospace' } : {}) }));
  return [{ type: 'RichTextBlock', inlines, spacing: 'Small' }];
}

/** The source page at the section's own anchor there (the engine resolves it; `anchor` is ours, not the page's). */
function sourceUrl(answer: Answer): string | undefined {
  return answer.source?.url || undefined;
}

/** The answer to a question: title, codes, summary, steps (one or all), commands, tables and buttons. */
export function answerCard(answer: Answer, t: TFunction, options: AnswerCardOptions): AdaptiveCard {
  const topic = answer.topic!;
  const { answerId, mode, interactive } = options;
  const total = answer.steps.length;
  const step = mode.kind === 'walk' ? Math.min(Math.max(mode.step, 0), Math.max(total - 1, 0)) : 0;
  const lastShown = mode.kind === 'all' || total === 0 || step === total - 1;
  const body: unknown[] = [heading(topic.title, 'Large')];
  if (topic.codes.length > 0) {
    body.push({
      type: 'TextBlock',
      text: `${t('bot:card.codes')}: ${topic.codes.join(' · ')}`,
      fontType: 'Monospace',
      isSubtle: true,
      wrap: true,
      spacing: 'None',
    });
  }
  body.push(...noticeLines(answer, t), ...evidenceLine(answer, t));
  if (answer.summary) body.push(linked(answer.summary, answer, { spacing: 'Medium' }));
  const causes = answer.causes ?? [];
  if (causes.length > 0) body.push(heading(t('common:answer.causes')), ...causes.map((c) => linked(`• ${c}`, answer, { spacing: 'Small' })));

  if (total > 0 && mode.kind === 'walk') {
    body.push(heading(t('bot:card.stepOf', { n: step + 1, total })), stepBlock(answer.steps[step], step + 1, answer));
    if (total > 1 && step === total - 1) body.push({ type: 'TextBlock', text: t('bot:card.lastStep'), isSubtle: true, wrap: true });
  } else if (total > 0) {
    body.push(heading(t('common:answer.steps')), ...answer.steps.map((s, i) => stepBlock(s, i + 1, answer)));
  }

  // Commands, tables and callouts that belong to no single step: shown once the steps are all out.
  if (lastShown) {
    const commands = looseCommands(answer);
    if (commands.length > 0) body.push(heading(t('common:answer.commands')), ...commands.map(codeBlock));
    for (const block of answer.code ?? []) body.push(heading(t(codeLabelKey(block))), codeBlock(block.text));
    for (const table of answer.tables) body.push(...tableBlock(table));
    for (const note of answer.notes) body.push({ type: 'Container', style: 'accent', items: [linked(note, answer)] });
  }
  if (answer.source) {
    body.push({
      type: 'TextBlock',
      text: t('common:answer.license', { attribution: answer.source.attribution }),
      size: 'Small',
      isSubtle: true,
      wrap: true,
      spacing: 'Large',
    });
  }

  const lang = answer.lang;
  const buttons: unknown[] = [];
  if (interactive) {
    // Every button carries the view it leads to, so the card it came from can be replaced by that view.
    const at = mode.kind === 'walk' ? step : Math.min(Math.max(mode.step ?? 0, 0), Math.max(total - 1, 0));
    const view: CardView = { topic: topic.id, lang, step: at, ...(mode.kind === 'all' ? { all: true } : {}) };
    const walk: unknown[] = [];
    if (mode.kind === 'walk' && step > 0) walk.push(submit(t('bot:card.back'), { stepwise: 'back', answerId, ...view, step: step - 1 }));
    if (mode.kind === 'walk' && step < total - 1) walk.push(submit(t('bot:card.nextStep'), { stepwise: 'next', answerId, ...view, step: step + 1 }));
    if (mode.kind === 'walk' && total > 1) walk.push(submit(t('bot:card.allSteps'), { stepwise: 'all', answerId, ...view, all: true }));
    if (mode.kind === 'all' && total > 1) walk.push(submit(t('bot:card.stepByStep'), { stepwise: 'back', answerId, topic: topic.id, lang, step: at }));
    if (walk.length > 0) buttons.push(actionSet(walk));
    const feedback = options.feedback ?? 'ask';
    buttons.push(...feedbackRow(t, feedback, answerId, view, mode.kind === 'walk' && total > 0 ? step + 1 : undefined));
    const expert = options.expert;
    if (expert && feedback !== 'comment') {
      const walked = mode.kind === 'walk' ? step + 1 : total;
      const after = feedback === 'thanksNegative' ? { helpful: false, ...(expert.comment ? { comment: expert.comment } : {}) } : {};
      buttons.push(
        expertOffer(
          t,
          { stepwise: 'expert', answerId, lang: answer.requestedLang, ...(walked > 0 ? { step: walked } : {}), ...after, view },
          feedback === 'thanksNegative',
          expert.ticketId,
        ),
      );
    }
    buttons.push(
      actionSet(
        LANGS.filter((other) => other !== lang).map((other) =>
          submit(t('bot:card.showIn', { lang: t(`common:lang.${other}`) }), { stepwise: 'lang', answerId, ...view, lang: other }),
        ),
      ),
    );
  }
  const url = sourceUrl(answer);
  if (url) buttons.push(actionSet([{ type: 'Action.OpenUrl', title: t('bot:card.openSource'), url }]));
  return card([...body, ...buttons]);
}

/** Several topics match: one button per candidate, a tap answers with that topic. */
export function clarifyCard(answer: Answer, t: TFunction, question: string): AdaptiveCard {
  const body: unknown[] = [heading(t('bot:clarify.title'), 'Large'), plain(t('common:answer.clarify'))];
  body.push(...noticeLines(answer, t), ...evidenceLine(answer, t));
  body.push({ type: 'TextBlock', text: t('bot:clarify.hint'), isSubtle: true, wrap: true, size: 'Small' });
  body.push(...topicChoices(answer.alternatives, answer.lang, question));
  return card(body);
}

/**
 * Ask an expert: the primary button after 👎 (and on not_found), a quiet "Still stuck?" otherwise; once the
 * ticket is open, the line saying it was sent.
 */
function expertOffer(t: TFunction, data: ExpertRequest, primary: boolean, ticketId: string | undefined): unknown {
  if (ticketId) return { type: 'TextBlock', text: t('bot:expert.sentShort', { id: shortTicketId(ticketId) }), wrap: true, isSubtle: true, spacing: 'Medium' };
  return actionSet([{ ...(submit(t(primary ? 'bot:expert.ask' : 'bot:expert.stillStuck'), data) as object), ...(primary ? { style: 'positive' } : {}) }]);
}

/** The part of a ticket id people read and say (the widget shows the same). */
export const shortTicketId = (id: string) => id.slice(0, 8);

/** Nothing matched: say so politely, show how to rephrase and what can be asked; in a conversation, offer an expert. */
export function notFoundCard(answer: Answer, t: TFunction, expert?: { answerId: string; ticketId?: string }): AdaptiveCard {
  const body: unknown[] = [heading(t('bot:notFound.title'), 'Large'), plain(t('common:answer.notFound'))];
  body.push(...noticeLines(answer, t));
  body.push(heading(t('bot:notFound.rephrase')));
  for (const tip of ['tip1', 'tip2', 'tip3']) body.push(plain(`• ${t(`bot:notFound.${tip}`)}`, { spacing: 'Small' }));
  if (answer.suggestions.length > 0) {
    body.push(heading(t('common:answer.suggestions')), ...topicChoices(answer.suggestions, answer.lang, ''));
  }
  if (expert) body.push(expertOffer(t, { stepwise: 'expert', answerId: expert.answerId, lang: answer.requestedLang }, true, expert.ticketId));
  return card(body);
}

/** Sent when the bot joins a conversation: what it does and three questions to tap. */
export function welcomeCard(t: TFunction, lang: Lang): AdaptiveCard {
  const examples = ['example1', 'example2', 'example3'].map((key) => t(`bot:welcome.${key}`));
  return card([
    heading(t('bot:welcome.title'), 'Large'),
    plain(t('bot:welcome.text')),
    heading(t('bot:welcome.examples')),
    ...examples.map((text) => actionSet([submit(text, { stepwise: 'ask', text, lang })])),
    plain(t('bot:help.next'), { spacing: 'Medium' }),
  ]);
}

/** The `help` reply: every thing the bot can do, one line each. */
export function helpCard(t: TFunction): AdaptiveCard {
  const lines = ['ask', 'next', 'lang', 'feedback', 'compose'].map((key) => plain(`• ${t(`bot:help.${key}`)}`, { spacing: 'Small' }));
  return card([heading(t('bot:help.title'), 'Large'), ...lines]);
}

/**
 * One feedback mechanism, on the card: 👍 is stored at once; 👎 first opens a comment box (optional) whose
 * Send stores the vote with the comment. `step` is the 1-based step the vote is about, in walk mode.
 */
function feedbackRow(t: TFunction, row: FeedbackRow, answerId: string, view: CardView, step: number | undefined): unknown[] {
  const onStep = step !== undefined ? { step } : {};
  if (row === 'thanks' || row === 'thanksNegative') {
    return [
      { type: 'TextBlock', text: t(row === 'thanks' ? 'bot:feedback.thanks' : 'bot:feedback.thanksNegative'), wrap: true, isSubtle: true, spacing: 'Medium' },
    ];
  }
  if (row === 'comment') {
    return [
      { type: 'TextBlock', text: t('bot:card.commentPrompt'), wrap: true, weight: 'Bolder', spacing: 'Medium' },
      { type: 'Input.Text', id: 'comment', isMultiline: true, maxLength: MAX_ACTION_TEXT, placeholder: t('bot:card.commentPlaceholder') },
      actionSet([submit(t('bot:card.send'), { stepwise: 'feedback', answerId, helpful: false, ...onStep, view })]),
    ];
  }
  return [
    actionSet([
      submit(t('bot:card.helpful'), { stepwise: 'feedback', answerId, helpful: true, ...onStep, view }),
      submit(t('bot:card.notHelpful'), { stepwise: 'comment', answerId, ...onStep, view }),
    ]),
  ];
}

/** Size of a card as Teams counts it (UTF-8 JSON). */
export function cardBytes(value: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
