/**
 * `npm run build`: compiles the server and the CLI to dist/ (ESM, dependencies bundled, the Teams bot in its own
 * chunk loaded on its first activity), bundles the web widget into dist/widget.js (size against its budget), and
 * snapshots the parsed content (dist/content.json) so a start with unchanged content skips parsing it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { buildWidget, WIDGET_GZIP_BUDGET } from '../channels/widget/bundle.ts';
import { writeContentSnapshot } from '../content/snapshot.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Native addons and packages only loaded when installed (pg's optional native binding, esbuild for the in-memory
 * widget build) stay outside the bundle; everything else is bundled: one file to read and link instead of
 * ~2,000 modules resolved one by one.
 */
export const SERVER_EXTERNALS = ['better-sqlite3', 'pg-native', 'esbuild'];

/**
 * Packages express loads at start whose bulk is data used later or never: iconv-lite's code-page tables (~540 KB of
 * the bundle, decoded only for a non-UTF-8 body) and mime-db's types (~230 KB as a JavaScript object, which
 * `require` reads as JSON, a faster parse). Left to Node's `require`, only the code a start runs is read and
 * compiled (bundle compile and evaluation ~25 ms less CPU). Kept outside only where the copy the importer would get
 * is the top-level one that `require` finds from dist/ (the lockfile places it there for `npm ci --omit=dev` too);
 * any other copy is bundled, so the server always runs the version its importer resolves.
 */
export const START_DATA_PACKAGES = ['iconv-lite', 'mime-types'];

/** An esbuild plugin keeping `packages` outside the bundle where the importer's copy is the top-level one. */
function hoistedExternals(packages: readonly string[]): Plugin {
  return {
    name: 'hoisted-externals',
    setup(build) {
      const topLevel = new Map<string, Promise<string>>();
      const resolveFrom = async (name: string, resolveDir: string, importer: string) =>
        (await build.resolve(name, { kind: 'require-call', resolveDir, importer, pluginData: { hoisted: true } })).path;
      // A filter, not a check in the callback: esbuild calls a plugin only for the imports its filter matches.
      build.onResolve({ filter: new RegExp(`^(${packages.join('|')})$`) }, async (args) => {
        if ((args.pluginData as { hoisted?: boolean } | undefined)?.hoisted) return undefined;
        if (!topLevel.has(args.path)) topLevel.set(args.path, resolveFrom(args.path, ROOT, join(ROOT, 'package.json')));
        const [mine, top] = await Promise.all([resolveFrom(args.path, args.resolveDir, args.importer), topLevel.get(args.path)!]);
        return mine === top ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Compiles src/main.ts and src/cli.ts into dist/ with esbuild; returns the output files and their sizes. */
export async function buildServer(outdir = DIST): Promise<Array<{ file: string; bytes: number }>> {
  const esbuild = await import('esbuild');
  rmSync(join(outdir, 'server'), { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: {
      main: join(ROOT, 'src/main.ts'),
      cli: join(ROOT, 'src/cli.ts'),
      cluster: join(ROOT, 'src/cluster.ts'),
      'content-worker': join(ROOT, 'src/content/parse-worker.ts'),
    },
    outdir,
    // Shared code and the lazily imported bot go to dist/server/, so dist/ itself shows only the entry points.
    chunkNames: 'server/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: SERVER_EXTERNALS,
    // The bot's HTTP stack (whatwg-url's tr46, tough-cookie) asks for Node's built-in punycode, which Node 22+ reports as
    // deprecated on every start; the npm package (same code, maintained) is bundled in its place.
    alias: { punycode: 'punycode/' },
    plugins: [hoistedExternals(START_DATA_PACKAGES)],
    // Less source for V8 to scan at start (~35% smaller); names are kept, so stack traces stay readable, and the
    // linked source map maps lines back to src/.
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundled CommonJS packages call require() for Node's built-ins, which ESM does not define.
    banner: { js: "import { createRequire as __stepwiseRequire } from 'node:module'; const require = __stepwiseRequire(import.meta.url);" },
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // src/cli.ts runs under tsx (its hashbang says so); the compiled one needs plain node.
  const cli = join(outdir, 'cli.js');
  writeFileSync(cli, readFileSync(cli, 'utf8').replace(/^#!.*\n/, '#!/usr/bin/env node\n'));
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, out]) => ({ file, bytes: out.bytes }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildServer();
  for (const { file, bytes } of files) console.log(`${file.replace(`${ROOT}`, '').padEnd(34)} ${kb(bytes)}`);

  const bundle = await buildWidget();
  const widget = join(DIST, 'widget.js');
  mkdirSync(dirname(widget), { recursive: true });
  writeFileSync(widget, bundle.code);
  const within = bundle.gzipBytes <= WIDGET_GZIP_BUDGET;
  console.log(`dist/widget.js  ${kb(bundle.bytes)} raw, ${kb(bundle.gzipBytes)} gzipped (budget ${kb(WIDGET_GZIP_BUDGET)} gzipped: ${within ? 'ok' : 'OVER'})`);
  if (!within) process.exitCode = 1;

  const snapshot = writeContentSnapshot(join(ROOT, 'content'), join(DIST, 'content.json'));
  if (snapshot.errors) {
    // Not a build failure: the server starts on such content too (parsing it, and logging each error).
    console.error(`dist/content.json holds no snapshot: the content has ${snapshot.errors} error(s) (npm run validate lists them)`);
  } else {
    console.log(`dist/content.json  ${kb(snapshot.bytes)} (content ${snapshot.hash})`);
  }
}
