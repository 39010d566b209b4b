// `npm start` / `npm run start:cluster`: runs the compiled server (dist/main.js, or dist/cluster.js with `cluster`)
// in this process, so the signals npm forwards reach it. When dist/ is missing or older than its sources
// (src/, locales/, content/, package.json, package-lock.json) it is built first with `npm run build`; on an install
// without dev dependencies (no esbuild/tsx) a stale dist/ serves as it is and a missing one is a clear error.
// Plain JavaScript on purpose: it must run before anything is compiled.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { main: 'dist/main.js', cluster: 'dist/cluster.js' };
const OUTPUTS = ['dist/main.js', 'dist/cli.js', 'dist/cluster.js', 'dist/content-worker.js', 'dist/widget.js', 'dist/content.json'];
const INPUTS = ['src', 'locales', 'content', 'package.json', 'package-lock.json'];

/** Newest modification time (ms) of a file or of every file under a folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

/** Why dist/ must be built, or undefined when it is up to date. */
function staleness() {
  const missing = OUTPUTS.filter((f) => !existsSync(join(root, f)));
  if (missing.length) return `${missing.join(', ')} missing`;
  const built = Math.min(...OUTPUTS.map((f) => statSync(join(root, f)).mtimeMs));
  const changed = INPUTS.filter((f) => newest(join(root, f)) > built);
  return changed.length ? `${changed.join(', ')} changed since the last build` : undefined;
}

const name = process.argv[2] ?? 'main';
if (!(name in ENTRIES)) {
  console.error(`start: unknown entry "${name}" (main or cluster)`);
  process.exit(2);
}
// The entry reads its own arguments (cluster: --workers N).
process.argv.splice(2, 1);

const why = staleness();
if (why) {
  const canBuild = existsSync(join(root, 'node_modules/esbuild')) && existsSync(join(root, 'node_modules/tsx'));
  if (canBuild) {
    console.error(`start: building dist/ (${why})`);
    // Imported only to build: loading child_process costs an up-to-date start ~7-15 ms.
    const { spawnSync } = await import('node:child_process');
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('start: `npm run build` failed; nothing started');
      process.exit(build.status ?? 1);
    }
  } else if (existsSync(join(root, ENTRIES[name]))) {
    console.error(`start: dist/ may be out of date (${why}), and the build tools are not installed (dev dependencies); serving it as built`);
  } else {
    console.error(
      `start: ${ENTRIES[name]} is missing and the build tools (esbuild, tsx: dev dependencies) are not installed.\n` +
        'Build where they are (`npm ci && npm run build`), then drop them (`npm prune --omit=dev`) or copy dist/ next to an\n' +
        '`npm ci --omit=dev` install. See "Running it" in README.md.',
    );
    process.exit(1);
  }
}

// The server's start-up phases (bench:start) count from here: what came before is this launcher's own check.
performance.mark('stepwise:launched');
await import(pathToFileURL(join(root, ENTRIES[name])).href);
