/** Language choice for the widget: which of en/ko/zh the UI and the answers use. */
import { LANGS, type Lang } from '../../../engine/types.ts';

/** Maps a BCP 47 tag (ko-KR, zh-Hans-CN, en-US) to a supported language, or undefined. */
export function normalizeLang(tag: string | null | undefined): Lang | undefined {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : undefined;
}

/** The script's data-lang, else the page's lang, else the browser's first supported language, else English. */
export function resolveLang(dataLang: string | null | undefined, pageLang: string | null | undefined, browserLangs: readonly string[]): Lang {
  return normalizeLang(dataLang) ?? normalizeLang(pageLang) ?? browserLangs.map(normalizeLang).find(Boolean) ?? 'en';
}

/** The language a question's script implies (Hangul → ko, Han → zh); undefined for Latin text. */
export { scriptLang } from '../../../engine/text/script.ts';
