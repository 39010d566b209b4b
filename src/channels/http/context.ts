import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import type { Engine } from '../../engine/types.ts';
import type { Store } from '../../store/types.ts';
import type { ContentVersion, Loaded, ReloadResult } from '../../content/live.ts';
import { parseConfig } from '../../config.ts';
import { createMetrics, type Metrics } from '../../observability/metrics.ts';
import { HttpProblem } from './problem.ts';
import { LOADING_RETRY_SECONDS, readiness } from '../readiness.ts';
import type { WidgetKey } from './security.ts';

/** Behaviour switches of the HTTP channel (a subset of Config, so main can pass the Config). */
export interface HttpOptions {
  corsOrigins: string[];
  apiKeys: string[];
  adminKeys: string[];
  /** Origin-bound keys the widget sends when apiKeys are required (see security.ts). */
  widgetKeys: WidgetKey[];
  rateLimit: { max: number; windowMs: number };
  logQuestions: boolean;
  storeQuestions: boolean;
  trustProxy: number;
  /** Answers memoized per normalized (question, lang, topic); 0 turns the cache off. */
  answerCacheSize: number;
}

/** Defaults merged under the options given to createHttpApp: the configuration's own defaults (src/config.ts; HttpOptions is a subset of Config). */
export const DEFAULT_HTTP_OPTIONS: HttpOptions = parseConfig({});

/** What createHttpApp needs; built by main.ts (or a test). */
export interface HttpAppDeps {
  /** The engine, or a promise of it: until it resolves /readyz answers 503 and the API 503 problems. */
  engine: Engine | Promise<Engine>;
  store: Store;
  i18n: i18n;
  logger: Logger;
  metrics?: Metrics;
  options?: Partial<HttpOptions>;
  /** Swappable content (live reload): when given, the engine and content version follow its swaps and `engine` is not used. */
  content?: ContentSource;
  /** Other channels' routes (Teams bot, widget), applied after the API and before the 404/error handlers. */
  mounts?: Mount[];
  newId?: () => string;
  now?: () => Date;
}

/** Routes added to the app after the API's; they may use the API's shared context (the ticket routes check steps with its engine). */
export type Mount = (app: Express, ctx: HttpContext) => void;

/** What the HTTP channel needs of live content (src/content/live.ts): swaps to follow and a reload to run. */
export interface ContentSource {
  onSwap(listener: (loaded: Loaded) => void): void;
  reload(): Promise<ReloadResult>;
}

/** What route modules share. */
export interface HttpContext {
  engine(): Engine;
  /** The serving content's version; undefined for an engine given without a content source. */
  contentVersion(): ContentVersion | undefined;
  /** Reloads the content; undefined when the app was built without a content source. */
  reloadContent?: () => Promise<ReloadResult>;
  isReady(): boolean;
  /** Canonical topic id for a case-insensitive spelling, if the topic exists. */
  canonicalTopicId(id: string): string | undefined;
  store: Store;
  i18n: i18n;
  logger: Logger;
  metrics: Metrics;
  options: HttpOptions;
  newId: () => string;
  now: () => Date;
}

/** Builds the shared context; the engine slot fills when the (possibly async) engine arrives. */
export function createContext(deps: HttpAppDeps): HttpContext {
  let engine: Engine | undefined;
  let version: ContentVersion | undefined;
  let topicIds = new Map<string, string>();
  const arrive = (e: Engine) => {
    topicIds = new Map(e.topics('en').map((t) => [t.id.toLowerCase(), t.id]));
    engine = e;
  };
  const metrics = deps.metrics ?? createMetrics();
  if (deps.content) {
    deps.content.onSwap((loaded) => {
      arrive(loaded.engine);
      version = loaded.version;
      metrics.contentLoaded.reset();
      metrics.contentLoaded.set({ hash: version.hash }, Date.parse(version.loadedAt) / 1000);
    });
  } else {
    const gate = readiness(deps.engine);
    const now = gate.engine();
    if (now) arrive(now);
    else gate.ready.then(arrive, (err: unknown) => deps.logger.fatal({ err }, 'engine failed to load'));
  }
  return {
    engine() {
      if (!engine) throw new HttpProblem('notReady', { seconds: LOADING_RETRY_SECONDS });
      return engine;
    },
    isReady: () => engine !== undefined,
    contentVersion: () => version,
    ...(deps.content ? { reloadContent: () => deps.content!.reload() } : {}),
    canonicalTopicId: (id) => topicIds.get(id.toLowerCase()),
    store: deps.store,
    i18n: deps.i18n,
    logger: deps.logger,
    metrics,
    options: { ...DEFAULT_HTTP_OPTIONS, ...deps.options },
    newId: deps.newId ?? randomUUID,
    now: deps.now ?? (() => new Date()),
  };
}
