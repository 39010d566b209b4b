import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type Resource, type ResourceLanguage, type TFunction } from 'i18next';
import { LANGS, type Lang } from './engine/types.ts';

/** Reads every `locales/<lang>/<namespace>.json` into an i18next resource object. */
export function readLocales(dir: string): Resource {
  const resources: Record<string, ResourceLanguage> = {};
  for (const lang of LANGS) {
    const langDir = join(dir, lang);
    resources[lang] = {};
    if (!existsSync(langDir)) continue;
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      resources[lang][file.slice(0, -5)] = JSON.parse(readFileSync(join(langDir, file), 'utf8'));
    }
  }
  return resources;
}

/** Creates an initialised i18next instance over the `locales/` folder (synchronous: resources are inline). */
export function createI18n(dir: string): i18n {
  const resources = readLocales(dir);
  const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGS],
    ns: namespaces,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

/** A translate function fixed to one language. */
export function translator(instance: i18n, lang: Lang): TFunction {
  return instance.getFixedT(lang);
}
