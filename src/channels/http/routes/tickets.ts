/**
 * Ask an expert: POST /api/v1/tickets opens a ticket (201 only after it is committed), GET /api/v1/tickets/{id}
 * shows it to the asker who holds its token, and experts (admin key) list tickets, assign, resolve and propose one
 * for the knowledge base. With a webhook configured, `store` is the webhook's (see withEvents in support/webhook.ts):
 * each change commits its webhook event in the same transaction, before the response.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Store, TicketAction, TicketStatus } from '../../../store/types.ts';
import type { Reader } from '../../../support/reader.ts';
import { askerView, buildTicket, expertView, newToken, tokenMatches } from '../../../support/tickets.ts';
import { requestChannel } from '../channel.ts';
import { HttpProblem, stored } from '../problem.ts';
import { keyMatcher, presentedKey, requireKey } from '../security.ts';
import { FieldReader } from '../validate.ts';
import type { Mount } from '../context.ts';
import { checkStep, COMMENT_MAX, STEP_MAX } from './feedback.ts';
import { requireJson } from './json.ts';

/** The header the asker sends a ticket's token in (never a query parameter: URLs end up in logs). */
export const TICKET_TOKEN_HEADER = 'x-stepwise-ticket-token';
export const QUESTION_MAX = 65_536;
export const CONTACT_MAX = 200;
export const ANSWER_MAX = 20_000;

export interface TicketRoutesDeps {
  store: Store;
  /** The engine's reading of a question; undefined until the knowledge base is loaded (then 503 notReady). */
  reader: () => Reader | undefined;
  adminKeys: readonly string[];
  now?: () => Date;
  newId?: () => string;
}

/** Creates the mount with the ticket routes (see createHttpApp's `mounts`; the API key check in front still applies). */
export function createTicketRoutes(deps: TicketRoutesDeps): Mount {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const isAdmin = keyMatcher([...deps.adminKeys]);
  const admin = requireKey([...deps.adminKeys], false);

  const act = (kind: TicketAction['kind']) => async (req: Request<{ id: string }>, res: Response) => {
    const fields = new FieldReader(req.body);
    const expert = fields.string('expert', { required: true, maxLength: 200 })!;
    const answer = kind === 'resolve' ? fields.string('answer', { required: true, maxLength: ANSWER_MAX }) : undefined;
    const note = kind === 'knowledgeBase' ? fields.string('note', { maxLength: 2000 }) : undefined;
    fields.done();
    const at = now().toISOString();
    const action: TicketAction =
      kind === 'assign'
        ? { kind, expert, at }
        : kind === 'resolve'
          ? { kind, expert, at, answer: answer! }
          : { kind, expert, at, ...(note !== undefined ? { note } : {}) };
    const result = await stored(deps.store.actOnTicket(req.params.id, action));
    if (result.outcome === 'unknown') throw new HttpProblem('unknownTicket', { id: req.params.id });
    if (result.outcome === 'resolved') {
      throw new HttpProblem('ticketResolved', { id: result.ticket.id, by: result.ticket.resolvedBy ?? '', at: result.ticket.resolvedAt ?? '', kind });
    }
    res.locals.log = { ticketId: result.ticket.id, action: kind };
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ticket: expertView(result.ticket) });
  };

  return (app, ctx) => {
    app.post('/api/v1/tickets', requireJson, async (req, res) => {
      const reader = deps.reader();
      if (!reader) throw new HttpProblem('notReady');
      const fields = new FieldReader(req.body);
      const answerId = fields.string('answerId', { maxLength: 100 });
      const question = fields.string('question', { maxLength: QUESTION_MAX });
      const lang = fields.lang();
      const contact = fields.string('contact', { maxLength: CONTACT_MAX });
      const comment = fields.string('comment', { maxLength: COMMENT_MAX });
      const stepsWalked = fields.integer('step', { min: 1, max: STEP_MAX });
      const helpful = fields.boolean('helpful', {});
      fields.done();
      const answer = answerId ? await stored(deps.store.getAnswer(answerId)) : undefined;
      if (answerId && !answer) fields.add({ field: 'answerId', code: 'unknownAnswer' });
      else if (!question && !answer?.question) fields.add({ field: 'question', code: 'needQuestion' });
      fields.done();
      // The last step walked is one of the answer's steps, as feedback's `step` is.
      checkStep(fields, ctx, stepsWalked, answer);
      const { token, tokenHash } = newToken();
      const ticket = buildTicket({ question, lang, contact, comment, stepsWalked, helpful, channel: requestChannel(req) }, answer, reader, {
        id: newId(),
        tokenHash,
        at: now(),
      });
      await stored(deps.store.createTicket(ticket));
      res.locals.log = { ticketId: ticket.id, answerId, channel: ticket.channel };
      res.status(201).setHeader('Location', `/api/v1/tickets/${ticket.id}`);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ token, ticket: askerView(ticket) });
    });

    app.get('/api/v1/tickets', admin, async (req, res) => {
      const fields = new FieldReader(req.query, true);
      const status = req.query.status;
      if (status !== undefined && !['open', 'assigned', 'resolved'].includes(String(status))) {
        fields.add({ field: 'status', code: 'enum', params: { values: 'open, assigned, resolved' } });
      }
      const limit = fields.integer('limit', { min: 1, max: 500 }) ?? 50;
      fields.done();
      const list = await stored(deps.store.listTickets({ ...(status ? { status: status as TicketStatus } : {}), limit }));
      res.setHeader('Cache-Control', 'no-store');
      res.json({ tickets: list.map(expertView) });
    });

    app.get('/api/v1/tickets/:id', async (req, res) => {
      const ticket = await stored(deps.store.getTicket(req.params.id));
      const token = req.get(TICKET_TOKEN_HEADER);
      const expert = isAdmin(presentedKey(req));
      // An unknown id and a wrong token look the same, so a token cannot be used to probe for ticket ids.
      if (!ticket || !(expert || tokenMatches(ticket, token))) throw new HttpProblem('unknownTicket', { id: req.params.id });
      res.setHeader('Cache-Control', 'no-store');
      res.json(expert && !tokenMatches(ticket, token) ? { ticket: expertView(ticket) } : { ticket: askerView(ticket) });
    });

    app.post('/api/v1/tickets/:id/assign', admin, requireJson, act('assign'));
    app.post('/api/v1/tickets/:id/resolve', admin, requireJson, act('resolve'));
    app.post('/api/v1/tickets/:id/knowledge-base', admin, requireJson, act('knowledgeBase'));
  };
}
