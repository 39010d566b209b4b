/**
 * Content as the engine needs it, prepared once at build time: the knowledge base, its search index and the index's
 * document frequencies in one JSON file (dist/content.json, 1.24 MB, written by `npm run build`). A start whose
 * content hashes the same loads them instead of parsing Markdown and YAML and indexing every document (CPU per cold
 * load on the shared 2-CPU machine: reading and parsing the file, loading the saved index and building the engine
 * ~80-100 ms in all, against ~200-300 ms to index plus ~80-100 ms of term statistics; the index's tree is read as
 * searches reach it, see search/index.ts); any other content, and every reload, is parsed and
 * indexed as before. The file is built by the same source as dist/main.js (npm start rebuilds both when src/
 * changes), so the tokenizer that made the index reads it. The index and the frequencies are saved as a few long
 * strings rather than JSON arrays: parsing 35,000 small arrays and rebuilding a Map from each cost more than the
 * rest of the file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledgeBase } from '../engine/ingest/load.ts';
import { createLookup } from '../engine/ingest/lookup.ts';
import { buildSearchIndex, documentFrequencies, loadSearchIndex, topicDocs, type SearchIndex } from '../engine/search/index.ts';
import type { ContentError, KnowledgeBase } from '../engine/types.ts';

/** Bumped when the snapshot's shape (or what the engine expects of it) changes; an older file is ignored. */
const FORMAT = 4;

/** Parsed content ready for createEngine, with the hash of the files it came from. */
export interface ParsedContent {
  hash: string;
  kb: KnowledgeBase;
  errors: ContentError[];
  /** From a snapshot: the index and document frequencies built from `kb` (createEngine's EngineOptions). */
  prepared?: { index: SearchIndex; documentFrequencies: ReadonlyMap<string, number> };
}

/** The files the knowledge base is read from: catalog.yaml and every <lang>/*.md, sorted. */
function contentFiles(dir: string): string[] {
  const files = existsSync(join(dir, 'catalog.yaml')) ? ['catalog.yaml'] : [];
  for (const entry of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (!statSync(join(dir, entry)).isDirectory()) continue;
    for (const name of readdirSync(join(dir, entry)).sort()) if (name.endsWith('.md')) files.push(`${entry}/${name}`);
  }
  return files;
}

/** A short digest of the content folder (every file's path and bytes): the content version. */
export function contentHash(dir: string): string {
  const hash = createHash('sha256');
  for (const file of contentFiles(dir))
    hash
      .update(`${file}\u0000`)
      .update(readFileSync(join(dir, file)))
      .update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

/** Parses and validates a content folder (what a start without a snapshot, and every reload, does). */
export function parseContent(dir: string): ParsedContent {
  const hash = contentHash(dir);
  const { kb, errors } = loadKnowledgeBase(dir);
  return { hash, kb, errors };
}

/** The snapshot of valid content as one JSON string: format, hash, knowledge base, its index and document frequencies. */
export function snapshotJson(parsed: ParsedContent): string {
  const docs = topicDocs(parsed.kb, createLookup(parsed.kb));
  const index = buildSearchIndex(docs).toJSON();
  return JSON.stringify({ format: FORMAT, hash: parsed.hash, kb: parsed.kb, index, df: savedFrequencies(documentFrequencies(docs)) });
}

/**
 * Document frequencies as two strings, the terms and their counts each joined by spaces (index terms are letters
 * and digits): 8,000 pairs as JSON arrays took ~8-13 ms to parse at start, two splits ~3 ms.
 */
function savedFrequencies(df: ReadonlyMap<string, number>): [string, string] {
  for (const term of df.keys()) if (term === '' || term.includes(' ')) throw new Error(`content snapshot: the term "${term}" cannot be saved`);
  return [[...df.keys()].join(' '), [...df.values()].join(' ')];
}

function loadedFrequencies([terms, counts]: [string, string]): Map<string, number> {
  const df = new Map<string, number>();
  if (terms === '') return df;
  const t = terms.split(' ');
  const c = counts.split(' ');
  for (let i = 0; i < t.length; i++) df.set(t[i], Number(c[i]));
  return df;
}

/** Builds dist/content.json from a content folder; content with errors gets a file without a snapshot (starts parse it). */
export function writeContentSnapshot(dir: string, file: string): { hash: string; bytes: number; errors: number } {
  const parsed = parseContent(dir);
  const json = parsed.errors.length ? JSON.stringify({ format: FORMAT, hash: parsed.hash, errors: parsed.errors.length }) : snapshotJson(parsed);
  writeFileSync(file, json);
  return { hash: parsed.hash, bytes: Buffer.byteLength(json), errors: parsed.errors.length };
}

/** Reads a snapshot if it exists, has this format and was made from content with `hash`; else undefined. */
export function readContentSnapshot(file: string, hash: string): ParsedContent | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    format?: number;
    hash?: string;
    kb?: KnowledgeBase;
    index?: Record<string, unknown>;
    df?: [string, string];
  };
  if (data.format !== FORMAT || data.hash !== hash || !data.kb || !data.index || !data.df) return undefined;
  return { hash, kb: data.kb, errors: [], prepared: { index: loadSearchIndex(data.index), documentFrequencies: loadedFrequencies(data.df) } };
}
