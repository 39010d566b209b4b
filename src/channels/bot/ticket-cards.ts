/**
 * Cards of the Teams routing of tickets: the ticket as the experts see it in their channel (updated in place as
 * it is assigned, resolved and proposed for the knowledge base), the expert's answer as the asker gets it, and
 * the note the bot posts when it is installed in the experts' team. Text from the ticket is in TextRuns (never
 * Markdown): a question or an answer is shown as typed.
 */
import type { TFunction } from 'i18next';
import type { TicketRecord } from '../../store/types.ts';
import { MAX_ANSWER_TEXT, type TicketCardAction } from './actions.ts';
import { CARD_VERSION, shortTicketId, type AdaptiveCard } from './cards.ts';

/**
 * Characters of the question, the comment and the answer a ticket card shows (all of it is in GET /api/v1/tickets/{id}):
 * at three UTF-8 bytes a Korean or Chinese character, the card stays under Teams' message size at its longest.
 */
const QUESTION_SHOWN = 1500;
const COMMENT_SHOWN = 500;
const ANSWER_SHOWN = 1500;
/** Error lines a card shows, and characters of each. */
const STATEMENTS_SHOWN = 5;
const STATEMENT_CHARS = 300;

function card(body: unknown[], actions: unknown[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
  };
}

function text(value: string, extra: Record<string, unknown> = {}, run: Record<string, unknown> = {}): unknown {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: value, ...run }], ...extra };
}

function heading(value: string, size: 'Large' | 'Medium' = 'Medium'): unknown {
  return { type: 'TextBlock', text: value, size, weight: 'Bolder', wrap: true };
}

const cut = (value: string, max: number) => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);

function submit(title: string, data: TicketCardAction, extra: Record<string, unknown> = {}): unknown {
  return { type: 'Action.Submit', title, data, ...extra };
}

/** The status line: who has the ticket, in the card's language. */
function statusLine(ticket: TicketRecord, t: TFunction): unknown {
  const [key, color] =
    ticket.status === 'resolved'
      ? ['bot:ticket.resolved', 'Good']
      : ticket.status === 'assigned'
        ? ['bot:ticket.assigned', 'Accent']
        : ['bot:ticket.open', 'Warning'];
  const name = ticket.status === 'resolved' ? ticket.resolvedBy : ticket.assignee;
  // A run, not a TextBlock: an expert's Teams name is shown as it is, never read as Markdown.
  return text(t(key, { name }), { spacing: 'Small' }, { color, weight: 'Bolder' });
}

/** Facts an expert needs without asking again: who asked, in which language, from where, and what the bot answered. */
function facts(ticket: TicketRecord, t: TFunction): unknown {
  const rows = [
    { title: t('bot:ticket.lang'), value: t(`common:lang.${ticket.lang}`) },
    ...(ticket.contact ? [{ title: t('bot:ticket.asker'), value: ticket.contact }] : []),
    { title: t('bot:ticket.channel'), value: t(`bot:ticket.channels.${ticket.channel}`) },
    { title: t('bot:ticket.topic'), value: ticket.topicId ?? t('bot:ticket.noTopic') },
    ...(ticket.answerStatus ? [{ title: t('bot:ticket.answerStatus'), value: t(`bot:ticket.statuses.${ticket.answerStatus}`) }] : []),
    ...(ticket.stepsWalked !== undefined ? [{ title: t('bot:ticket.steps'), value: String(ticket.stepsWalked) }] : []),
    ...(ticket.helpful !== undefined ? [{ title: t('bot:ticket.feedback'), value: t(ticket.helpful ? 'bot:ticket.helpful' : 'bot:ticket.notHelpful') }] : []),
    ...(ticket.codes.length ? [{ title: t('bot:ticket.codes'), value: ticket.codes.join(' · ') }] : []),
  ];
  // FactSet values are Markdown in some clients: plain text from the asker goes in TextRuns below instead.
  return { type: 'FactSet', facts: rows, spacing: 'Medium' };
}

/**
 * A ticket as the experts' channel shows it: the status (who has it), the facts, the error lines first, the
 * question, the comment and, once resolved, the answer; then the buttons that still apply. `notice` is a line
 * for this update only (for instance whether the asker was told).
 */
export function expertTicketCard(ticket: TicketRecord, t: TFunction, notice?: string): AdaptiveCard {
  const body: unknown[] = [heading(t('bot:ticket.title', { id: shortTicketId(ticket.id) }), 'Large'), statusLine(ticket, t), facts(ticket, t)];
  const statements = ticket.statements.slice(0, STATEMENTS_SHOWN);
  if (statements.length) {
    body.push(heading(t('bot:ticket.statements')));
    for (const s of statements) body.push({ type: 'Container', style: 'emphasis', items: [text(cut(s, STATEMENT_CHARS), {}, { fontType: 'Monospace' })] });
  }
  body.push(
    heading(t('bot:ticket.question')),
    text(ticket.question ? cut(ticket.question, QUESTION_SHOWN) : t('bot:ticket.noQuestion'), { spacing: 'Small' }, ticket.question ? {} : { isSubtle: true }),
  );
  if (ticket.comment) body.push(heading(t('bot:ticket.comment')), text(cut(ticket.comment, COMMENT_SHOWN), { spacing: 'Small' }));
  if (ticket.resolution !== undefined) {
    body.push(heading(t('bot:ticket.answer')), { type: 'Container', style: 'good', items: [text(cut(ticket.resolution, ANSWER_SHOWN))] });
  }
  if (ticket.knowledgeBase) body.push(text(t('bot:ticket.kb', { name: ticket.knowledgeBase.by }), { spacing: 'Medium' }, { isSubtle: true }));
  if (notice) body.push(text(notice, { spacing: 'Medium' }, { color: 'Accent' }));

  const id = ticket.id;
  const actions: unknown[] = [];
  if (ticket.status === 'open') actions.push(submit(t('bot:ticket.assign'), { stepwise: 'ticket', act: 'assign', ticketId: id }));
  if (ticket.status !== 'resolved') {
    // The answer box is on a card that opens under the button; Teams merges its text into the Submit's data.
    actions.push({
      type: 'Action.ShowCard',
      title: t('bot:ticket.resolve'),
      card: card(
        [
          {
            type: 'Input.Text',
            id: 'answer',
            label: t('bot:ticket.answerLabel'),
            placeholder: t('bot:ticket.answerPlaceholder'),
            isMultiline: true,
            maxLength: MAX_ANSWER_TEXT,
          },
        ],
        [submit(t('bot:ticket.send'), { stepwise: 'ticket', act: 'resolve', ticketId: id }, { style: 'positive' })],
      ),
    });
  }
  if (!ticket.knowledgeBase) actions.push(submit(t('bot:ticket.addToKb'), { stepwise: 'ticket', act: 'knowledgeBase', ticketId: id }));
  return card(body, actions);
}

/** The expert's answer as the asker gets it, in the asker's language: which question it is about, then the answer. */
export function askerReplyCard(ticket: TicketRecord, t: TFunction): AdaptiveCard {
  const id = shortTicketId(ticket.id);
  const first = ticket.statements[0] ?? ticket.question.split('\n').find((line) => line.trim()) ?? '';
  return card([
    heading(t('bot:reply.title'), 'Large'),
    { type: 'TextBlock', text: t('bot:reply.about', { id }), isSubtle: true, wrap: true, spacing: 'None' },
    ...(first ? [text(cut(first.trim(), 200), { spacing: 'Small' }, { isSubtle: true, italic: true })] : []),
    { type: 'Container', style: 'emphasis', spacing: 'Medium', items: [text(ticket.resolution ?? '')] },
    { type: 'TextBlock', text: t('bot:reply.footer'), isSubtle: true, wrap: true, size: 'Small', spacing: 'Medium' },
  ]);
}

/** Posted in the experts' channel when the bot is installed there: what will arrive and what to do with it. */
export function expertsWelcomeCard(t: TFunction): AdaptiveCard {
  return card([heading(t('bot:experts.title'), 'Large'), text(t('bot:experts.text'))]);
}
