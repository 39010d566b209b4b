import type { i18n } from 'i18next';
import {
  ActivityTypes,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  INVOKE_RESPONSE_KEY,
  MemoryStorage,
  UserState,
  type Activity,
  type InvokeResponse,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { localeLang } from './intent.ts';
import type { BotConfig } from './config.ts';
import type { BotLogger } from './bot.ts';
import { connectorTimeout, ConnectorTimeoutError } from './endpoint.ts';
import type { TeamsOutbox } from './deliveries.ts';
import { StoreUnavailableError } from '../../store/types.ts';
import { invokeLang, invokeMessage } from './invoke.ts';

/**
 * The SDK's public-cloud settings with another OpenID metadata URL for channel tokens. Setting any one
 * of these makes the SDK expect all of them, so the rest are its own defaults (AuthenticationConstants).
 */
function publicCloudWith(openIdMetadataUrl: string): Record<string, string> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** A CloudAdapter whose activity processing the route calls itself, so it can answer authentication failures. */
export class StepwiseAdapter extends CloudAdapter {
  /** Authenticates the activity and runs the turn; rejects with the SDK's authentication errors (CloudAdapter#process would turn them into 500s). */
  processAuthenticated(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * A CloudAdapter that checks Bot Framework tokens with the configured identity. With no
 * MicrosoftAppId the SDK treats authentication as disabled: that is local mode. With `outbox`, a reply the
 * connector does not take is queued there (see connectorTimeout); without, the turn fails with it.
 */
export function createAdapter(config: BotConfig, i18n: i18n, logger: BotLogger, outbox?: TeamsOutbox): StepwiseAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId,
    ...(config.openIdMetadataUrl ? publicCloudWith(config.openIdMetadataUrl) : {}),
  });
  const adapter = new StepwiseAdapter(auth);
  adapter.use(connectorTimeout(config.connectorTimeoutMs, outbox));
  adapter.onTurnError = turnErrorHandler(i18n, logger);
  return adapter;
}

/**
 * The one place bot errors are handled: log, then tell the user in their language (best effort). An invoke
 * failed mid-turn gets an invoke response saying so (the adapter would answer 501); a turn whose reply could be
 * neither delivered nor kept in the outbox (the store cannot write) is rethrown, so the route answers 503 (504
 * without an outbox) instead of a 200 for a reply that is lost.
 */
export function turnErrorHandler(i18n: i18n, logger: BotLogger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type, activityName: context.activity.name }, 'bot: turn failed');
    if (context.activity.type === ActivityTypes.Invoke) {
      // A response set before the failure (e.g. saving state failed afterwards) stands.
      if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
      const text = i18n.getFixedT(invokeLang(context.activity), 'bot')('error');
      context.turnState.set(INVOKE_RESPONSE_KEY, { type: ActivityTypes.InvokeResponse, value: invokeMessage(context.activity, text) });
      return;
    }
    if (error instanceof ConnectorTimeoutError || error instanceof StoreUnavailableError) throw error;
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
