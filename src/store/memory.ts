import type { AnswerRecord, FeedbackRecord, Store } from './types.ts';

/** A Store that keeps everything in process memory (tests, or STORE=memory). */
export function createMemoryStore(): Store {
  const answers = new Map<string, AnswerRecord>();
  const feedback: FeedbackRecord[] = [];
  return {
    // Not async on purpose: the record is readable as soon as this returns (the file store relies on it).
    recordAnswer(record) {
      answers.set(record.id, { ...record });
      return Promise.resolve();
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
    health() {
      return { ready: true };
    },
    async close() {},
  };
}
