/** `npm run build`: bundles the web widget into dist/widget.js and prints its raw and gzipped size against the budget. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWidget, WIDGET_GZIP_BUDGET } from '../channels/widget/bundle.ts';

const OUT = fileURLToPath(new URL('../../dist/widget.js', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const bundle = await buildWidget();
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, bundle.code);
const within = bundle.gzipBytes <= WIDGET_GZIP_BUDGET;
console.log(`dist/widget.js  ${kb(bundle.bytes)} raw, ${kb(bundle.gzipBytes)} gzipped (budget ${kb(WIDGET_GZIP_BUDGET)} gzipped: ${within ? 'ok' : 'OVER'})`);
if (!within) process.exitCode = 1;
