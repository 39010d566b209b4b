import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

let stdout: DestinationStream | undefined;

/**
 * stdout, written once per event-loop turn: the lines logged during a turn (every request that finished in it) go out
 * together, in one synchronous write at the end of the turn, instead of one write each. Before the process exits, and
 * before an uncaught exception ends it, what is pending is written, so a crash does not eat the last lines.
 * Synchronous writes on purpose: pino's asynchronous stdout re-measures and re-copies its growing buffer on every line
 * under load (about 11 KB of garbage per line). One per process, shared by its loggers.
 */
export function turnBufferedStdout(): DestinationStream {
  if (stdout) return stdout;
  const out = pino.destination({ dest: 1, sync: true });
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending) return;
    const lines = pending;
    pending = '';
    out.write(lines);
  };
  process.on('exit', flush);
  process.on('uncaughtExceptionMonitor', flush);
  stdout = {
    write(line: string) {
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
  return stdout;
}

/** A structured JSON logger writing stdout (see turnBufferedStdout); `destination` lets tests capture lines instead. */
export function createLogger(level: string, destination: DestinationStream = turnBufferedStdout()): Logger {
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
