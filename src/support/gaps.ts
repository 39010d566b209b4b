/**
 * From gap to content: unanswered questions grouped by what the engine reads in them (the catalog code, else the
 * recurring error statement, else the question's title), each group with its examples, languages and the topics
 * the engine almost chose, and the catalog change that would have answered it as a YAML snippet for
 * content/catalog.yaml. Used by the admin dashboard and `stepwise insights --suggest`.
 */
import type { Engine, Lang } from '../engine/types.ts';
import type { TicketRecord, UnansweredQuestion } from '../store/types.ts';
import type { Reader } from './reader.ts';

/** Tuning of the grouping, each number with its meaning. */
export const GAP_POLICY = {
  /** Examples kept per group. */
  examples: 3,
  /** Characters of an example question shown. */
  exampleChars: 280,
  /** Topics the engine almost chose, kept per group. */
  nearTopics: 3,
  /** Shortest signature worth proposing: shorter fragments match too much. */
  minSignature: 12,
  /** Longest alias proposed (catalog aliases are short phrases). */
  maxAlias: 60,
  /** Questions of a group the engine answers to find the topics it almost chose (a full ask costs ~0.5–5 ms each). */
  nearSamples: 5,
} as const;

/** What a group is keyed by. */
export type GapKind = 'code' | 'statement' | 'text';

/** One group of unanswered questions. */
export interface GapGroup {
  key: string;
  kind: GapKind;
  /** The code, the error statement (as first seen) or the title. */
  label: string;
  count: number;
  langs: Partial<Record<Lang, number>>;
  examples: Array<{ answerId?: string; ticketId?: string; at: string; lang: Lang; question: string }>;
  /** Topics the engine suggested instead (its not_found suggestions), most often first. */
  nearTopics: Array<{ id: string; n: number }>;
  /** How many of the group came from experts' Add to knowledge base. */
  fromExperts: number;
  suggestion: Suggestion;
}

/** The proposed catalog change. */
export type Suggestion =
  | { kind: 'signature'; topic: string; text: string; yaml: string }
  | { kind: 'alias'; topic: string; lang: Lang; text: string; yaml: string }
  | { kind: 'none'; yaml: string };

/** A question to group: a stored not_found answer or a ticket an expert proposed for the knowledge base. */
interface Item {
  answerId?: string;
  ticketId?: string;
  at: string;
  lang: Lang;
  question: string;
  note?: string;
}

/** Variable parts of an error line (ids, numbers, quoted names, paths) so spellings of one error group together. */
export function normalizeStatement(line: string): string {
  return line
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '#')
    .replace(/(['"`])[^'"`\n]{0,200}\1/g, '…')
    .replace(/(?:\/[\w.-]+){2,}/g, '/…')
    .replace(/\d+(?:\.\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

/** The stable head of an error line: up to its first quoted or numeric part, trimmed of trailing punctuation. */
export function signatureOf(line: string): string {
  const cut = line.search(/['"`]|\d/);
  const head = (cut < 0 ? line : line.slice(0, cut)).replace(/[\s:;,.(=-]+$/, '').trim();
  return head.length >= GAP_POLICY.minSignature ? head.slice(0, 120) : line.trim().slice(0, 120);
}

const yamlString = (s: string) => JSON.stringify(s);

/** The YAML snippet for a suggestion (the catalog's own layout: a topic entry with only the keys to add). */
function suggestionFor(
  kind: GapKind,
  label: string,
  line: string | undefined,
  items: Item[],
  near: Array<{ id: string; n: number }>,
  count: number,
  langs: Partial<Record<Lang, number>>,
): Suggestion {
  const topLang = (Object.entries(langs).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'en') as Lang;
  const langList = Object.entries(langs)
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  const head = `# ${count} unanswered (${langList}): ${label.slice(0, 100)}`;
  const topic = near[0]?.id;
  if (!topic) {
    return {
      kind: 'none',
      yaml: `${head}\n# No section covers this: write one in content/${topLang}/ and add its topic to catalog.yaml with this error line as a signature.`,
    };
  }
  // The engine's nearest topic for these questions, not a certainty: the snippet says so, for a person to check.
  const nearest = `# nearest topic: ${topic} (${near[0].n} of ${Math.min(count, GAP_POLICY.nearSamples)} sampled); if it does not fit, write a new section instead`;
  // A code group's code is in the catalog already: what would have matched is its recurring error line.
  if (line !== undefined) {
    const text = signatureOf(line);
    return { kind: 'signature', topic, text, yaml: `${head}\n${nearest}\n  - id: ${topic}\n    signatures:\n      - ${yamlString(text)}` };
  }
  const sample = items.find((i) => i.lang === topLang) ?? items[0];
  const text = sample.question
    .split('\n')[0]
    .trim()
    .replace(/[?？。.!！]+$/, '')
    .slice(0, GAP_POLICY.maxAlias);
  return { kind: 'alias', topic, lang: topLang, text, yaml: `${head}\n${nearest}\n  - id: ${topic}\n    aliases:\n      ${topLang}: [${yamlString(text)}]` };
}

/**
 * Groups unanswered questions (newest first) and tickets proposed for the knowledge base; biggest groups first.
 * `engine` gives the topics it almost chose (its not_found suggestions for the same question and language).
 */
export function groupGaps(unanswered: UnansweredQuestion[], tickets: TicketRecord[], read: Reader, engine: Engine | undefined, limit = 20): GapGroup[] {
  const items: Item[] = [
    ...unanswered,
    ...tickets.map((t) => ({ ticketId: t.id, at: t.at, lang: t.lang, question: t.question, ...(t.knowledgeBase?.note ? { note: t.knowledgeBase.note } : {}) })),
  ];
  const groups = new Map<string, { kind: GapKind; label: string; line?: string; items: Item[]; near: Map<string, number> }>();
  for (const item of items) {
    const r = read(item.question, item.lang);
    const [kind, label]: [GapKind, string] = r.codes[0]
      ? ['code', r.codes[0]]
      : r.statements[0]
        ? ['statement', r.statements[r.statements.length - 1]]
        : ['text', r.title || item.question.split('\n')[0]];
    const key = `${kind}:${kind === 'code' ? label.toLowerCase() : normalizeStatement(label)}`;
    const line = r.statements[r.statements.length - 1]?.trim();
    const group = groups.get(key) ?? groups.set(key, { kind, label: label.trim(), ...(line ? { line } : {}), items: [], near: new Map() }).get(key)!;
    group.items.push(item);
    if (group.items.length > GAP_POLICY.nearSamples) continue;
    const answer = engine?.ask(item.question, { lang: item.lang });
    for (const t of answer?.status === 'not_found' ? answer.suggestions : answer?.topic ? [answer.topic] : [])
      group.near.set(t.id, (group.near.get(t.id) ?? 0) + 1);
  }
  return [...groups.entries()]
    .map(([key, g]) => {
      const langs: Partial<Record<Lang, number>> = {};
      for (const i of g.items) langs[i.lang] = (langs[i.lang] ?? 0) + 1;
      const nearTopics = [...g.near]
        .map(([id, n]) => ({ id, n }))
        .sort((a, b) => b.n - a.n || a.id.localeCompare(b.id))
        .slice(0, GAP_POLICY.nearTopics);
      return {
        key,
        kind: g.kind,
        label: g.label,
        count: g.items.length,
        langs,
        examples: g.items.slice(0, GAP_POLICY.examples).map(({ note: _note, ...i }) => ({ ...i, question: i.question.slice(0, GAP_POLICY.exampleChars) })),
        nearTopics,
        fromExperts: g.items.filter((i) => i.ticketId).length,
        suggestion: suggestionFor(g.kind, g.label, g.line, g.items, nearTopics, g.items.length, langs),
      };
    })
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit);
}
