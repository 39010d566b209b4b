import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { splitFrontMatter, readDocMeta } from './frontmatter.ts';
import { parseSections } from './markdown.ts';
import { parseCatalog } from './catalog.ts';
import { LANGS, isLang, type ContentError, type DocMeta, type KnowledgeBase, type Section } from '../types.ts';

/** Parses one content file; never throws, problems come back as errors naming file and line. */
export function loadDocument(text: string, file: string, folderLang: string, fileDoc: string): { meta?: DocMeta; sections: Section[]; errors: ContentError[] } {
  const fm = splitFrontMatter(text);
  const errors: ContentError[] = fm.error ? [{ file, line: 1, message: `front matter: ${fm.error}` }] : [];
  const { meta, errors: metaErrors } = readDocMeta(fm.data, file, folderLang, fileDoc);
  errors.push(...metaErrors);
  if (!meta) return { sections: [], errors };
  const { sections, errors: sectionErrors } = parseSections(fm.body, meta, fm.bodyLine);
  errors.push(...sectionErrors);
  for (const s of sections) {
    for (const link of s.links) {
      if (link.href.startsWith('#') && !sections.some((o) => o.anchor === link.href.slice(1).toLowerCase())) {
        errors.push({ file, line: s.line, message: `broken internal link "${link.href}" in section "${s.anchor}"` });
      }
    }
  }
  return { meta, sections, errors };
}

/** Checks that catalog and sections agree: every topic has its section in at least one language. */
function crossCheck(kb: KnowledgeBase, catalogFile: string): ContentError[] {
  const errors: ContentError[] = [];
  const anchors = new Set(kb.sections.map((s) => `${s.doc}#${s.anchor}`));
  for (const t of kb.topics) {
    if (!anchors.has(`${t.doc}#${t.anchor}`))
      errors.push({ file: catalogFile, line: 1, message: `catalog: topic "${t.id}" has no section "${t.anchor}" in document "${t.doc}"` });
  }
  return errors;
}

/** Reads content/<lang>/*.md and content/catalog.yaml into a knowledge base plus every error found. */
export function loadKnowledgeBase(contentDir: string): { kb: KnowledgeBase; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const kb: KnowledgeBase = { docs: [], sections: [], topics: [] };
  const rel = (p: string) => relative(process.cwd(), p) || p;
  for (const entry of existsSync(contentDir) ? readdirSync(contentDir) : []) {
    const dir = join(contentDir, entry);
    if (!statSync(dir).isDirectory()) continue;
    if (!isLang(entry)) {
      errors.push({ file: rel(dir), line: 1, message: `unknown language folder "${entry}" (expected ${LANGS.join(', ')})` });
      continue;
    }
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.md'))
      .sort()) {
      const file = rel(join(dir, name));
      let text: string;
      try {
        text = readFileSync(join(dir, name), 'utf8');
      } catch (err) {
        errors.push({ file, line: 1, message: `cannot read: ${(err as Error).message}` });
        continue;
      }
      const doc = loadDocument(text, file, entry, name.slice(0, -3));
      errors.push(...doc.errors);
      if (doc.meta) {
        kb.docs.push(doc.meta);
        kb.sections.push(...doc.sections);
      }
    }
  }
  const catalogPath = join(contentDir, 'catalog.yaml');
  if (existsSync(catalogPath)) {
    const { topics, errors: catalogErrors } = parseCatalog(readFileSync(catalogPath, 'utf8'), rel(catalogPath));
    kb.topics = topics;
    errors.push(...catalogErrors, ...crossCheck(kb, rel(catalogPath)));
  } else {
    errors.push({ file: rel(catalogPath), line: 1, message: 'catalog missing' });
  }
  return { kb, errors };
}
