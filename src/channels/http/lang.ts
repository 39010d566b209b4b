import type { Request } from 'express';
import { isLang, type Lang } from '../../engine/types.ts';

/** Best supported language of an Accept-Language header, by q-value then order (zh-TW → zh). */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { primary: tag.trim().split('-')[0].toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.q > 0 && isLang(r.primary))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.primary as Lang | undefined;
}

/** Language for problem messages: a valid `lang` field or query, else Accept-Language, else English. */
export function problemLang(req: Request): Lang {
  const body = req.body as { lang?: unknown } | undefined;
  const candidates = [typeof body === 'object' && body ? body.lang : undefined, req.query?.lang];
  for (const c of candidates) if (isLang(c)) return c;
  return fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}
