import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics the channels update; one registry per app so tests stay independent. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  answers: Counter<'status' | 'lang' | 'channel'>;
  /** When the serving content was loaded (Unix seconds), labelled with its hash: one series, reset on each swap. */
  contentLoaded: Gauge<'hash'>;
  /** Content reloads by result: reloaded, unchanged or refused. */
  contentReloads: Counter<'result'>;
}

/** Creates the registry and metrics; `defaults` adds process metrics (CPU, memory, event loop). */
export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults) {
    collectDefaultMetrics({ register: registry });
    // /metrics is open: the runtime's exact version would tell anyone which advisories apply (issue 11).
    registry.removeSingleMetric('nodejs_version_info');
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'stepwise_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    answers: new Counter({
      name: 'stepwise_answers_total',
      help: 'Answers given, by status (answered, clarify, not_found), answer language and channel.',
      labelNames: ['status', 'lang', 'channel'],
      registers: [registry],
    }),
    contentLoaded: new Gauge({
      name: 'stepwise_content_loaded_timestamp_seconds',
      help: 'When the serving knowledge base was loaded (Unix time), labelled with its content hash.',
      labelNames: ['hash'],
      registers: [registry],
    }),
    contentReloads: new Counter({
      name: 'stepwise_content_reloads_total',
      help: 'Content reloads (SIGHUP, POST /api/v1/admin/reload, file watcher) by result: reloaded, unchanged, refused.',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
