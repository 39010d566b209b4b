import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryStore } from './memory.ts';
import type { AnswerRecord, FeedbackRecord, Store } from './types.ts';

export interface FileStoreOptions {
  /** fdatasync after each batch so a power cut loses nothing acknowledged (default true). */
  fsync?: boolean;
}

/** A promise with its settle functions, shared by every line of one batch. */
interface Batch {
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { done, resolve, reject };
}

/**
 * Appends JSON lines to one file. Lines appended while a write is in flight form the next batch:
 * one write() (and one fdatasync) per batch, so lines never interleave and a burst costs one syscall.
 * Every line of a batch shares one promise, so a burst of appends allocates one, not one each.
 */
class LineWriter {
  private queued: string[] = [];
  /** Settles when the queued lines are written; undefined while nothing is queued. */
  private batch?: Batch;
  /** The batch being written, if any. */
  private writing?: Promise<void>;
  private handle?: FileHandle;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly fsync: boolean,
    /** A torn last line (crash mid-write) must not swallow the next record. */
    private needsNewline: boolean,
  ) {}

  append(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`FileStore: ${this.file} is closed`));
    this.queued.push(line);
    const batch = (this.batch ??= newBatch());
    this.writing ??= this.write();
    return batch.done;
  }

  /** Settles when every line appended so far is on disk (never rejects: appenders hear of failures). */
  async drained(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async write(): Promise<void> {
    while (this.batch) {
      const { queued, batch } = this;
      this.queued = [];
      this.batch = undefined;
      try {
        this.handle ??= await open(this.file, 'a');
        await this.handle.write((this.needsNewline ? '\n' : '') + queued.join('\n') + '\n');
        this.needsNewline = false;
        if (this.fsync) await this.handle.datasync();
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.writing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drained();
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Reads a JSON-lines file, skipping blank or torn lines; reports whether it ends mid-line. */
function readLines<T>(file: string): { records: T[]; torn: boolean } {
  if (!existsSync(file)) return { records: [], torn: false };
  const text = readFileSync(file, 'utf8');
  const records: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // A line cut short by a crash: the record was never acknowledged, so dropping it is correct.
    }
  }
  return { records, torn: text.length > 0 && !text.endsWith('\n') };
}

/** Checks early that the directory is writable, so start-up fails instead of the first feedback. */
function assertWritable(dir: string): void {
  const probe = join(dir, 'answers.jsonl');
  closeSync(openSync(probe, 'a'));
}

/**
 * A durable Store: append-only `answers.jsonl` and `feedback.jsonl` under `dataDir`, replayed
 * into memory at open. Safe for concurrent requests in one process; survives restarts.
 */
export function createFileStore(dataDir: string, options: FileStoreOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true });
  assertWritable(dataDir);
  const answersFile = join(dataDir, 'answers.jsonl');
  const feedbackFile = join(dataDir, 'feedback.jsonl');
  const loadedAnswers = readLines<AnswerRecord>(answersFile);
  const loadedFeedback = readLines<FeedbackRecord>(feedbackFile);
  // The memory store answers every read; this store adds the durable writes in front of it.
  const memory = createMemoryStore();
  for (const r of loadedAnswers.records) void memory.recordAnswer(r);
  for (const r of loadedFeedback.records) void memory.addFeedback(r);
  const fsync = options.fsync ?? true;
  const answerWriter = new LineWriter(answersFile, fsync, loadedAnswers.torn);
  const feedbackWriter = new LineWriter(feedbackFile, fsync, loadedFeedback.torn);

  return {
    ...memory,
    recordAnswer(record) {
      // Visible at once (before the write lands), so feedback racing the write still finds its answer.
      void memory.recordAnswer(record);
      return answerWriter.append(JSON.stringify(record));
    },
    async addFeedback(record) {
      await feedbackWriter.append(JSON.stringify(record));
      await memory.addFeedback(record);
    },
    async close() {
      await Promise.all([answerWriter.close(), feedbackWriter.close()]);
    },
  };
}
