/** widget.js entry: one script tag adds the launcher and chat panel in a shadow root; nothing leaks to the page. */
import css from './styles.css';
import { apiBase } from './api.ts';
import { createWidgetI18n } from './i18n.ts';
import { resolveLang } from './lang.ts';
import { mountWidget } from './widget.ts';

const TAG = 'stepwise-widget';

function findScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
}

/** Styles go in a constructable stylesheet, which a strict style-src CSP allows; a <style> in the shadow root otherwise. */
function adoptStyles(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

function sessionStore(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function start(script: HTMLScriptElement): void {
  if (document.querySelector(TAG)) return;
  const host = document.createElement(TAG);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  // In the page before mounting, so a panel restored open can measure its log and show the last entry.
  document.body.append(host);
  const lang = resolveLang(script.dataset.lang, document.documentElement.lang, navigator.languages ?? [navigator.language]);
  mountWidget({
    root,
    base: apiBase(script.src),
    lang,
    title: script.dataset.title,
    key: script.dataset.key,
    i18n: createWidgetI18n(lang),
    storage: sessionStore(),
  });
}

const script = findScript();
if (script) {
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script), { once: true });
}
