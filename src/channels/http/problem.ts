import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import { StoreUnavailableError } from '../../store/types.ts';
import { BODY_LIMIT_BYTES } from '../paste.ts';
import { problemLang } from './lang.ts';

/** Problem kinds: slug → HTTP status. The slug is also the i18n key under `http:problem.*`. */
export const PROBLEMS = {
  badRequest: 400,
  badQuery: 400,
  badJson: 400,
  badActivity: 400,
  unauthorized: 401,
  botUnauthorized: 401,
  serviceUrlNotAllowed: 403,
  adminDisabled: 403,
  notFound: 404,
  unknownTopic: 404,
  unknownTicket: 404,
  methodNotAllowed: 405,
  ticketResolved: 409,
  tooLarge: 413,
  unsupportedMediaType: 415,
  validation: 422,
  rateLimited: 429,
  internal: 500,
  notReady: 503,
  storeUnavailable: 503,
  identityUnavailable: 503,
  connectorTimeout: 504,
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

/** Why one field was refused; `code` is stable, the message is localized when sent. */
export interface FieldIssue {
  field: string;
  code: 'required' | 'type' | 'empty' | 'enum' | 'range' | 'maxLength' | 'unknownTopic' | 'unknownAnswer' | 'needQuestion' | 'stepOutOfRange' | 'noSteps';
  params?: Record<string, string | number>;
}

/** An error that becomes an RFC 9457 problem response; thrown by routes, sent by the error middleware. */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly params: Record<string, string | number> = {},
    readonly issues: FieldIssue[] = [],
  ) {
    super(`HttpProblem: ${code}`);
    this.status = PROBLEMS[code];
  }
}

export const PROBLEM_TYPE_BASE = 'urn:stepwise:problem:';
// The limit lives beside the code that fits pastes to it, which the browser widget bundles.
export { BODY_LIMIT_BYTES };

/** Writes `problem` as application/problem+json, title and detail in the request's language. */
export function sendProblem(req: Request, res: Response, problem: HttpProblem, i18n: i18n): void {
  const lang = problemLang(req);
  const t = i18n.getFixedT(lang, 'http');
  const params = { ...problem.params, requestId: req.ids?.requestId ?? '' };
  const body: Record<string, unknown> = {
    type: PROBLEM_TYPE_BASE + problem.code,
    title: t(`problem.${problem.code}.title`, params),
    status: problem.status,
    detail: t(`problem.${problem.code}.detail`, params),
    instance: req.originalUrl.slice(0, 512),
    requestId: params.requestId,
  };
  if (problem.issues.length) {
    body.errors = problem.issues.map((issue) => ({
      field: issue.field,
      code: issue.code,
      message: t(`field.${issue.code}`, { ...issue.params, field: issue.field }),
    }));
  }
  res.status(problem.status).setHeader('Content-Language', lang);
  res.type('application/problem+json').send(JSON.stringify(body));
}

/** The English 400 problem body for a request Node's HTTP parser refused (no request, so no language, id or URL to name). */
export function unparsableRequestBody(i18n: i18n): string {
  const t = i18n.getFixedT('en', 'http');
  return JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}badRequest`,
    title: t('problem.badRequest.title'),
    status: 400,
    detail: t('problem.unparsable.detail'),
    instance: '',
    requestId: '',
  });
}

/** Maps body-parser and router errors (which carry `type`/`status`) to problems; anything else is a 500. */
function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof StoreUnavailableError) return new HttpProblem('storeUnavailable', { seconds: err.retryAfterSeconds });
  const e = (err ?? {}) as { type?: string; status?: number; statusCode?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpProblem('badJson');
    case 'entity.too.large':
      return new HttpProblem('tooLarge', { limit: BODY_LIMIT_BYTES });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem('unsupportedMediaType');
  }
  const status = e.status ?? e.statusCode;
  if (status === 413) return new HttpProblem('tooLarge', { limit: BODY_LIMIT_BYTES });
  if (status === 415) return new HttpProblem('unsupportedMediaType');
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpProblem('badRequest');
  return new HttpProblem('internal');
}

/** The one error middleware of the HTTP channel: logs server faults, never leaks a stack. */
export function problemHandler(i18n: i18n, logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err);
    if (problem.status === 503) res.setHeader('Retry-After', String(problem.params.seconds ?? 1));
    if (problem.code === 'internal' || problem.code === 'storeUnavailable') {
      logger.error({ err, requestId: req.ids?.requestId }, problem.code === 'internal' ? 'request failed' : 'store unavailable');
    }
    sendProblem(req, res, problem, i18n);
  };
}

/**
 * Waits for a store call; any rejection means nothing was stored, so the request becomes a 503 with
 * Retry-After (the store's own StoreUnavailableError says how long), never a 500 or an acknowledgement.
 */
export async function stored<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** 404 for every path no route or mount claimed. */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new HttpProblem('notFound'));
}
