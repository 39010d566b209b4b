/**
 * The engine behind a swappable slot. Content is loaded (from the build's snapshot when it matches, else parsed),
 * and a reload parses and validates the folder again beside the serving engine (in a worker thread when main
 * passes one): only content without errors replaces it, in one assignment, so a request sees the old engine or
 * the new one, never a mix. Building the new engine's index runs on the main thread, between requests.
 */
import { createEngine } from '../engine/index.ts';
import type { ContentError, Engine, KnowledgeBase } from '../engine/types.ts';
import { contentHash, parseContent, readContentSnapshot, type ParsedContent } from './snapshot.ts';

/** Which content is serving: its hash, when it was loaded, how big it is and whether it came from the snapshot. */
export interface ContentVersion {
  hash: string;
  loadedAt: string;
  topics: number;
  sections: number;
  source: 'snapshot' | 'content';
}

/** The outcome of a reload; `version` is what serves afterwards (the old one when refused). */
export type ReloadResult =
  | { status: 'reloaded'; version: ContentVersion; ms: number }
  | { status: 'unchanged'; version: ContentVersion; ms: number }
  | { status: 'refused'; version: ContentVersion; errors: ContentError[]; ms: number };

export interface LiveLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LiveContentOptions {
  /** The content folder (catalog.yaml, <lang>/*.md). */
  dir: string;
  /** dist/content.json; used at start when its hash matches the folder's. */
  snapshotFile?: string;
  logger: LiveLogger;
  now?: () => Date;
  /** How a reload parses the folder; main passes a worker-thread parser (parse-off-thread.ts). Default: in this thread. */
  parse?: (dir: string) => Promise<ParsedContent> | ParsedContent;
}

/** The serving engine, the knowledge base it was built from and its version, swapped together. */
export interface Loaded {
  engine: Engine;
  kb: KnowledgeBase;
  version: ContentVersion;
}

export interface LiveContent {
  /** Resolves with `engine` once the first content is loaded. */
  ready: Promise<Engine>;
  /** An Engine whose every call goes to the engine serving at that moment (for channels that keep an Engine). */
  engine: Engine;
  /** The serving engine and its version; undefined until the first load. */
  current(): Loaded | undefined;
  /** Parses and validates the folder again; swaps only valid, changed content. Reloads run one at a time. */
  reload(): Promise<ReloadResult>;
  /** Called after every swap (the first load included), with what now serves. */
  onSwap(listener: (loaded: Loaded) => void): void;
}

/** Loads content in the next turn of the event loop (so the server can listen first) and keeps it swappable. */
export function createLiveContent(options: LiveContentOptions): LiveContent {
  const now = options.now ?? (() => new Date());
  const listeners: Array<(loaded: Loaded) => void> = [];
  let loaded: Loaded | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const build = (parsed: ParsedContent, source: ContentVersion['source']): Loaded => ({
    engine: createEngine(parsed.kb, parsed.prepared ?? {}),
    kb: parsed.kb,
    version: { hash: parsed.hash, loadedAt: now().toISOString(), topics: parsed.kb.topics.length, sections: parsed.kb.sections.length, source },
  });
  const swap = (next: Loaded) => {
    loaded = next;
    for (const listener of listeners) listener(next);
  };
  const logErrors = (errors: ContentError[], msg: string) => {
    for (const e of errors) options.logger.warn({ file: e.file, line: e.line }, `content: ${e.message}`);
    if (errors.length) options.logger.warn({ errors: errors.length }, msg);
  };

  const ready = new Promise<Engine>((resolve, reject) => {
    setImmediate(() => {
      try {
        const started = performance.now();
        const hash = contentHash(options.dir);
        const snapshot = options.snapshotFile ? readContentSnapshot(options.snapshotFile, hash) : undefined;
        const parsed = snapshot ?? parseContent(options.dir);
        // At start there is no older content to keep: content with errors serves, and its errors are logged.
        logErrors(parsed.errors, 'content loaded with errors');
        swap(build(parsed, snapshot ? 'snapshot' : 'content'));
        const { version } = loaded!;
        options.logger.info({ ...version, ms: Math.round(performance.now() - started) }, 'knowledge base loaded');
        resolve(engine);
      } catch (err) {
        reject(err);
      }
    });
  });

  const reloadOnce = async (): Promise<ReloadResult> => {
    await ready;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const parsed = await (options.parse ?? parseContent)(options.dir);
    if (parsed.errors.length) {
      logErrors(parsed.errors, 'content reload refused: the content has errors; the loaded content keeps serving');
      return { status: 'refused', version: loaded!.version, errors: parsed.errors, ms: ms() };
    }
    if (parsed.hash === loaded!.version.hash) return { status: 'unchanged', version: loaded!.version, ms: ms() };
    const previous = loaded!.version.hash;
    swap(build(parsed, 'content'));
    options.logger.info({ ...loaded!.version, previous, ms: ms() }, 'content reloaded');
    return { status: 'reloaded', version: loaded!.version, ms: ms() };
  };

  const engine: Engine = {
    ask: (question, opts) => serving().ask(question, opts),
    answerTopic: (id, lang) => serving().answerTopic(id, lang),
    search: (q, opts) => serving().search(q, opts),
    topics: (lang) => serving().topics(lang),
    article: (id, lang) => serving().article(id, lang),
    detectLang: (text) => serving().detectLang(text),
  };
  function serving(): Engine {
    if (!loaded) throw new Error('content: the knowledge base is not loaded yet');
    return loaded.engine;
  }

  return {
    ready,
    engine,
    current: () => loaded,
    reload: () => {
      const run = queue.then(reloadOnce, reloadOnce);
      queue = run.catch(() => undefined);
      return run;
    },
    onSwap: (listener) => {
      listeners.push(listener);
      if (loaded) listener(loaded);
    },
  };
}
