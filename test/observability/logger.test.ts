import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const logger = fileURLToPath(new URL('../../src/observability/logger.ts', import.meta.url));

/** The `msg` of each stdout line of a process that logs two lines, then ends as `ending` says. */
function linesOf(ending: string): string[] {
  const script = `import { createLogger } from ${JSON.stringify(logger)};
const log = createLogger('info');
log.info('first');
log.info('second');
${ending}`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe('logger on stdout', () => {
  it('writes the lines of an event-loop turn, in order, by the end of the turn', () => {
    assert.deepEqual(linesOf(`setTimeout(() => log.info('next turn'), 5);`), ['first', 'second', 'next turn']);
  });

  it('writes pending lines when the process exits in the same turn, fatal line included', () => {
    assert.deepEqual(linesOf(`log.fatal('fatal'); process.exit(1);`), ['first', 'second', 'fatal']);
  });

  it('writes pending lines before an uncaught exception ends the process', () => {
    assert.deepEqual(linesOf(`throw new Error('boom');`), ['first', 'second']);
  });
});
