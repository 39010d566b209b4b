import { LineCounter, parseDocument } from 'yaml';
import { FAMILIES, LANGS, type ContentError, type Family, type Lang, type Topic } from '../types.ts';

/** Anchor a topic id maps to by convention: lower case, "/" → "-". */
export function anchorFor(id: string): string {
  return id.toLowerCase().replace(/\//g, '-');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

/** Parses content/catalog.yaml into topics; errors carry the catalog's file and line. */
export function parseCatalog(text: string, file: string): { topics: Topic[]; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length) {
    for (const e of doc.errors) errors.push({ file, line: counter.linePos(e.pos[0]).line, message: `catalog: ${e.message.split('\n')[0]}` });
    return { topics: [], errors };
  }
  // The document already parsed holds the data: parsing the text again cost as much again (issue 11).
  const data = doc.toJS() as { topics?: unknown; families?: Record<string, unknown> };
  const families = new Map<string, Family>();
  for (const [docName, family] of Object.entries(data?.families ?? {})) {
    if ((FAMILIES as readonly unknown[]).includes(family)) families.set(docName, family as Family);
    else errors.push({ file, line: 1, message: `catalog: document "${docName}" has unknown family "${String(family)}" (${FAMILIES.join(', ')})` });
  }
  const list = Array.isArray(data?.topics) ? data.topics : [];
  if (!list.length) errors.push({ file, line: 1, message: 'catalog: no "topics" list' });
  const items = (doc.get('topics', true) as { items?: Array<{ range?: [number, number, number] }> } | undefined)?.items ?? [];
  const topics: Topic[] = [];
  const seen = new Set<string>();
  list.forEach((raw: Record<string, unknown>, i: number) => {
    const line = items[i]?.range ? counter.linePos(items[i].range[0]).line : 1;
    const id = typeof raw?.id === 'string' ? raw.id : '';
    if (!id) return void errors.push({ file, line, message: 'catalog: topic without an "id"' });
    if (seen.has(id)) return void errors.push({ file, line, message: `catalog: duplicate topic id "${id}"` });
    seen.add(id);
    const aliasesRaw = (raw.aliases ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(aliasesRaw)) {
      if (!(LANGS as readonly string[]).includes(key)) errors.push({ file, line, message: `catalog: topic "${id}" has aliases for unknown language "${key}"` });
    }
    const aliases = Object.fromEntries(LANGS.map((l) => [l, strings(aliasesRaw[l])])) as Record<Lang, string[]>;
    const slash = id.lastIndexOf('/');
    const docName = typeof raw.doc === 'string' ? raw.doc : '';
    // A catalog without `families` (a small test knowledge base) has only online topics.
    const family = families.size ? families.get(docName) : 'online';
    if (!family) errors.push({ file, line, message: `catalog: topic "${id}" is in document "${docName}", which "families" does not list` });
    topics.push({
      id,
      anchor: typeof raw.anchor === 'string' ? raw.anchor.toLowerCase() : anchorFor(id),
      doc: docName,
      // OutOfQuota/cpu's parent is OutOfQuota; v1/X and batch/X have none (no topic is called v1 or batch).
      parent: slash > 0 ? id.slice(0, slash) : undefined,
      children: [],
      codes: strings(raw.codes),
      aliases,
      signatures: [...strings(raw.signatures), ...strings(raw.outcomes)],
      outcomes: strings(raw.outcomes),
      related: strings(raw.related),
      family: family ?? 'online',
      legacy: family === 'v1',
      popular: raw.popular === true,
      diagnostic: raw.diagnostic === true,
      buildLog: raw.buildLog === true,
      library: raw.library === true,
    });
  });
  const byId = new Map(topics.map((t) => [t.id, t]));
  for (const t of topics) {
    if (t.parent) {
      const parent = byId.get(t.parent);
      if (parent) parent.children.push(t.id);
      else t.parent = undefined;
    }
    for (const r of t.related) if (!byId.has(r)) errors.push({ file, line: 1, message: `catalog: topic "${t.id}" relates to unknown topic "${r}"` });
  }
  return { topics, errors };
}
