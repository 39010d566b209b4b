/** Store implementations behind the shared `Store` interface (see types.ts). */
export { createMemoryStore } from './memory.ts';
export { createFileStore, type FileStoreOptions } from './file.ts';
export type { AnswerRecord, FeedbackRecord, Store, StoreHealth, Channel } from './types.ts';
export { StoreUnavailableError } from './types.ts';
export { answerRecord } from './records.ts';
