#!/usr/bin/env -S node --import tsx
/**
 * Stepwise in the terminal.
 *   stepwise ask "<question>" [--lang ko|zh|en] [--json]
 *   stepwise validate [--content DIR]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKnowledgeBase, createEngine, isLang } from './engine/index.ts';
import { createI18n, translator } from './i18n.ts';
import { renderTerminal, coverageTable, formatErrors } from './channels/cli/render.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: stepwise ask "<question>" [--lang en|ko|zh] [--json]\n       stepwise validate [--content DIR]';

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { lang: { type: 'string' }, json: { type: 'boolean' }, content: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  const contentDir = values.content ?? `${root}content`;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'validate') {
    const { kb, errors } = loadKnowledgeBase(contentDir);
    const { text, missing } = coverageTable(kb);
    console.log(text);
    if (errors.length) console.error(`\n${errors.length} content error(s):\n${formatErrors(errors)}`);
    return errors.length || missing ? 1 : 0;
  }
  if (command === 'ask') {
    if (values.lang !== undefined && !isLang(values.lang)) {
      console.error(`stepwise: unknown language "${values.lang}" (expected en, ko or zh)`);
      return 2;
    }
    const question = rest.join(' ');
    const { kb, errors } = loadKnowledgeBase(contentDir);
    if (errors.length) console.error(`stepwise: ${errors.length} content error(s); run \`stepwise validate\``);
    const answer = createEngine(kb).ask(question, { lang: values.lang as never });
    if (values.json) console.log(JSON.stringify(answer, null, 2));
    else console.log(renderTerminal(answer, translator(createI18n(`${root}locales`), answer.lang), process.stdout.isTTY === true));
    return answer.status === 'not_found' ? 3 : 0;
  }
  console.error(`stepwise: unknown command "${command}"\n${USAGE}`);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`stepwise: ${(err as Error).message}`);
  process.exitCode = 2;
}
