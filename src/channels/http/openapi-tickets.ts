/** The ticket routes' part of the OpenAPI document (merged by openapi.ts). */
import { LANGS } from '../../engine/types.ts';
import { COMMENT_MAX, STEP_MAX } from './routes/feedback.ts';
import { ANSWER_MAX, CONTACT_MAX, QUESTION_MAX, TICKET_TOKEN_HEADER } from './routes/tickets.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;
const time = { type: 'string', format: 'date-time' } as const;
const status = { type: 'string', enum: ['open', 'assigned', 'resolved'] } as const;

export const ticketSchemas = {
  TicketRequest: {
    type: 'object',
    additionalProperties: true,
    description: 'Send `question`, or the `answerId` of an answer whose question was stored (or both).',
    properties: {
      question: { type: 'string', minLength: 1, maxLength: QUESTION_MAX },
      answerId: { type: 'string', maxLength: 100, description: 'The answer the asker was given (from POST /api/v1/ask).' },
      lang: { type: 'string', enum: [...LANGS] },
      contact: { type: 'string', maxLength: CONTACT_MAX, description: 'How an expert can reach the asker (optional).' },
      comment: { type: 'string', maxLength: COMMENT_MAX },
      step: {
        type: 'integer',
        minimum: 1,
        maximum: STEP_MAX,
        description:
          'The last step the asker walked (1-based): one of the answer’s steps (422 `stepOutOfRange` past its last, `noSteps` without an answer or on one without steps).',
      },
      helpful: { type: 'boolean', description: 'The asker’s vote on the answer, if any.' },
    },
  },
  AskerTicket: {
    type: 'object',
    required: ['id', 'status', 'lang', 'createdAt', 'updatedAt', 'question'],
    additionalProperties: false,
    properties: {
      id: str,
      status,
      lang: { type: 'string', enum: [...LANGS] },
      createdAt: time,
      updatedAt: time,
      question: str,
      topicId: str,
      reply: {
        type: 'object',
        required: ['text', 'at'],
        additionalProperties: false,
        properties: { text: str, at: time },
        description: 'The expert’s answer, once resolved.',
      },
    },
  },
  TicketCreated: {
    type: 'object',
    required: ['token', 'ticket'],
    additionalProperties: false,
    properties: {
      token: {
        type: 'string',
        description: `Keep it: send it as ${TICKET_TOKEN_HEADER} to read the ticket. It is not stored (only its hash) and not shown again.`,
      },
      ticket: ref('AskerTicket'),
    },
  },
  AskerTicketResponse: {
    type: 'object',
    required: ['ticket'],
    additionalProperties: false,
    properties: { ticket: { anyOf: [ref('AskerTicket'), ref('ExpertTicket')] } },
  },
  ExpertTicket: {
    type: 'object',
    required: ['id', 'status', 'channel', 'lang', 'createdAt', 'updatedAt', 'statements', 'codes', 'question'],
    additionalProperties: false,
    properties: {
      id: str,
      status,
      channel: { type: 'string', enum: ['http', 'widget', 'bot', 'cli', 'teams'] },
      lang: { type: 'string', enum: [...LANGS] },
      createdAt: time,
      updatedAt: time,
      statements: { ...strings, description: 'The error statements the engine found in the question, in order.' },
      codes: { ...strings, description: 'Catalog error codes found, most specific first.' },
      question: str,
      answerId: str,
      topicId: str,
      answerStatus: { type: 'string', enum: ['answered', 'clarify', 'not_found'] },
      stepsWalked: { type: 'integer' },
      helpful: { type: 'boolean' },
      comment: str,
      contact: str,
      asker: str,
      assignee: str,
      resolution: str,
      resolvedAt: time,
      resolvedBy: str,
      knowledgeBase: { type: 'object', required: ['at', 'by'], additionalProperties: false, properties: { at: time, by: str, note: str } },
    },
  },
  ExpertTicketResponse: { type: 'object', required: ['ticket'], additionalProperties: false, properties: { ticket: ref('ExpertTicket') } },
  TicketList: { type: 'object', required: ['tickets'], additionalProperties: false, properties: { tickets: { type: 'array', items: ref('ExpertTicket') } } },
  ExpertAction: {
    type: 'object',
    required: ['expert'],
    additionalProperties: true,
    properties: {
      expert: { type: 'string', maxLength: 200, description: 'Who acts (name or e-mail), shown on the ticket.' },
      answer: { type: 'string', maxLength: ANSWER_MAX, description: 'resolve only (required there): the answer the asker is shown.' },
      note: { type: 'string', maxLength: 2000, description: 'knowledge-base only: what the content should say.' },
    },
  },
};

/** Ticket paths; `common`/`withBody` are openapi.ts's shared responses, `headers` its shared parameters. */
export function ticketPaths(shared: { common: Record<string, unknown>; withBody: Record<string, unknown>; headers: object[]; channelHeader: object }) {
  const { common, withBody, headers, channelHeader } = shared;
  const admin = [{ apiKey: [] }, { bearer: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: str };
  const action = (operationId: string, summary: string, description: string) => ({
    post: {
      operationId,
      summary,
      description,
      security: admin,
      parameters: [idParam, ...headers],
      requestBody: { required: true, content: json(ref('ExpertAction')) },
      responses: {
        '200': { description: 'Done; the ticket as it is now. A webhook event is sent.', content: json(ref('ExpertTicketResponse')) },
        '404': problem('No ticket has this id.'),
        '409': problem('The ticket is already resolved: assign and resolve are refused, the first answer is kept.'),
        ...common,
        ...withBody,
      },
    },
  });
  return {
    '/api/v1/tickets': {
      post: {
        operationId: 'createTicket',
        summary: 'Ask an expert',
        description:
          'Opens a ticket with the question as the engine reads it (error statements and codes), the answer given and the asker’s feedback. ' +
          `201 only once the ticket is stored. Keep the returned token: GET /api/v1/tickets/{id} with it in ${TICKET_TOKEN_HEADER} shows the expert’s reply.`,
        parameters: [...headers, channelHeader],
        requestBody: { required: true, content: json(ref('TicketRequest')) },
        responses: {
          '201': { description: 'Stored; Location names the ticket.', headers: { Location: { schema: str } }, content: json(ref('TicketCreated')) },
          ...common,
          ...withBody,
        },
      },
      get: {
        operationId: 'listTickets',
        summary: 'Tickets, newest first (admin key)',
        security: admin,
        parameters: [
          { name: 'status', in: 'query', required: false, schema: status },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        ],
        responses: { '200': { description: 'Tickets.', content: json(ref('TicketList')) }, ...common, '422': withBody['422'] },
      },
    },
    '/api/v1/tickets/{id}': {
      get: {
        operationId: 'getTicket',
        summary: 'One ticket: the asker’s view with its token, the expert’s with an admin key',
        parameters: [idParam, { name: TICKET_TOKEN_HEADER, in: 'header', required: false, schema: str }, ...headers],
        responses: {
          '200': { description: 'The ticket (with `reply` once an expert resolved it).', content: json(ref('AskerTicketResponse')) },
          '404': problem('No ticket has this id, or the token is not its token (the two are not told apart).'),
          ...common,
        },
      },
    },
    '/api/v1/tickets/{id}/assign': action('assignTicket', 'Assign a ticket to an expert (admin key)', 'Sets the assignee and the status `assigned`.'),
    '/api/v1/tickets/{id}/resolve': action(
      'resolveTicket',
      'Resolve a ticket with an answer (admin key)',
      'The answer is what the asker sees (widget panel, GET with the token).',
    ),
    '/api/v1/tickets/{id}/knowledge-base': action(
      'ticketToKnowledgeBase',
      'Propose a ticket for the knowledge base (admin key)',
      'Adds it to the dashboard’s “From gap to content” list and `stepwise insights --suggest`. Allowed on resolved tickets too.',
    ),
  };
}
