import type { Request } from 'express';
import type { Channel } from '../../store/types.ts';

/** The header a client of the API sends to say which product it is (the web widget sends `widget`). */
export const CHANNEL_HEADER = 'x-stepwise-channel';

/** The channels that reach the store through this API; the bot and the CLI have their own ways in. */
export const HTTP_CHANNELS = ['http', 'widget'] as const satisfies readonly Channel[];
export type HttpChannel = (typeof HTTP_CHANNELS)[number];

/** The channel a request names in `x-stepwise-channel` (case-insensitive); any other value, or none, is 'http'. */
export function requestChannel(req: Request): HttpChannel {
  const raw = req.headers[CHANNEL_HEADER];
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return (HTTP_CHANNELS as readonly string[]).includes(value) ? (value as HttpChannel) : 'http';
}
