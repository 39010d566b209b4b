import { assembleInsights, type AnswerCount, type FeedbackCount } from './insights.ts';
import { checkedAnswer, checkedFeedback } from './records.ts';
import type { AnswerRecord, FeedbackRecord, GapExample, Store } from './types.ts';

/** Feedback as stored: with the language, topic and time of its answer when that was known. */
interface StoredFeedback extends FeedbackRecord {
  answer?: AnswerRecord;
}

const plain = ({ answer: _answer, ...record }: StoredFeedback): FeedbackRecord => record;

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
      if (!feedback.has(checked.id)) feedback.set(checked.id, { ...checked, answer: answers.get(checked.answerId) });
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
      for (const { answer: a, helpful } of feedback.values()) {
        if (!a) continue;
        const key = `${a.lang}\u0000${a.topicId ?? ''}\u0000${helpful}`;
        const count = feedbackCounts.get(key) ?? feedbackCounts.set(key, { lang: a.lang, topicId: a.topicId ?? '', helpful, n: 0 }).get(key)!;
        count.n++;
      }
      const inGap = (a: AnswerRecord | undefined, lang: string, topicId: string) => a !== undefined && a.lang === lang && (a.topicId ?? '') === topicId;
      const example = (a: AnswerRecord): GapExample => ({ answerId: a.id, at: a.at, status: a.status, ...(a.question !== undefined ? { question: a.question } : {}) });
      return assembleInsights([...answerCounts.values()], [...feedbackCounts.values()], query, async (lang, topicId, limit) => ({
        notFound: [...answers.values()]
          .filter((a) => a.status === 'not_found' && inGap(a, lang, topicId))
          .sort(newestFirst)
          .slice(0, limit)
          .map(example),
        unhelpful: [...feedback.values()]
          .filter((f) => !f.helpful && inGap(f.answer, lang, topicId))
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
    health() {
      return { ready: true };
    },
    async close() {
      closed = true;
    },
  };
}
