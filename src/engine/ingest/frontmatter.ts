import { parse as parseYaml } from 'yaml';
import { isLang, type ContentError, type DocMeta, type Lang } from '../types.ts';

/** Splits `---` YAML front matter from a Markdown body; `bodyLine` is the body's first line number. */
export function splitFrontMatter(text: string): { data: unknown; body: string; bodyLine: number; error?: string } {
  const m = /^\ufeff?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { data: {}, body: text, bodyLine: 1 };
  const bodyLine = m[0].split('\n').length;
  try {
    return { data: parseYaml(m[1]) ?? {}, body: text.slice(m[0].length), bodyLine };
  } catch (err) {
    return { data: {}, body: text.slice(m[0].length), bodyLine, error: (err as Error).message.split('\n')[0] };
  }
}

const REQUIRED = ['title', 'doc', 'lang', 'source', 'license', 'attribution', 'area'] as const;

/**
 * Reads our front matter, or Microsoft Learn's (`ms.contentlocale`, `ms.service` …) as a team would drop
 * it in: language from `ms.contentlocale` or the folder, doc id from the file name.
 */
export function readDocMeta(data: unknown, file: string, folderLang: string, fileDoc: string): { meta?: DocMeta; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const fm = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const locale = typeof fm['ms.contentlocale'] === 'string' ? String(fm['ms.contentlocale']).slice(0, 2).toLowerCase() : undefined;
  const learn = Object.keys(fm).some((k) => k.startsWith('ms.'));
  // A Learn page dropped in as-is: Microsoft Learn content is published under CC BY 4.0.
  const raw: Record<string, unknown> = {
    doc: fileDoc,
    lang: locale ?? folderLang,
    ...(learn ? { area: 'general', license: 'CC BY 4.0', attribution: 'Microsoft Learn, © Microsoft, CC BY 4.0' } : {}),
    ...fm,
  };
  for (const key of REQUIRED) {
    if (typeof raw[key] !== 'string' || String(raw[key]).trim() === '') {
      errors.push({ file, line: 1, message: `front matter: missing or empty "${key}"` });
    }
  }
  const lang = String(raw.lang ?? '');
  if (!isLang(lang)) errors.push({ file, line: 1, message: `front matter: unknown language "${lang}" (expected en, ko or zh)` });
  else if (lang !== folderLang) errors.push({ file, line: 1, message: `front matter: lang "${lang}" does not match folder "${folderLang}"` });
  const anchors = raw.sourceAnchors ?? {};
  const areas = raw.areas ?? {};
  for (const [key, map] of [
    ['sourceAnchors', anchors],
    ['areas', areas],
  ] as const) {
    if (typeof map !== 'object' || map === null || Object.values(map).some((v) => typeof v !== 'string' || !/^[\w.-]+$/.test(v))) {
      errors.push({ file, line: 1, message: `front matter: "${key}" must map anchors to anchor names (letters, digits, -, _, .)` });
    }
  }
  if (errors.length) return { errors };
  return {
    errors,
    meta: {
      doc: String(raw.doc),
      lang: lang as Lang,
      title: String(raw.title),
      source: String(raw.source),
      license: String(raw.license),
      attribution: String(raw.attribution),
      area: String(raw.area),
      sourceAnchors: Object.fromEntries(Object.entries(anchors as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
      areas: Object.fromEntries(Object.entries(areas as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
      file,
    },
  };
}
