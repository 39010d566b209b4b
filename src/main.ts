/** The one place that reads the environment, builds everything and listens. */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { BotConfigError, ConfigError, parseBotConfig, parseConfig } from './config.ts';
import { createI18n } from './i18n.ts';
import { createLiveContent } from './content/live.ts';
import { watchContent } from './content/watch.ts';
import { workerParser } from './content/parse-off-thread.ts';
import { openStore } from './store/open.ts';
import { createLogger, createMetrics } from './observability/index.ts';
import { createHttpApp, type Mount } from './channels/http/index.ts';
import { createDrainableServer, DEFAULT_SERVER_POLICY } from './channels/http/server.ts';
import { createWidgetMount } from './channels/widget/index.ts';
import { isLocalMode } from './channels/bot/config.ts';
import { createReader, type Reader } from './support/reader.ts';
import { createWebhook } from './support/webhook.ts';
import { createTicketRoutes } from './channels/http/routes/tickets.ts';
import { watchTickets } from './support/watch.ts';
import type { TicketRouter } from './channels/bot/routing.ts';
import { createAdminMount } from './channels/admin/index.ts';

// Every module above is loaded and evaluated by now: the first start-up phase ends here.
const modulesLoadedAt = performance.now();
const root = fileURLToPath(new URL('..', import.meta.url));
// dist/main.js is built together with dist/content.json; the TypeScript sources may be newer than that snapshot.
const compiled = import.meta.url.endsWith('.js');

let config;
let botConfig;
try {
  config = parseConfig(process.env);
  botConfig = parseBotConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof BotConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const i18n = createI18n(resolve(root, config.localesDir));
const metrics = createMetrics({ defaults: true });
const database = await openStore({ ...config, dataDir: resolve(root, config.dataDir) }, logger);
// Ticket events go through the database's outbox: with a webhook configured, `store` commits each ticket change's
// event in the change's transaction (every channel uses this store), and the webhook sends them, also those a
// stopped process left pending.
const webhook = config.ticketWebhook && createWebhook({ ...config.ticketWebhook, store: database, registry: metrics.registry, logger });
const store = webhook ? webhook.withEvents(database) : database;

// The knowledge base loads after the server is listening (/healthz answers, /readyz says 503 meanwhile), and is
// swappable: SIGHUP, POST /api/v1/admin/reload and, with CONTENT_WATCH, a file change reload it.
const contentDir = resolve(root, config.contentDir);
const content = createLiveContent({
  dir: contentDir,
  snapshotFile: compiled ? resolve(root, 'dist/content.json') : undefined,
  logger,
  // Compiled, reloads parse in a worker thread: the Markdown and YAML of the whole folder is most of a reload's CPU.
  // Under tsx (npm run dev, tests) in this thread: Node 20 does not pass tsx's loader on to a worker.
  ...(compiled ? { parse: workerParser(resolve(root, 'dist/content-worker.js')) } : {}),
});
const engine = content.ready;

// Other channels (Teams bot, web widget) register their routes here.
const mounts: Mount[] = [];
mounts.push(
  createWidgetMount({
    engine,
    localesDir: resolve(root, config.localesDir),
    bundleFile: resolve(root, 'dist/widget.js'),
    log: (message) => logger.info(message),
  }),
);

// The Teams bot: POST /api/messages. botbuilder and the Azure SDKs are a third of start-up, so the bot is loaded once
// the server is ready (or by an earlier activity): its routes go on a mounted sub-app (which shares the app's settings), after the loader.
if (isLocalMode(botConfig))
  logger.warn(
    'bot: LOCAL MODE — MicrosoftAppId is not set: POST /api/messages accepts activities without Bot Framework authentication (details when the bot loads, just after ready)',
  );
const botApp = express();
let botLoaded: Promise<TicketRouter> | undefined;
/** Loads the bot on first use, an activity or a ticket to route to the Teams experts' channel; resolves with its ticket router. */
const loadBot = () =>
  (botLoaded ??= import('./channels/bot/index.ts').then(({ createBotChannel }) => {
    const reader = () => currentReader();
    const channel = createBotChannel({
      engine,
      store,
      i18n,
      logger,
      config: botConfig,
      storeQuestions: config.storeQuestions,
      apiKeys: config.apiKeys,
      reader,
    });
    channel.mount(botApp);
    return channel.router;
  }));
botApp.post('/api/messages', (_req, _res, next) => {
  loadBot().then(() => next(), next);
});
mounts.push((app) => app.use(botApp));

// Tickets (and the admin dashboard) read questions with the engine's understand stage over the serving content's
// catalog, built on first use after each swap: parsing catalog.yaml again here was a third of the time to ready.
let reader: Reader | undefined;
content.onSwap(() => {
  reader = undefined;
});
const currentReader = (): Reader | undefined => {
  const loaded = content.current();
  if (loaded) reader ??= createReader(loaded.kb.topics);
  return reader;
};
// Tickets opened or changed through the API (the widget's too) are routed to the Teams experts' channel as well; the
// bot routes its own. Routing runs after the change is committed and never holds the request.
const routed = watchTickets(
  store,
  (change) =>
    void loadBot().then(
      (router) => router.changed(change),
      (err: unknown) => logger.error({ err }, 'bot: could not load to route a ticket to Teams'),
    ),
);
mounts.unshift(createTicketRoutes({ store: routed, reader: currentReader, adminKeys: config.adminKeys }));
// The support dashboard (/admin). For Entra ID sign-in, pass `authorize` here (see createAdminMount).
mounts.push(createAdminMount({ store, engine: () => content.current()?.engine, reader: currentReader, adminKeys: config.adminKeys, i18n }));

const app = createHttpApp({ engine, store, i18n, logger, metrics, options: config, mounts, content });
const { server, drain } = createDrainableServer(app);
let listeningAt = 0;
server.listen(config.port, config.host, () => {
  listeningAt = performance.now();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, store: config.store }, `listening on http://localhost:${port}`);
});
// Start-up phases (ms since the process started), for `npm run bench:start`.
void engine.then(() => {
  const ready = performance.now();
  const boot = performance.nodeTiming.bootstrapComplete;
  // Under `npm start`, src/tools/start.mjs checks dist/ is up to date before importing this module.
  const launched = performance.getEntriesByName('stepwise:launched')[0]?.startTime ?? boot;
  const cpu = process.cpuUsage();
  const phases = {
    node: boot,
    launch: launched - boot,
    modules: modulesLoadedAt - launched,
    listen: listeningAt - modulesLoadedAt,
    content: ready - listeningAt,
    ready,
    cpu: (cpu.user + cpu.system) / 1000,
  };
  const rounded = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]));
  logger.info({ phases: rounded, content: content.current()!.version.source, compiled, pid: process.pid }, 'ready');
  // Load the bot now that the server is ready (half a second of one event-loop turn, compiled), not inside the first
  // activity's request, where it would hold every other request that long. Once loaded it also sends the Teams
  // replies and notifications a process before this one left in the outbox.
  setImmediate(() => void loadBot().catch((err: unknown) => logger.error({ err }, 'bot: could not load')));
});

/** Reloads the content (SIGHUP, the file watcher); errors are logged with file and line by the loader. */
function reload(reason: string): void {
  content.reload().then(
    (result) => {
      metrics.contentReloads.inc({ result: result.status });
      logger.info({ reason, status: result.status, hash: result.version.hash, ms: result.ms }, `content reload: ${result.status}`);
    },
    (err: unknown) => logger.error({ err, reason }, 'content reload failed'),
  );
}
process.on('SIGHUP', () => reload('SIGHUP'));
if (config.contentWatch) watchContent(contentDir, () => reload('file changed'), logger);

/** Stops accepting, lets running requests finish (keep-alive clients are told Connection: close), closes the store; exits 1 if cut off. */
let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  // SIGINT and SIGTERM may both arrive (Ctrl-C under `npm run start:cluster`): drain once.
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // Last resort if the store never closes: the drain has its own cut-off.
  setTimeout(() => process.exit(1), DEFAULT_SERVER_POLICY.drainTimeoutMs + 5000).unref();
  const clean = await drain();
  await webhook?.close();
  try {
    await store.close();
  } catch (err) {
    logger.error({ err }, 'store did not close cleanly');
    process.exit(1);
  }
  logger.info({ clean }, clean ? 'shut down' : 'shut down: requests were cut off');
  process.exit(clean ? 0 : 1);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
