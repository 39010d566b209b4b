import type { i18n } from 'i18next';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  UserState,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { localeLang } from './intent.ts';
import type { BotConfig } from './config.ts';
import type { BotLogger } from './bot.ts';

/**
 * A CloudAdapter that checks Bot Framework tokens with the configured identity. With no
 * MicrosoftAppId the SDK treats authentication as disabled: that is local mode.
 */
export function createAdapter(config: BotConfig, i18n: i18n, logger: BotLogger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(i18n, logger);
  return adapter;
}

/** The one place bot errors are handled: log, then tell the user in their language (best effort). */
export function turnErrorHandler(i18n: i18n, logger: BotLogger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type, activityName: context.activity.name }, 'bot: turn failed');
    // Invokes expect an invoke response, not a message; the adapter answers them with 500 on its own.
    if (context.activity.type !== 'message') return;
    const lang = localeLang(context.activity.locale) ?? 'en';
    try {
      await context.sendActivity(i18n.getFixedT(lang, 'bot')('error'));
    } catch (sendError) {
      logger.error({ err: sendError }, 'bot: could not report the failure to the user');
    }
  };
}

/** Memory by default; Azure Blob Storage when a connection string is configured (shared by all instances). */
export function createStorage(config: BotConfig): Storage {
  return config.blobConnectionString ? new BlobsStorage(config.blobConnectionString, config.blobContainer) : new MemoryStorage();
}

/** Conversation and user state over one storage. */
export function createState(storage: Storage): { conversationState: ConversationState; userState: UserState } {
  return { conversationState: new ConversationState(storage), userState: new UserState(storage) };
}
