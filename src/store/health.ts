import { StoreUnavailableError, type StoreHealth } from './types.ts';

/** What the stores log through (a pino logger fits). */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Logs nothing (tests, the bench). */
export const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };

/**
 * Ready/not-ready with the reason, and a probe that runs while not ready: a failing store recovers
 * by itself once a probe write (or any real write) succeeds again.
 */
export class HealthState {
  private reason: string | undefined = 'starting';
  private timer?: NodeJS.Timeout;

  constructor(
    /** One small committed write; rejects while the fault lasts. */
    private readonly probe: () => Promise<void>,
    private readonly probeIntervalMs: number,
    private readonly logger: StoreLogger,
  ) {}

  get(): StoreHealth {
    return this.reason === undefined ? { ready: true } : { ready: false, reason: this.reason };
  }

  /** A write or read succeeded (or start-up finished). */
  ok(): void {
    if (this.reason === undefined) return;
    if (this.reason !== 'starting') this.logger.info({ was: this.reason }, 'store: writable again');
    this.reason = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A fault: not ready until a probe or a write succeeds. */
  fail(error: StoreUnavailableError): void {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    if (this.reason !== reason) this.logger.error({ err: error.cause ?? error }, `store: unavailable (${reason})`);
    this.reason = reason;
    this.timer ??= setInterval(
      () =>
        void this.probe().then(
          () => this.ok(),
          () => {},
        ),
      this.probeIntervalMs,
    ).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Wraps a database fault as the typed error the HTTP layer answers 503 for. */
export function unavailable(what: string, cause: unknown): StoreUnavailableError {
  const detail = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
  return new StoreUnavailableError(`cannot ${what} (${detail})`, { cause });
}
