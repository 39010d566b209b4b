#!/usr/bin/env -S node --import tsx
/**
 * Stepwise in the terminal.
 *   stepwise ask "<question>" [--lang ko|zh|en] [--json]
 *   stepwise validate [--content DIR]
 *   stepwise insights --suggest [--json]   (the configured store: DATA_DIR / DATABASE_URL, as the server)
 *   stepwise import <answers.jsonl> [--kind answers|feedback] [--json]   (into the configured store; safe to run again)
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKnowledgeBase, createEngine, isLang } from './engine/index.ts';
import type { TFunction } from 'i18next';
import { createI18n, translator } from './i18n.ts';
import { renderTerminal, coverageTable, formatErrors } from './channels/cli/render.ts';
import type { Lang } from './engine/types.ts';
import { parseConfig } from './config.ts';
import { openStore } from './store/open.ts';
import { importJsonlFile, importKindOf, storeSink, type ImportKind } from './store/import.ts';
import { silentLogger } from './store/health.ts';
import { groupGaps } from './support/gaps.ts';
import { createReader } from './support/reader.ts';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const i18n = createI18n(`${root}locales`);

/** The terminal's language for messages other than answers: LANG=ko_KR.UTF-8 → ko. */
function systemLang(env: NodeJS.ProcessEnv): Lang {
  const code = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').slice(0, 2).toLowerCase();
  return isLang(code) ? code : 'en';
}

/** `insights --suggest`: the dashboard's "From gap to content" list, as YAML snippets for content/catalog.yaml. */
async function suggest(contentDir: string, json: boolean, t: TFunction): Promise<number> {
  const config = parseConfig(process.env);
  const store = await openStore({ ...config, dataDir: resolve(root, config.dataDir) }, silentLogger);
  try {
    const [data, proposed] = await Promise.all([
      store.dashboard({ since: '0000-00-00', unanswered: 300 }),
      store.listTickets({ knowledgeBase: true, limit: 100 }),
    ]);
    const { kb } = loadKnowledgeBase(contentDir);
    const groups = groupGaps(data.unanswered, proposed, createReader(kb.topics), createEngine(kb), 20);
    if (json) console.log(JSON.stringify(groups, null, 2));
    else console.log(groups.length ? groups.map((g) => g.suggestion.yaml).join('\n\n') : t('cli:noGaps'));
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `import <file>`: a JSON-lines file of the old file store into the configured store, with the start-up import's
 * rules (streamed, torn or foreign lines counted and refused); records already stored are counted, not written again.
 */
async function importCommand(file: string | undefined, kind: string | undefined, json: boolean, t: TFunction): Promise<number> {
  if (!file) {
    console.error(t('cli:importWhat'));
    return 2;
  }
  if (kind !== undefined && kind !== 'answers' && kind !== 'feedback') {
    console.error(t('cli:importKind', { kind }));
    return 2;
  }
  const path = resolve(file);
  if (!existsSync(path)) {
    console.error(t('cli:importMissing', { file }));
    return 2;
  }
  const config = parseConfig(process.env);
  const store = await openStore({ ...config, dataDir: resolve(root, config.dataDir) }, silentLogger);
  try {
    const what: ImportKind = kind ?? importKindOf(path);
    const summary = await importJsonlFile(path, what, storeSink(store));
    if (json) console.log(JSON.stringify({ ...summary, kind: what }, null, 2));
    else {
      console.log(t('cli:imported', { ...summary, file: basename(path), kind: what }));
      const reasons = Object.entries(summary.reasons).map(([reason, n]) => `${reason} ${n}`);
      if (reasons.length) console.log(t('cli:importRefused', { reasons: reasons.join(', ') }));
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function main(argv: string[], t: TFunction): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lang: { type: 'string' },
      json: { type: 'boolean' },
      content: { type: 'string' },
      suggest: { type: 'boolean' },
      kind: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  const contentDir = values.content ?? `${root}content`;
  if (values.help || !command) {
    console.log(t('cli:usage'));
    return command ? 0 : 2;
  }
  if (command === 'validate') {
    const { kb, errors } = loadKnowledgeBase(contentDir);
    const { text, missing } = coverageTable(kb, t);
    console.log(text);
    if (errors.length) console.error(`\n${t('cli:errorList', { count: errors.length })}\n${formatErrors(errors)}`);
    return errors.length || missing ? 1 : 0;
  }
  if (command === 'ask') {
    if (values.lang !== undefined && !isLang(values.lang)) {
      console.error(t('cli:unknownLang', { lang: values.lang }));
      return 2;
    }
    const question = rest.join(' ');
    const { kb, errors } = loadKnowledgeBase(contentDir);
    if (errors.length) console.error(t('cli:contentErrors', { count: errors.length }));
    const answer = createEngine(kb).ask(question, { lang: values.lang as never });
    if (values.json) console.log(JSON.stringify(answer, null, 2));
    else console.log(renderTerminal(answer, translator(i18n, answer.lang), process.stdout.isTTY === true));
    return answer.status === 'not_found' ? 3 : 0;
  }
  if (command === 'insights' && values.suggest) return suggest(contentDir, values.json === true, t);
  if (command === 'import') return importCommand(rest[0], values.kind, values.json === true, t);
  console.error(`${t('cli:unknownCommand', { command })}\n${t('cli:usage')}`);
  return 2;
}

const t = translator(i18n, systemLang(process.env));
try {
  process.exitCode = await main(process.argv.slice(2), t);
} catch (err) {
  console.error(t('cli:failed', { message: (err as Error).message }));
  process.exitCode = 2;
}
