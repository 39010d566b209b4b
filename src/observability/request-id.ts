import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

export const CLIENT_REQUEST_ID_MAX = 40;

/** Reduces a client-supplied id to letters, digits, '-' and '_', at most 40 characters ('' if nothing is left). */
export function cleanClientRequestId(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.replace(/[^A-Za-z0-9_-]/g, '').slice(0, CLIENT_REQUEST_ID_MAX);
}

export interface RequestIds {
  requestId: string;
  clientRequestId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    ids: RequestIds;
  }
}

/**
 * Gives every request a server-made GUID (`x-request-id`) and echoes a cleaned
 * `x-ms-client-request-id`, so a support ticket can name both.
 */
export function requestId(options: { newId?: () => string } = {}): RequestHandler {
  const newId = options.newId ?? randomUUID;
  return (req, res, next) => {
    const ids: RequestIds = { requestId: newId() };
    const client = cleanClientRequestId(req.headers['x-ms-client-request-id']);
    if (client) ids.clientRequestId = client;
    req.ids = ids;
    res.setHeader('x-request-id', ids.requestId);
    if (client) res.setHeader('x-ms-client-request-id', client);
    next();
  };
}
