/**
 * Content as the engine needs it, parsed once: the knowledge base in one JSON file (dist/content.json, written by
 * `npm run build`). A start whose content hashes the same loads it instead of parsing Markdown and YAML; any other
 * content is parsed as before. The search index is not in it: minisearch's loadJSON turns the serialized index
 * back into maps and a radix tree through hundreds of thousands of short-lived objects, which measured slower
 * than indexing the documents again (CPU per cold load, 3 runs each: 670–780 ms loading the index, 490–650 ms
 * building it, 1,220–1,670 ms parsing the content as well, on the shared 2-CPU machine).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledgeBase } from '../engine/ingest/load.ts';
import type { ContentError, KnowledgeBase } from '../engine/types.ts';

/** Bumped when the snapshot's shape (or what the engine expects of it) changes; an older file is ignored. */
const FORMAT = 2;

/** Parsed content ready for createEngine, with the hash of the files it came from. */
export interface ParsedContent {
  hash: string;
  kb: KnowledgeBase;
  errors: ContentError[];
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
  for (const file of contentFiles(dir)) hash.update(`${file}\u0000`).update(readFileSync(join(dir, file))).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

/** Parses and validates a content folder (what a start without a snapshot, and every reload, does). */
export function parseContent(dir: string): ParsedContent {
  const hash = contentHash(dir);
  const { kb, errors } = loadKnowledgeBase(dir);
  return { hash, kb, errors };
}

/** The snapshot of valid content as one JSON string: format, hash and knowledge base. */
export function snapshotJson(parsed: ParsedContent): string {
  return JSON.stringify({ format: FORMAT, hash: parsed.hash, kb: parsed.kb });
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
  const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; hash?: string; kb?: KnowledgeBase };
  if (data.format !== FORMAT || data.hash !== hash || !data.kb) return undefined;
  return { hash, kb: data.kb, errors: [] };
}
