/** Browser-test fixtures: the real HTTP app (real engine, real content, memory store, widget mount) on a free port, and headless Debian Chromium. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { Express } from 'express';
import { createEngine, loadKnowledgeBase } from '../../src/engine/index.ts';
import type { Engine } from '../../src/engine/types.ts';
import { createI18n } from '../../src/i18n.ts';
import { createMemoryStore, type MemoryStore } from '../../src/store/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createHttpApp } from '../../src/channels/http/index.ts';
import { createWidgetMount } from '../../src/channels/widget/index.ts';

export const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

let engine: Engine | undefined;
/** The real engine over content/, loaded once. */
export function realEngine(): Engine {
  engine ??= createEngine(loadKnowledgeBase(root('content')).kb);
  return engine;
}

export interface TestServer {
  url: string;
  port: number;
  store: MemoryStore;
  /** Stops listening and drops open connections (the "server went away" case). */
  stop(): Promise<void>;
  /** Listens again on the same port with the same store. */
  start(): Promise<void>;
}

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
}

/** Starts createHttpApp with the widget mount on 127.0.0.1 (a free port unless given). */
export async function startServer(
  options: { corsOrigins?: string[]; apiKeys?: string[]; widgetKeys?: Array<{ key: string; origin: string }> } = {},
): Promise<TestServer> {
  const store = createMemoryStore();
  const i18n = createI18n(root('locales'));
  const mount = createWidgetMount({ engine: realEngine(), localesDir: root('locales') });
  const app = () =>
    createHttpApp({
      engine: realEngine(),
      store,
      i18n,
      logger: createLogger('silent'),
      options: {
        corsOrigins: options.corsOrigins ?? [],
        apiKeys: options.apiKeys ?? [],
        widgetKeys: options.widgetKeys ?? [],
        rateLimit: { max: 10_000, windowMs: 60_000 },
      },
      mounts: [mount],
    });
  let server = await listen(app(), 0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    start: async () => {
      server = await listen(app(), port);
    },
  };
}

/** A plain server for a host page on another origin: `pages` maps a path to [content type, body, extra headers]. */
export async function startStaticServer(
  pages: (origin: string) => Record<string, [string, string, Record<string, string>?]>,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server = createServer((req, res) => {
    const page = pages(origin)[req.url ?? '/'];
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': page[0], ...page[2] }).end(page[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Debian's Chromium, headless, with the flags the project uses everywhere (never a downloaded browser). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Polls `check` until it returns a value (or true), failing after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('eventually: condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
