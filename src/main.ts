/** The one place that reads the environment, builds everything and listens. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { BotConfigError, ConfigError, parseBotConfig, parseConfig } from './config.ts';
import { createI18n } from './i18n.ts';
import { createEngine, loadKnowledgeBase } from './engine/index.ts';
import type { Engine } from './engine/types.ts';
import { openStore } from './store/index.ts';
import { createLogger, createMetrics, type Logger } from './observability/index.ts';
import { createHttpApp } from './channels/http/index.ts';
import { createDrainableServer, DEFAULT_SERVER_POLICY } from './channels/http/server.ts';
import { createWidgetMount } from './channels/widget/index.ts';
import { createBotMount } from './channels/bot/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

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
const store = openStore({ ...config, dataDir: resolve(root, config.dataDir) }, logger);
const metrics = createMetrics({ defaults: true });

/** Builds the index after the server is listening, so /healthz answers and /readyz says 503 meanwhile. */
function loadEngine(contentDir: string, log: Logger): Promise<Engine> {
  return new Promise((done) => {
    setImmediate(() => {
      const started = Date.now();
      const { kb, errors } = loadKnowledgeBase(contentDir);
      for (const e of errors) log.warn({ file: e.file, line: e.line }, `content: ${e.message}`);
      const engine = createEngine(kb);
      log.info({ topics: kb.topics.length, sections: kb.sections.length, ms: Date.now() - started }, 'knowledge base loaded');
      done(engine);
    });
  });
}
const engine = loadEngine(resolve(root, config.contentDir), logger);

// Other channels (Teams bot, web widget) register their routes here.
const mounts: Array<(app: Express) => void> = [];
mounts.push(
  createWidgetMount({ engine, localesDir: resolve(root, config.localesDir), bundleFile: resolve(root, 'dist/widget.js'), log: (message) => logger.info(message) }),
);

// The Teams bot: POST /api/messages (warns loudly at start-up when MicrosoftAppId is unset).
mounts.push(createBotMount({ engine, store, i18n, logger, config: botConfig, storeQuestions: config.storeQuestions }));

const app = createHttpApp({ engine, store, i18n, logger, metrics, options: config, mounts });
const { server, drain } = createDrainableServer(app);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, store: config.store }, `listening on http://localhost:${port}`);
});

/** Stops accepting, lets running requests finish (keep-alive clients are told Connection: close), closes the store; exits 1 if cut off. */
async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  // Last resort if the store never closes: the drain has its own cut-off.
  setTimeout(() => process.exit(1), DEFAULT_SERVER_POLICY.drainTimeoutMs + 5000).unref();
  const clean = await drain();
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
