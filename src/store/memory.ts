import type { AnswerRecord, FeedbackRecord, Store } from './types.ts';

/** A Store that keeps everything in process memory (tests, or STORE=memory). */
export function createMemoryStore(): Store {
  const answers = new Map<string, AnswerRecord>();
  const feedback: FeedbackRecord[] = [];
  return {
    async recordAnswer(record) {
      answers.set(record.id, { ...record });
    },
    async getAnswer(id) {
      const found = answers.get(id);
      return found && { ...found };
    },
    async addFeedback(record) {
      feedback.push({ ...record });
    },
    async answers() {
      return [...answers.values()].map((r) => ({ ...r }));
    },
    async feedback() {
      return feedback.map((r) => ({ ...r }));
    },
    async close() {},
  };
}
