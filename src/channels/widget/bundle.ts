/** Builds widget.js with esbuild: the browser code, its stylesheet and the locale strings in one IIFE. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Plugin } from 'esbuild';
import { LANGS } from '../../engine/types.ts';

/** The size budget of widget.js, gzipped. */
// 25 KB until the evidence line and the paste cut (issue 9) took it to ~26.3 KB; issue 12's widget work
// (SVG icons, starters, folding, log scrolling, widget key) to 28,279 bytes, and issue 12's answer parts
// (causes, code and output blocks, links in answer text) to 28,734: measured breakdown in src/channels/widget/README.md.
// Issue 14's Ask an expert (offer, contact form, ticket token in the session, the reply on return, its strings in
// three languages) took it from 28,815 to 30,189 bytes. The not_placed notice (a long post that never names Azure ML,
// issue 9), its one sentence in three languages, from 30,672 to 30,834.
export const WIDGET_GZIP_BUDGET = 31 * 1024;

export const DEFAULT_LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url));
const ENTRY = fileURLToPath(new URL('./client/main.ts', import.meta.url));

export interface WidgetBundle {
  code: string;
  bytes: number;
  gzipBytes: number;
  /** Content hash, used as the ETag. */
  hash: string;
}

export interface BuildOptions {
  localesDir?: string;
  minify?: boolean;
}

/** Describes a built bundle: sizes and hash. */
export function describeBundle(code: string): WidgetBundle {
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    hash: createHash('sha256').update(code).digest('base64url').slice(0, 16),
  };
}

/** The `common` answer strings the widget renders; only these are bundled, so the shared file may grow freely. */
const COMMON_KEYS = [
  'steps',
  'causes',
  'commands',
  'code',
  'output',
  'source',
  'related',
  'suggestions',
  'notFound',
  'clarify',
  'truncated',
  'fallback',
  'legacy',
  'firstStep',
  'notPlaced',
  'evidence',
];

/** The strings widget.js carries: the `widget` namespace (without the server's page strings) and the `common` strings it uses. */
export function widgetResources(localesDir: string): Record<string, { widget: Record<string, unknown>; common: Record<string, unknown> }> {
  const read = (lang: string, ns: string) => {
    const file = join(localesDir, lang, `${ns}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  };
  return Object.fromEntries(
    LANGS.map((lang) => {
      const { page: _page, ...widget } = read(lang, 'widget');
      const common = read(lang, 'common') as { answer?: Record<string, string>; lang?: Record<string, string> };
      const answer = Object.fromEntries(COMMON_KEYS.filter((k) => common.answer?.[k] !== undefined).map((k) => [k, common.answer?.[k]]));
      return [lang, { widget, common: { answer, lang: common.lang ?? {} } }];
    }),
  );
}

function localesPlugin(localesDir: string): Plugin {
  return {
    name: 'stepwise-locales',
    setup(build) {
      build.onResolve({ filter: /^stepwise:locales$/ }, () => ({ path: 'locales', namespace: 'stepwise-locales' }));
      build.onLoad({ filter: /.*/, namespace: 'stepwise-locales' }, () => ({
        contents: JSON.stringify(widgetResources(localesDir)),
        loader: 'json',
        watchFiles: LANGS.flatMap((l) => [join(localesDir, l, 'widget.json'), join(localesDir, l, 'common.json')]),
      }));
    },
  };
}

function cssPlugin(minify: boolean): Plugin {
  return {
    name: 'stepwise-css-text',
    setup(build) {
      build.onLoad({ filter: /\.css$/ }, async (args) => {
        const { transform } = await import('esbuild');
        const { code } = await transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify });
        return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
      });
    },
  };
}

/** Bundles the widget in memory. esbuild is loaded only here, so a server with a prebuilt dist/widget.js never needs it. */
export async function buildWidget(options: BuildOptions = {}): Promise<WidgetBundle> {
  const minify = options.minify ?? true;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('widget: esbuild is not installed; run `npm run build` where it is, or install dev dependencies');
  }
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15.4'],
    minify,
    legalComments: 'none',
    charset: 'ascii',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [localesPlugin(options.localesDir ?? DEFAULT_LOCALES_DIR), cssPlugin(minify)],
    logLevel: 'silent',
  });
  return describeBundle(result.outputFiles[0].text);
}
