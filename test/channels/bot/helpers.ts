/** Shared fixtures for the bot tests: the real engine over content/, i18n, a TestAdapter harness. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MemoryStorage, TestAdapter, type Activity, type Storage } from 'botbuilder';
import { createEngine, loadKnowledgeBase } from '../../../src/engine/index.ts';
import type { Engine } from '../../../src/engine/types.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createMemoryStore, type MemoryStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/types.ts';
import { createState } from '../../../src/channels/bot/adapter.ts';
import { StepwiseBot, type BotLogger } from '../../../src/channels/bot/bot.ts';
import type { AdaptiveCard } from '../../../src/channels/bot/cards.ts';

export const contentDir = fileURLToPath(new URL('../../../content', import.meta.url));
export const localesDir = fileURLToPath(new URL('../../../locales', import.meta.url));

let engine: Engine | undefined;
/** The real engine over the real content/ (built once per test file). */
export function realEngine(): Engine {
  if (!engine) {
    const { kb, errors } = loadKnowledgeBase(contentDir);
    if (errors.length > 0) throw new Error(`content errors: ${errors.map((e) => `${e.file}:${e.line} ${e.message}`).join('; ')}`);
    engine = createEngine(kb);
  }
  return engine;
}

export const i18n = createI18n(localesDir);

export const silentLogger: BotLogger = { info() {}, warn() {}, error() {} };

/** A bot on a TestAdapter with a memory store; `say` sends one activity and returns the replies (card updates included, their ids in `updated`). */
export function botHarness<S extends Store = MemoryStore>(options: { storage?: Storage; store?: S; ids?: string[] } = {}) {
  const store = options.store ?? (createMemoryStore() as Store as S);
  const { conversationState, userState } = createState(options.storage ?? new MemoryStorage());
  let n = 0;
  const ids = options.ids;
  const bot = new StepwiseBot({
    engine: realEngine(),
    store,
    i18n,
    conversationState,
    userState,
    logger: silentLogger,
    newId: () => ids?.[n++] ?? `id-${++n}`,
    now: () => new Date('2026-01-02T03:04:05.000Z'),
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  adapter.conversation.channelId = 'msteams';
  // TestAdapter replaces an updated activity only while it is still queued; here an update is a reply too.
  const updated: string[] = [];
  adapter.updateActivity = async (_context, activity) => {
    updated.push(activity.id!);
    adapter.activeQueue.push(activity);
    return { id: activity.id! };
  };
  /** Sends a message (text) or any activity; resolves with everything the bot sent back. */
  async function say(activity: string | Partial<Activity>, locale?: string): Promise<Partial<Activity>[]> {
    const request: Partial<Activity> = typeof activity === 'string' ? { type: 'message', text: activity } : { type: 'message', ...activity };
    if (locale) request.locale = locale;
    await adapter.processActivity(request);
    return adapter.activeQueue.splice(0);
  }
  return { adapter, store, bot, say, updated };
}

/** The Adaptive Card of a reply (fails loudly when the reply has none). */
export function cardOf(reply: Partial<Activity> | undefined): AdaptiveCard {
  const attachment = reply?.attachments?.[0];
  if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`expected an Adaptive Card, got ${JSON.stringify(reply)}`);
  }
  return attachment.content as AdaptiveCard;
}

/** Every text a card shows, in order: text blocks, text runs, facts and button titles. */
export function cardTexts(node: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const v = value as Record<string, unknown>;
    if ((v.type === 'TextBlock' || v.type === 'TextRun') && typeof v.text === 'string') out.push(v.text);
    if (typeof v.title === 'string' && typeof v.value === 'string') out.push(`${v.title}: ${v.value}`);
    else if (typeof v.title === 'string' && typeof v.type === 'string' && v.type.startsWith('Action.')) out.push(`[${v.title}]`);
    for (const [key, child] of Object.entries(v)) if (key !== 'data') walk(child);
  };
  walk(node);
  return out;
}

/** Every Action.Submit `data` on a card, in order. */
export function submitData(card: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const v = value as Record<string, unknown>;
    if (v.type === 'Action.Submit') out.push(v.data as Record<string, unknown>);
    Object.values(v).forEach(walk);
  };
  walk(card);
  return out;
}

const requireCjs = createRequire(import.meta.url);
// The package's `main` is an ES build with extensionless imports Node cannot load; the UMD build parses fine.
const AC = requireCjs('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Parses a card with the Adaptive Cards library as a 1.5 host; returns every parse/validation problem. */
export function cardProblems(json: AdaptiveCard): string[] {
  const problems: string[] = [];
  if (Number(json.version) > 1.5) problems.push(`version ${json.version} is newer than 1.5`);
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  const results = card.validateProperties();
  for (const event of results.validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}
