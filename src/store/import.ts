import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAnswerRecord, parseFeedbackRecord } from './records.ts';
import type { StoreLogger } from './health.ts';
import type { AnswerRecord, FeedbackRecord, Store } from './types.ts';

/** Where imported records go: a database store's batch writes (each batch one transaction). */
export interface ImportSink {
  /** Whether `file` was imported before (a fact kept in the database, so the import runs once). */
  imported(file: string): Promise<boolean>;
  markImported(file: string, summary: ImportSummary): Promise<void>;
  /** Inserts a batch, skipping ids already stored; returns how many were new. */
  answers(batch: AnswerRecord[]): Promise<number>;
  feedback(batch: FeedbackRecord[]): Promise<number>;
}

/** What one file held: lines read, records imported, duplicates skipped, lines refused and why. */
export interface ImportSummary {
  file: string;
  lines: number;
  imported: number;
  duplicates: number;
  refused: number;
  /** Refused lines per reason ('json' for a torn or non-JSON line, else the first bad field). */
  reasons: Record<string, number>;
}

const BATCH = 5000;

/** Streams one JSONL file line by line (never the whole file in one string) into the sink. */
async function importFile<T>(file: string, parse: (value: unknown) => T | string, insert: (batch: T[]) => Promise<number>): Promise<ImportSummary> {
  const summary: ImportSummary = { file, lines: 0, imported: 0, duplicates: 0, refused: 0, reasons: {} };
  const refuse = (reason: string) => {
    summary.refused++;
    summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
  };
  let batch: T[] = [];
  const flush = async () => {
    const added = await insert(batch);
    summary.imported += added;
    summary.duplicates += batch.length - added;
    batch = [];
  };
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    summary.lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      refuse('json');
      continue;
    }
    const record = parse(value);
    if (typeof record === 'string') refuse(record);
    else if (batch.push(record) >= BATCH) await flush();
  }
  await flush();
  return summary;
}

/**
 * Imports the JSONL files of the old file store (`answers.jsonl` before `feedback.jsonl`, so feedback
 * finds its answers) once; the files are kept. Torn, corrupt or foreign lines are counted and logged.
 */
export async function importJsonl(dataDir: string, sink: ImportSink, logger: StoreLogger, force = false): Promise<ImportSummary[]> {
  const done: ImportSummary[] = [];
  const files = [
    { name: 'answers.jsonl', run: (f: string) => importFile(f, parseAnswerRecord, (b) => sink.answers(b)) },
    { name: 'feedback.jsonl', run: (f: string) => importFile(f, parseFeedbackRecord, (b) => sink.feedback(b)) },
  ];
  for (const { name, run } of files) {
    const file = join(dataDir, name);
    if (!existsSync(file) || (!force && (await sink.imported(name)))) continue;
    const summary = await run(file);
    await sink.markImported(name, summary);
    const log = summary.refused > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
    log({ ...summary }, `store: imported ${summary.imported} records from ${name}, ${summary.refused} lines refused`);
    done.push(summary);
  }
  return done;
}

/** Which records a JSON-lines file holds. */
export type ImportKind = 'answers' | 'feedback';

/** The kind a file's name says: feedback*.jsonl holds feedback, anything else answers (as the old file store named them). */
export const importKindOf = (file: string): ImportKind => (/^feedback/i.test(basename(file)) ? 'feedback' : 'answers');

/**
 * A sink over any store's public writes, for a file named on the command line: each batch is checked against
 * what is stored (a record already there is a duplicate, not an error) and written concurrently, which the
 * SQLite store commits as one transaction. Running an import twice adds nothing the second time.
 */
export function storeSink(store: Store): Pick<ImportSink, 'answers' | 'feedback'> {
  const insert = async <T extends { id: string }>(batch: T[], exists: (id: string) => Promise<unknown>, write: (r: T) => Promise<void>) => {
    const seen = new Set<string>();
    const fresh: T[] = [];
    for (const r of batch) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      if ((await exists(r.id)) === undefined) fresh.push(r);
    }
    await Promise.all(fresh.map(write));
    return fresh.length;
  };
  return {
    answers: (batch) =>
      insert(
        batch,
        (id) => store.getAnswer(id),
        (r) => store.recordAnswer(r),
      ),
    feedback: (batch) =>
      insert(
        batch,
        (id) => store.getFeedback(id),
        (r) => store.addFeedback(r),
      ),
  };
}

/** Imports one JSON-lines file of `kind` (streamed, in batches) into `sink`; lines that are not records are counted, never fatal. */
export function importJsonlFile(file: string, kind: ImportKind, sink: Pick<ImportSink, 'answers' | 'feedback'>): Promise<ImportSummary> {
  return kind === 'answers' ? importFile(file, parseAnswerRecord, (b) => sink.answers(b)) : importFile(file, parseFeedbackRecord, (b) => sink.feedback(b));
}
