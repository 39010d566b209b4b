import { assembleInsights, type AnswerCount, type FeedbackCount } from './insights.ts';
import { checkedAnswer, checkedFeedback } from './records.ts';
import { createMemoryOutbox } from './outbox.ts';
import { applyAction, assembleDashboard, checkedTicket } from './tickets.ts';
import type { AnswerRecord, FeedbackRecord, GapExample, Store, TicketRecord } from './types.ts';

/** Feedback as stored: with the language, topic and time of its answer when that was known. */
interface StoredFeedback extends FeedbackRecord {
  answer?: AnswerRecord;
  /** Replaced by a later vote on the same answer: kept, never counted (one vote per answer, the last). */
  superseded?: boolean;
}

const plain = ({ answer: _answer, superseded: _superseded, ...record }: StoredFeedback): FeedbackRecord => record;

const newestFirst = <T extends { at: string; id: string }>(x: T, y: T) => (x.at < y.at ? 1 : x.at > y.at ? -1 : x.id < y.id ? 1 : -1);

/** The memory store, plus whole-table dumps for tests to inspect (a database store has none: see insights). */
export interface MemoryStore extends Store {
  answers(): Promise<AnswerRecord[]>;
  feedback(): Promise<FeedbackRecord[]>;
}

/** A Store that keeps everything in process memory (tests, or STORE=memory); same contract as the database stores. */
export function createMemoryStore(): MemoryStore {
  const answers = new Map<string, AnswerRecord>();
  const feedback = new Map<string, StoredFeedback>();
  const tickets = new Map<string, TicketRecord>();
  const outbox = createMemoryOutbox();
  const addresses = new Map<string, string>();
  let closed = false;
  const open = () => {
    if (closed) throw new Error('Store: the memory store is closed');
  };
  return {
    async recordAnswer(record) {
      open();
      const checked = checkedAnswer(record);
      if (!answers.has(checked.id)) answers.set(checked.id, checked);
    },
    async getAnswer(id) {
      const found = answers.get(id);
      return found && { ...found };
    },
    async addFeedback(record) {
      open();
      const checked = checkedFeedback(record);
      if (feedback.has(checked.id)) return;
      for (const f of feedback.values()) if (f.answerId === checked.answerId) f.superseded = true;
      feedback.set(checked.id, { ...checked, answer: answers.get(checked.answerId) });
    },
    async getFeedback(id) {
      const found = feedback.get(id);
      return found && plain(found);
    },
    async answers() {
      return [...answers.values()].map((a) => ({ ...a }));
    },
    async feedback() {
      return [...feedback.values()].map(plain);
    },
    async insights(query) {
      const answerCounts = new Map<string, AnswerCount>();
      for (const a of answers.values()) {
        const key = `${a.lang}\u0000${a.topicId ?? ''}\u0000${a.status}`;
        const count = answerCounts.get(key) ?? answerCounts.set(key, { lang: a.lang, topicId: a.topicId ?? '', status: a.status, n: 0 }).get(key)!;
        count.n++;
      }
      const feedbackCounts = new Map<string, FeedbackCount>();
      for (const { answer: a, helpful, superseded } of feedback.values()) {
        if (!a || superseded) continue;
        const key = `${a.lang}\u0000${a.topicId ?? ''}\u0000${helpful}`;
        const count = feedbackCounts.get(key) ?? feedbackCounts.set(key, { lang: a.lang, topicId: a.topicId ?? '', helpful, n: 0 }).get(key)!;
        count.n++;
      }
      const inGap = (a: AnswerRecord | undefined, lang: string, topicId: string) => a !== undefined && a.lang === lang && (a.topicId ?? '') === topicId;
      const example = (a: AnswerRecord): GapExample => ({
        answerId: a.id,
        at: a.at,
        status: a.status,
        ...(a.question !== undefined ? { question: a.question } : {}),
      });
      return assembleInsights([...answerCounts.values()], [...feedbackCounts.values()], query, async (lang, topicId, limit) => ({
        notFound: [...answers.values()]
          .filter((a) => a.status === 'not_found' && inGap(a, lang, topicId))
          .sort(newestFirst)
          .slice(0, limit)
          .map(example),
        unhelpful: [...feedback.values()]
          .filter((f) => !f.helpful && !f.superseded && inGap(f.answer, lang, topicId))
          .map((f) => ({ f, a: answers.get(f.answerId) ?? f.answer! }))
          .sort((x, y) => newestFirst({ at: x.a.at, id: x.f.id }, { at: y.a.at, id: y.f.id }))
          .slice(0, limit)
          .map(({ f, a }) => ({
            ...example(a),
            helpful: false,
            ...(f.step !== undefined ? { step: f.step } : {}),
            ...(f.comment !== undefined ? { comment: f.comment } : {}),
          })),
      }));
    },
    async createTicket(ticket, event) {
      open();
      const t = checkedTicket(ticket);
      if (tickets.has(t.id)) throw new Error(`Store: ticket ${JSON.stringify(t.id)} already exists`);
      if (event) outbox.add(event(t));
      tickets.set(t.id, structuredClone(t));
    },
    async getTicket(id) {
      const found = tickets.get(id);
      return found && structuredClone(found);
    },
    async actOnTicket(id, action, event) {
      open();
      const t = tickets.get(id);
      if (!t) return { outcome: 'unknown' };
      const next = applyAction(t, action);
      if (!next) return { outcome: 'resolved', ticket: structuredClone(t) };
      if (event) outbox.add(event(next));
      tickets.set(id, next);
      return { outcome: 'done', ticket: structuredClone(next) };
    },
    async listTickets(query) {
      const all = [...tickets.values()].filter(
        (t) => (query.status ? t.status === query.status : true) && (query.knowledgeBase ? t.knowledgeBase !== undefined : true),
      );
      const key = (t: TicketRecord) => (query.knowledgeBase ? t.knowledgeBase!.at : t.at);
      return all
        .sort((x, y) => (key(x) < key(y) ? 1 : key(x) > key(y) ? -1 : x.id < y.id ? 1 : -1))
        .slice(0, query.limit)
        .map((t) => structuredClone(t));
    },
    async setTicketCard(id, card) {
      open();
      const t = tickets.get(id);
      if (!t) return false;
      tickets.set(id, { ...t, expertCard: card });
      return true;
    },
    async getAddress(name) {
      return addresses.get(name);
    },
    async setAddress(name, address) {
      open();
      if (address === undefined) addresses.delete(name);
      else addresses.set(name, address);
    },
    async dashboard(query) {
      const days = new Map<string, { day: string; lang: string; status: string; n: number }>();
      for (const a of answers.values()) {
        const day = a.at.slice(0, 10);
        if (day < query.since) continue;
        const key = `${day}\u0000${a.lang}\u0000${a.status}`;
        (days.get(key) ?? days.set(key, { day, lang: a.lang, status: a.status, n: 0 }).get(key)!).n++;
      }
      const votes = new Map<string, { lang: AnswerRecord['lang']; topicId: string; helpful: boolean; n: number }>();
      for (const { answer: a, helpful, superseded } of feedback.values()) {
        if (!a || superseded) continue;
        const key = `${a.lang}\u0000${a.topicId ?? ''}\u0000${helpful}`;
        (votes.get(key) ?? votes.set(key, { lang: a.lang, topicId: a.topicId ?? '', helpful, n: 0 }).get(key)!).n++;
      }
      const unanswered = [...answers.values()]
        .filter((a) => a.status === 'not_found' && a.question !== undefined)
        .sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0))
        .slice(0, query.unanswered)
        .map((a) => ({ id: a.id, at: a.at, lang: a.lang, question: a.question }));
      const opened = new Map<string, number>();
      const statuses = new Map<string, number>();
      for (const t of tickets.values()) {
        if (t.at >= query.since) opened.set(t.at.slice(0, 10), (opened.get(t.at.slice(0, 10)) ?? 0) + 1);
        statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
      }
      return assembleDashboard({
        days: [...days.values()],
        feedback: [...votes.values()],
        unanswered,
        opened: [...opened].map(([day, n]) => ({ day, n })),
        resolved: [...tickets.values()]
          .filter((t) => t.resolvedAt !== undefined && t.resolvedAt >= query.since)
          .map((t) => ({ at: t.at, resolved_at: t.resolvedAt })),
        statuses: [...statuses].map(([status, n]) => ({ status, n })),
      });
    },
    enqueueOutbox: outbox.enqueueOutbox,
    claimOutbox: outbox.claimOutbox,
    settleOutbox: outbox.settleOutbox,
    outboxState: outbox.outboxState,
    health() {
      return { ready: true };
    },
    async close() {
      closed = true;
    },
  };
}
