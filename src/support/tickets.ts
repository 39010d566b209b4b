/** Ticket tokens, new tickets and what each side may see of one. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AnswerRecord, Channel, TicketRecord } from '../store/types.ts';
import type { Lang } from '../engine/types.ts';
import type { Reader } from './reader.ts';

/** A new random ticket token (192 bits, base64url) and the hash the store keeps. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

/** SHA-256 hex of a token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** True when `token` is the ticket's (constant time). */
export function tokenMatches(ticket: TicketRecord, token: string | undefined): boolean {
  if (!token) return false;
  return timingSafeEqual(Buffer.from(hashToken(token), 'hex'), Buffer.from(ticket.tokenHash, 'hex'));
}

/** What an asker sends to open a ticket. */
export interface TicketRequest {
  question?: string;
  answerId?: string;
  lang?: Lang;
  contact?: string;
  comment?: string;
  stepsWalked?: number;
  helpful?: boolean;
  asker?: string;
  /** Where the channel can tell the asker the answer (a Teams conversation reference as JSON). */
  askerAddress?: string;
  channel: Channel;
}

/**
 * Builds the ticket record: the question as the engine reads it (statements and codes), the answer given
 * (from the stored answer record) and the asker's feedback; the question text falls back to the answer's.
 */
export function buildTicket(
  input: TicketRequest,
  answer: AnswerRecord | undefined,
  read: Reader,
  ids: { id: string; tokenHash: string; at: Date },
): TicketRecord {
  const question = input.question ?? answer?.question ?? '';
  const reading = read(question, input.lang ?? answer?.lang);
  const at = ids.at.toISOString();
  const opt = <K extends keyof TicketRecord>(key: K, value: TicketRecord[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    id: ids.id,
    tokenHash: ids.tokenHash,
    at,
    updatedAt: at,
    status: 'open',
    channel: input.channel,
    lang: input.lang ?? answer?.lang ?? reading.lang,
    question,
    statements: reading.statements,
    codes: reading.codes,
    ...opt('answerId', answer?.id),
    ...opt('topicId', answer?.topicId),
    ...opt('answerStatus', answer?.status),
    ...opt('stepsWalked', input.stepsWalked),
    ...opt('helpful', input.helpful),
    ...opt('comment', input.comment),
    ...opt('contact', input.contact),
    ...opt('asker', input.asker),
    ...opt('askerAddress', input.askerAddress),
  };
}

/** What the asker sees with the token: the state and the expert's reply, never the expert's names or contact data. */
export function askerView(t: TicketRecord) {
  return {
    id: t.id,
    status: t.status,
    lang: t.lang,
    createdAt: t.at,
    updatedAt: t.updatedAt,
    question: t.question,
    ...(t.topicId ? { topicId: t.topicId } : {}),
    ...(t.resolution !== undefined ? { reply: { text: t.resolution, at: t.resolvedAt! } } : {}),
  };
}

/** What experts and the webhook see: everything but the token hash and the channel's addresses, the error statements first. */
export function expertView(t: TicketRecord) {
  const { tokenHash: _hash, askerAddress: _asker, expertCard: _card, at, question, statements, codes, knowledgeBase, ...rest } = t;
  return { ...rest, createdAt: at, statements, codes, question, ...(knowledgeBase ? { knowledgeBase } : {}) };
}
