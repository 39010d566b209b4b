import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** A structured JSON logger; `destination` lets tests capture lines instead of writing stdout. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
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
