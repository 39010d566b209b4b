/** The widget's i18next instance over the locale strings bundled into widget.js. */
import i18next, { type i18n } from 'i18next';
import resources from 'stepwise:locales';
import type { Lang } from '../../../engine/types.ts';

/** Creates an initialised i18next instance (synchronous: the resources are inline). */
export function createWidgetI18n(lang: Lang): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: lang,
    fallbackLng: 'en',
    ns: ['widget', 'common'],
    defaultNS: 'widget',
    // Strings only ever reach the DOM through textContent, so i18next need not escape them.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
