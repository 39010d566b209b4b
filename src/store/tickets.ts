/** Tickets and dashboard rows as both database stores write and read them (see sql.ts for the queries). */
import { isLang, type AnswerStatus, type Lang } from '../engine/types.ts';
import type { DashboardData, DayCount, TicketAction, TicketRecord, TicketStatus, UnansweredQuestion } from './types.ts';

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const STATUSES: readonly string[] = ['open', 'assigned', 'resolved'] satisfies TicketStatus[];

/** Checks a ticket built in this process; a bad one is a bug, so it throws naming the field. */
export function checkedTicket(t: TicketRecord): TicketRecord {
  const bad = (field: string) => new Error(`Store: ticket record ${JSON.stringify(t.id)} has an invalid ${field}`);
  if (typeof t.id !== 'string' || !t.id || t.id.length > 200) throw bad('id');
  if (!/^[0-9a-f]{64}$/.test(t.tokenHash)) throw bad('tokenHash');
  for (const field of ['at', 'updatedAt'] as const) if (Number.isNaN(Date.parse(t[field])) || !/^\d{4}-\d\d-\d\dT/.test(t[field])) throw bad(field);
  if (!STATUSES.includes(t.status)) throw bad('status');
  if (!isLang(t.lang)) throw bad('lang');
  if (typeof t.question !== 'string') throw bad('question');
  if (!Array.isArray(t.statements) || t.statements.some((s) => typeof s !== 'string')) throw bad('statements');
  if (!Array.isArray(t.codes) || t.codes.some((s) => typeof s !== 'string')) throw bad('codes');
  for (const field of ['askerAddress', 'expertCard'] as const) if (t[field] !== undefined && typeof t[field] !== 'string') throw bad(field);
  return { ...t, at: new Date(t.at).toISOString(), updatedAt: new Date(t.updatedAt).toISOString() };
}

/** Parameters of SQL.insertTicket. */
export const ticketParams = (t: TicketRecord) => [
  t.id,
  t.tokenHash,
  t.at,
  t.updatedAt,
  t.status,
  t.channel,
  t.lang,
  t.question,
  JSON.stringify(t.statements),
  JSON.stringify(t.codes),
  t.answerId ?? null,
  t.topicId ?? null,
  t.answerStatus ?? null,
  t.stepsWalked ?? null,
  t.helpful === undefined ? null : t.helpful ? 1 : 0,
  t.comment ?? null,
  t.contact ?? null,
  t.asker ?? null,
  t.assignee ?? null,
  t.resolution ?? null,
  t.resolvedAt ?? null,
  t.resolvedBy ?? null,
  t.knowledgeBase?.at ?? null,
  t.knowledgeBase?.by ?? null,
  t.knowledgeBase?.note ?? null,
  t.askerAddress ?? null,
  t.expertCard ?? null,
];

/** A tickets row → TicketRecord (absent fields stay absent). */
export function ticketFromRow(row: Row): TicketRecord {
  const opt = <K extends keyof TicketRecord>(key: K, value: TicketRecord[K] | undefined) => (value === undefined ? {} : { [key]: value });
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const kbAt = str(row.kb_at);
  const kbNote = str(row.kb_note);
  return {
    id: String(row.id),
    tokenHash: String(row.token_hash),
    at: String(row.at),
    updatedAt: String(row.updated_at),
    status: row.status as TicketStatus,
    channel: row.channel as TicketRecord['channel'],
    lang: row.lang as Lang,
    question: String(row.question),
    statements: JSON.parse(String(row.statements)) as string[],
    codes: JSON.parse(String(row.codes)) as string[],
    ...opt('answerId', str(row.answer_id)),
    ...opt('topicId', str(row.topic_id)),
    ...opt('answerStatus', str(row.answer_status) as AnswerStatus | undefined),
    ...opt('stepsWalked', num(row.steps_walked)),
    ...opt('helpful', num(row.helpful) === undefined ? undefined : num(row.helpful) === 1),
    ...opt('comment', str(row.comment)),
    ...opt('contact', str(row.contact)),
    ...opt('asker', str(row.asker)),
    ...opt('assignee', str(row.assignee)),
    ...opt('resolution', str(row.resolution)),
    ...opt('resolvedAt', str(row.resolved_at)),
    ...opt('resolvedBy', str(row.resolved_by)),
    ...opt('askerAddress', str(row.asker_address)),
    ...opt('expertCard', str(row.expert_card)),
    ...(kbAt ? { knowledgeBase: { at: kbAt, by: String(row.kb_by), ...(kbNote !== undefined ? { note: kbNote } : {}) } } : {}),
  };
}

/** The SQL statement name and parameters of an action (see SQL.assignTicket and the two after it). */
export function actionStatement(id: string, a: TicketAction): { name: 'assignTicket' | 'resolveTicket' | 'ticketToKnowledgeBase'; params: unknown[] } {
  if (a.kind === 'assign') return { name: 'assignTicket', params: [a.expert, a.at, id] };
  if (a.kind === 'resolve') return { name: 'resolveTicket', params: [a.answer, a.expert, a.at, a.expert, a.at, id] };
  return { name: 'ticketToKnowledgeBase', params: [a.at, a.expert, a.note ?? null, a.at, id] };
}

/** The same action on a ticket in memory; undefined when it is refused (already resolved). */
export function applyAction(t: TicketRecord, a: TicketAction): TicketRecord | undefined {
  if (a.kind === 'knowledgeBase')
    return { ...t, updatedAt: a.at, knowledgeBase: { at: a.at, by: a.expert, ...(a.note !== undefined ? { note: a.note } : {}) } };
  if (t.status === 'resolved') return undefined;
  if (a.kind === 'assign') return { ...t, status: 'assigned', assignee: a.expert, updatedAt: a.at };
  return { ...t, status: 'resolved', resolution: a.answer, resolvedBy: a.expert, resolvedAt: a.at, assignee: t.assignee ?? a.expert, updatedAt: a.at };
}

/** Whole minutes between two ISO times. */
export const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** Rows of the dashboard's queries → DashboardData, sorted so every store gives the same order. */
export function assembleDashboard(parts: {
  days: Row[];
  feedback: DashboardData['feedback'];
  unanswered: Row[];
  opened: Row[];
  resolved: Row[];
  statuses: Row[];
}): DashboardData {
  const days: DayCount[] = parts.days
    .map((r) => ({ day: String(r.day), lang: r.lang as Lang, status: r.status as AnswerStatus, n: Number(r.n) }))
    .sort((x, y) => x.day.localeCompare(y.day) || x.lang.localeCompare(y.lang) || x.status.localeCompare(y.status));
  const unanswered: UnansweredQuestion[] = parts.unanswered.map((r) => ({
    answerId: String(r.id),
    at: String(r.at),
    lang: r.lang as Lang,
    question: String(r.question),
  }));
  const ticketDays = new Map<string, { day: string; opened: number; resolved: number }>();
  const dayOf = (day: string) => ticketDays.get(day) ?? ticketDays.set(day, { day, opened: 0, resolved: 0 }).get(day)!;
  for (const r of parts.opened) dayOf(String(r.day)).opened += Number(r.n);
  for (const r of parts.resolved) dayOf(String(r.resolved_at).slice(0, 10)).resolved++;
  const tickets = { open: 0, assigned: 0, resolved: 0 };
  for (const r of parts.statuses) tickets[r.status as TicketStatus] = Number(r.n);
  return {
    days,
    feedback: [...parts.feedback].sort((x, y) => x.topicId.localeCompare(y.topicId) || x.lang.localeCompare(y.lang) || Number(x.helpful) - Number(y.helpful)),
    unanswered,
    ticketDays: [...ticketDays.values()].sort((x, y) => x.day.localeCompare(y.day)),
    resolveMinutes: parts.resolved.map((r) => minutesBetween(String(r.at), String(r.resolved_at))).sort((x, y) => x - y),
    tickets,
  };
}
