/** Logging, request ids and metrics shared by every channel. */
export { createLogger, type Logger } from './logger.ts';
export { requestId, cleanClientRequestId, type RequestIds } from './request-id.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { accessLog, routeLabel } from './access-log.ts';
