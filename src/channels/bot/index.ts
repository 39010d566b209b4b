/**
 * The Teams bot channel. Everything Bot-Framework-specific (botbuilder, botbuilder-azure-blobs,
 * the Teams manifest) stays in this folder, so moving to the Microsoft 365 Agents SDK touches it only.
 */
import { randomUUID } from 'node:crypto';
import { readiness } from '../readiness.ts';
import type { Express } from 'express';
import type { i18n } from 'i18next';
import type { Storage, TurnContext } from 'botbuilder';
import type { Engine } from '../../engine/types.ts';
import type { Store } from '../../store/types.ts';
import type { Reader } from '../../support/reader.ts';
import { createAdapter, createState, createStorage, type StepwiseAdapter } from './adapter.ts';
import { TicketRouter } from './routing.ts';
import { StepwiseBot, type BotLogger } from './bot.ts';
import { isLocalMode, type BotConfig } from './config.ts';
import { activityGate, processActivity } from './endpoint.ts';
import { TeamsOutbox } from './deliveries.ts';

export { StepwiseBot, type BotLogger, type StepwiseBotDeps } from './bot.ts';
export { parseBotConfig, isLocalMode, BOT_CONFIG_DOC, BotConfigError, type BotConfig } from './config.ts';
export { createAdapter, createState, createStorage } from './adapter.ts';
export { TicketRouter, EXPERTS_ADDRESS } from './routing.ts';
export { TeamsOutbox } from './deliveries.ts';

export interface BotMountDeps {
  /** The engine, or a promise of it while the knowledge base loads (activities wait for it). */
  engine: Engine | Promise<Engine>;
  store: Store;
  i18n: i18n;
  config: BotConfig;
  logger?: BotLogger;
  storeQuestions?: boolean;
  /** State storage; defaults to createStorage(config): memory, or Blob Storage when configured. */
  storage?: Storage;
  /** The API's keys (API_KEYS): in local mode, one of them must be sent (x-api-key or Authorization: Bearer). */
  apiKeys?: string[];
  /** Route path; Azure Bot Service and Teams post to /api/messages by convention. */
  path?: string;
  /** The engine's reading of questions for tickets (undefined while loading); absent: no Ask an expert in Teams. */
  reader?: () => Reader | undefined;
}

const consoleLogger: BotLogger = {
  info: (msg) => console.info(msg),
  warn: (objOrMsg, msg) => (msg === undefined ? console.warn(objOrMsg) : console.warn(msg, objOrMsg)),
  error: (obj, msg) => console.error(msg ?? 'bot error', obj),
};

/** The adapter, the bot (built once the engine is ready) and the ticket router, for tests and for the mount. */
export function createBotRuntime(deps: BotMountDeps): { adapter: StepwiseAdapter; bot: Promise<StepwiseBot>; router: TicketRouter; outbox: TeamsOutbox } {
  const logger = deps.logger ?? consoleLogger;
  if (isLocalMode(deps.config)) {
    logger.warn(
      'bot: LOCAL MODE — MicrosoftAppId is not set, so POST /api/messages accepts activities WITHOUT Bot Framework authentication. ' +
        'Use this only with local test clients; set MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId in any deployment.',
    );
  }
  const outbox = new TeamsOutbox({
    store: deps.store,
    appId: deps.config.appId,
    attempts: deps.config.deliveryAttempts,
    backoffMs: deps.config.deliveryBackoffMs,
    logger,
    newId: randomUUID,
  });
  const adapter = createAdapter(deps.config, deps.i18n, logger, outbox);
  outbox.start(adapter);
  const { conversationState, userState } = createState(deps.storage ?? createStorage(deps.config));
  const router = new TicketRouter({ adapter, appId: deps.config.appId, store: deps.store, i18n: deps.i18n, logger, configured: deps.config.expertChannel });
  const tickets = deps.reader ? { tickets: { reader: deps.reader, router } } : {};
  // Activities that arrive while the knowledge base loads wait for it (see ../readiness.ts).
  const bot = readiness(deps.engine).ready.then(
    (engine) =>
      new StepwiseBot({ engine, store: deps.store, i18n: deps.i18n, conversationState, userState, logger, storeQuestions: deps.storeQuestions, ...tickets }),
  );
  return { adapter, bot, router, outbox };
}

/** The bot's route and its ticket router (which other channels' ticket changes go to). */
export function createBotChannel(deps: BotMountDeps): { mount: (app: Express) => void; router: TicketRouter; outbox: TeamsOutbox } {
  const { adapter, bot, router, outbox } = createBotRuntime(deps);
  const logger = deps.logger ?? consoleLogger;
  const logic = bot.then((ready) => (context: TurnContext) => ready.run(context));
  const mount = (app: Express) => {
    app.post(deps.path ?? '/api/messages', ...activityGate(deps.config, logger, deps.apiKeys), processActivity(adapter, logic, logger));
  };
  return { mount, router, outbox };
}

/** Adds `POST /api/messages`: the activity gate (size, shape, serviceUrl, rate limits), then the adapter. */
export function createBotMount(deps: BotMountDeps): (app: Express) => void {
  return createBotChannel(deps).mount;
}
