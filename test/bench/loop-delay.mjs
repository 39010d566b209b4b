/**
 * Preloaded into a server the hostile bench starts (NODE_OPTIONS=--import): the server's own event-loop delay,
 * from perf_hooks.monitorEventLoopDelay at 1 ms resolution. Each SIGUSR2 prints one JSON line,
 * {"loopDelay":{"max","p99","p50","mean","samples"}} in ms, for the time since the previous one, and starts over.
 * Plain JavaScript: it loads before tsx does.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;
process.on('SIGUSR2', () => {
  const loopDelay = {
    max: ms(histogram.max),
    p99: ms(histogram.percentile(99)),
    p50: ms(histogram.percentile(50)),
    mean: ms(histogram.mean),
    samples: histogram.count,
  };
  process.stdout.write(`${JSON.stringify({ loopDelay })}\n`);
  histogram.reset();
});
