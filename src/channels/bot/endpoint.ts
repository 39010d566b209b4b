/**
 * POST /api/messages before the adapter sees it: size, shape, where replies may go and how often,
 * and every refusal as one problem response and one JSON log line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { HttpProblem, type ProblemCode } from '../http/problem.ts';
import { refuseDeclaredOversize } from '../http/routes/json.ts';
import { keyMatcher, presentedKey } from '../http/security.ts';
import { isLocalMode, type BotConfig } from './config.ts';
import type { BotLogger } from './bot.ts';
import type { StepwiseAdapter } from './adapter.ts';
import { QUEUED_KEY, type TeamsOutbox } from './deliveries.ts';
import { nextLoopIteration } from '../loop.ts';

/**
 * Largest activity accepted, 256 KiB: the Bot Framework's own payload limit (262,144 bytes; Direct Line: an activity
 * "must not exceed 256K characters" as JSON), above Teams' message limit (about 100 KB, UTF-16). The bot reads at most
 * 65,536 characters of a message (MESSAGE_READ_CHARS); a larger body only costs JSON.parse time in one block
 * (~10–20 ms per MB).
 */
export const BOT_BODY_LIMIT_BYTES = 256 * 1024;

/** Seconds a client is asked to wait when the identity service cannot be reached. */
const IDENTITY_RETRY_SECONDS = 30;

const KNOWN_TYPES = new Set<string>(Object.values(ActivityTypes));

/** Sends `code` as the problem response and writes one log line saying why. */
function refuse(logger: BotLogger, req: Request, next: NextFunction, code: ProblemCode, reason: string, params: Record<string, string | number> = {}): void {
  logger.warn(
    { event: 'bot.refused', status: new HttpProblem(code).status, code, reason: reason.slice(0, 300), requestId: req.ids?.requestId },
    'bot: request refused',
  );
  next(new HttpProblem(code, params));
}

/** Why a body is not an activity the adapter can take, or undefined when it is one. */
export function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not an object';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || !KNOWN_TYPES.has(a.type) || a.type === ActivityTypes.InvokeResponse) return 'unknown activity type';
  const conversation = a.conversation as Record<string, unknown> | undefined;
  if (typeof conversation !== 'object' || conversation === null || typeof conversation.id !== 'string' || conversation.id === '') return 'no conversation id';
  if (typeof a.serviceUrl !== 'string' || !/^https?:\/\//i.test(a.serviceUrl) || !URL.canParse(a.serviceUrl)) return 'no http(s) serviceUrl';
  if (a.text !== undefined && typeof a.text !== 'string') return 'text is not a string';
  if (a.from !== undefined && (typeof a.from !== 'object' || a.from === null)) return 'from is not an object';
  if (a.recipient !== undefined && (typeof a.recipient !== 'object' || a.recipient === null)) return 'recipient is not an object';
  if (a.entities !== undefined && !Array.isArray(a.entities)) return 'entities is not an array';
  return undefined;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** In local mode nobody vouches for serviceUrl, so replies go only to loopback or an allowlisted origin. */
export function serviceUrlAllowed(serviceUrl: string, allowlist: readonly string[]): boolean {
  const url = new URL(serviceUrl);
  return LOOPBACK.test(url.hostname) || allowlist.includes(url.origin);
}

/** A per-minute limiter keyed by `key`; refusals go through `refuse`. */
function limiter(max: number, key: (req: Request) => string, logger: BotLogger, what: string): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, res, next) =>
      refuse(logger, req, next, 'rateLimited', `too many activities per ${what}`, { seconds: Number(res.getHeader('Retry-After')) || 60 }),
  });
}

/**
 * The checks in front of the adapter, in order: API key (local mode with `apiKeys`), declared size, JSON,
 * shape, serviceUrl (local mode), rate limits.
 */
export function activityGate(config: BotConfig, logger: BotLogger, apiKeys: readonly string[] = []): RequestHandler[] {
  const local = isLocalMode(config);
  const gate: RequestHandler[] = [];
  // Without a Bot Framework identity nothing else vouches for the caller: the API's keys guard this door too.
  if (local && apiKeys.length) {
    const matches = keyMatcher(apiKeys);
    gate.push((req, res, next) => {
      if (matches(presentedKey(req))) return next();
      res.setHeader('WWW-Authenticate', 'Bearer');
      refuse(logger, req, next, 'unauthorized', 'no valid API key in local mode');
    });
  }
  gate.push(refuseDeclaredOversize(BOT_BODY_LIMIT_BYTES), express.json({ limit: BOT_BODY_LIMIT_BYTES }), (req, _res, next) => {
    const problem = activityProblem(req.body);
    if (problem) return refuse(logger, req, next, 'badActivity', problem);
    if (local && !serviceUrlAllowed((req.body as Activity).serviceUrl, config.serviceUrlAllowlist)) {
      return refuse(
        logger,
        req,
        next,
        'serviceUrlNotAllowed',
        `serviceUrl ${new URL((req.body as Activity).serviceUrl).origin} is not loopback or allowlisted`,
      );
    }
    next();
  });
  if (config.rateLimitPerMinute > 0) {
    gate.push(limiter(config.rateLimitPerMinute, (req) => `conversation:${(req.body as Activity).conversation.id}`, logger, 'conversation'));
    // In local mode the conversation id is whatever the client says, so the client's address is limited too.
    if (local) gate.push(limiter(config.rateLimitPerMinute, (req) => `ip:${ipKeyGenerator(req.ip ?? '')}`, logger, 'client'));
  }
  return gate;
}

/** How an error thrown by the adapter's authentication maps to a refusal; undefined when it is not one. */
export function authRefusal(err: unknown): { code: ProblemCode; params?: Record<string, number> } | undefined {
  const e = (err ?? {}) as { name?: string; statusCode?: number };
  // botframework-connector's AuthenticationError carries the status it means; 500 is "could not load the keys".
  if (e.statusCode === 401) return { code: 'botUnauthorized' };
  if (e.name === 'JsonWebTokenError' || e.name === 'NotBeforeError' || e.name === 'TokenExpiredError') return { code: 'botUnauthorized' };
  if (e.statusCode === 500 || e.name === 'FetchError' || e.name === 'AbortError')
    return { code: 'identityUnavailable', params: { seconds: IDENTITY_RETRY_SECONDS } };
  return undefined;
}

const sdkOutput = new AsyncLocalStorage<string[]>();
let consoleRouted = false;

/**
 * Runs `fn` with what the Bot Framework SDK writes to the console collected in `lines`. The SDK logs
 * refused tokens with console.error: stack traces and PEM keys over many lines, which would break the
 * one-JSON-line log. Output outside such a call is written as before.
 */
export function collectSdkOutput<T>(lines: string[], fn: () => Promise<T>): Promise<T> {
  if (!consoleRouted) {
    consoleRouted = true;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method].bind(console);
      console[method] = (...args: unknown[]) => {
        const sink = sdkOutput.getStore();
        if (sink) sink.push(format(...args));
        else original(...args);
      };
    }
  }
  return sdkOutput.run(lines, fn);
}

/** Thrown into a turn when the connector does not answer a reply in time. */
export class ConnectorTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`bot: the connector did not answer within ${ms} ms`);
    this.name = 'ConnectorTimeoutError';
  }
}

/** What the connector client of a turn (botframework-connector's ConnectorClient) sends every call through. */
interface OperationClient {
  sendOperationRequest(args: { options?: { abortSignal?: AbortSignal; timeout?: number } }, spec: unknown, callback?: unknown): Promise<unknown>;
}

/**
 * Gives every call of this turn's connector client a deadline: at `ms` the HTTP request is aborted and its socket
 * destroyed, and the SDK's retries stop there too (one deadline spans them). The SDK offers no per-client timeout
 * (ConnectorFactoryImpl replaces any request policies it is given), so the client's one entry point is wrapped.
 */
function withDeadline(client: OperationClient, ms: number): void {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = (args, spec, callback) => {
    const deadline = AbortSignal.timeout(ms);
    const options = args?.options ?? {};
    const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, deadline]) : deadline;
    return send({ ...args, options: { ...options, timeout: ms, abortSignal } }, spec, callback);
  };
}

/**
 * Gives up on replies and card updates the connector does not answer within `ms`, so a slow serviceUrl cannot
 * hold the request, and closes the connection to it (no socket left waiting on a tarpit). With an outbox, a send or
 * update that timed out or failed for a reason that may pass is committed there and sent again later; the turn goes
 * on as if it had been sent (a queued message has no id yet).
 */
export function connectorTimeout(ms: number, outbox?: TeamsOutbox): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  const inTime = <T>(call: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new ConnectorTimeoutError(ms)), ms)));
    return Promise.race([call(), late]).finally(() => clearTimeout(timer));
  };
  return async (context, next) => {
    const connector = context.turnState.get<Partial<OperationClient> | undefined>(context.adapter.ConnectorClientKey);
    if (typeof connector?.sendOperationRequest === 'function') withDeadline(connector as OperationClient, ms);
    context.onSendActivities(async (ctx, activities, send) => {
      try {
        return await inTime(send);
      } catch (err) {
        if (!outbox?.takes(ctx, err)) throw err;
        await outbox.queue(ctx, { activities }, err);
        return activities.map(() => ({ id: '' }));
      }
    });
    context.onUpdateActivity(async (ctx, activity, update) => {
      try {
        await inTime(update);
      } catch (err) {
        if (!outbox?.takes(ctx, err)) throw err;
        await outbox.queue(ctx, { update: activity }, err);
      }
    });
    await next();
  };
}

/** Hands an activity that passed the gate to the adapter; authentication failures become 401/503 refusals. */
export function processActivity(adapter: StepwiseAdapter, logic: Promise<(context: TurnContext) => Promise<void>>, logger: BotLogger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const run = await logic;
    // The body was parsed in this same event-loop iteration, and the turn itself runs in microtasks up to its first
    // I/O: without a yield here both are one block, and so are the turns of activities that arrived together.
    await nextLoopIteration();
    const lines: string[] = [];
    // Replies the connector did not take and that were committed to the outbox instead (see connectorTimeout).
    const queued = { n: 0 };
    const counted = (context: TurnContext) => {
      context.turnState.set(QUEUED_KEY, queued);
      return run(context);
    };
    try {
      const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const response = await collectSdkOutput(lines, () => adapter.processAuthenticated(auth, req.body as Activity, counted));
      if (lines.length) logger.warn({ event: 'bot.sdk', output: lines.join('\n').slice(0, 2000) }, 'bot: SDK output');
      // Accepted, not done: the answer is recorded and the reply is in the outbox, both committed, to be sent again.
      // An invoke's response is its own (Teams shows anything but 200 as a failure).
      res.status(response?.status ?? (queued.n > 0 ? 202 : 200));
      if (response?.body !== undefined) res.json(response.body);
      else res.end();
    } catch (err) {
      // The turn ran (its answer is recorded) but its reply did not reach the conversation: a gateway timeout, not a 200.
      if (err instanceof ConnectorTimeoutError) return refuse(logger, req, next, 'connectorTimeout', err.message, { ms: err.ms });
      const refusal = authRefusal(err);
      if (!refusal) return next(err);
      if (refusal.code === 'botUnauthorized') res.setHeader('WWW-Authenticate', 'Bearer');
      refuse(logger, req, next, refusal.code, `${(err as Error).name}: ${(err as Error).message}`, refusal.params);
    }
  };
}
