/** The chat widget inside its shadow root: launcher, panel, conversation, language picker. */
import type { i18n } from 'i18next';
import type { Lang } from '../../../engine/types.ts';
import { fitPaste } from '../../paste.ts';
import { createApi, type Api, type AskRequest } from './api.ts';
import { h } from './dom.ts';
import { loadState, saveState, type Entry, type WidgetState } from './history.ts';
import { WIDGET_LANGS, scriptLang } from './lang.ts';
import { renderEntry, type RenderContext } from './render.ts';

export interface WidgetOptions {
  root: ShadowRoot;
  /** API base URL, ending in '/'. */
  base: string;
  lang: Lang;
  /** The panel title from data-title; the translated default otherwise. */
  title?: string;
  i18n: i18n;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  api?: Api;
}

/** Builds the widget into `root` and restores the saved conversation. */
export function mountWidget(options: WidgetOptions): void {
  const { root, base, i18n } = options;
  const api = options.api ?? createApi(base);
  const key = `stepwise-widget:${base}`;
  const state: WidgetState = loadState(options.storage, key);
  let lang: Lang = state.lang ?? options.lang;
  let busy = false;
  const save = () => saveState(options.storage, key, { ...state, lang: state.lang });
  void i18n.changeLanguage(lang);
  const t = (key: string) => i18n.t(key) as string;

  let launcher: HTMLButtonElement, panel: HTMLElement, log: HTMLElement, input: HTMLTextAreaElement, typing: HTMLElement;

  const ctx: RenderContext = {
    t: (key, opts) => i18n.t(key, opts ?? {}) as string,
    base,
    ask: (label, request) => {
      push({ kind: 'user', text: label });
      void ask(request);
    },
    vote: async (entry, helpful, comment) => {
      const step = !entry.all && entry.answer.steps.length > 1 ? entry.step + 1 : undefined;
      const result = await api.feedback({ answerId: entry.answer.id, helpful, ...(step ? { step } : {}), ...(comment ? { comment } : {}) });
      return result.ok;
    },
    retry: (entry) => {
      const i = state.entries.indexOf(entry);
      if (i >= 0) state.entries.splice(i, 1);
      log.querySelector(`[data-entry="${i}"]`)?.remove();
      renumber();
      input.focus();
      void ask(entry.request);
    },
    changed: save,
  };

  const renumber = () => log.querySelectorAll<HTMLElement>('[data-entry]').forEach((el, i) => (el.dataset.entry = String(i)));

  /** An entry's nodes; a question cut to fit the API says so under it (the notice is the widget's, not the answer's). */
  function render(entry: Entry): HTMLElement {
    const el = renderEntry(entry, ctx);
    if (entry.kind === 'user' && entry.cut) el.append(h('p', { class: 'notice', text: t('pasteCut') }));
    return el;
  }

  function push(entry: Entry): void {
    state.entries.push(entry);
    save();
    const el = render(entry);
    el.dataset.entry = String(state.entries.length - 1);
    log.insertBefore(el, typing);
    el.scrollIntoView?.({ block: 'nearest' });
  }

  async function ask(request: AskRequest): Promise<void> {
    busy = true;
    typing.hidden = false;
    const result = await api.ask(request);
    typing.hidden = true;
    busy = false;
    push(result.ok ? { kind: 'answer', answer: result.data, step: 0, all: result.data.steps.length <= 1 } : { kind: 'error', failure: result.failure, request });
  }

  function send(): void {
    const pasted = input.value.trim();
    if (!pasted || busy) return;
    input.value = '';
    state.draft = '';
    // A paste over the API's body limit is cut to its head, tail and error lines; the conversation shows what was sent.
    const { text: question, cut } = fitPaste(pasted);
    push({ kind: 'user', text: question, ...(cut ? { cut } : {}) });
    void ask({ question, lang: scriptLang(question) ?? lang });
  }

  function setOpen(open: boolean, moveFocus: boolean): void {
    state.open = open;
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    save();
    if (moveFocus) (open ? input : launcher).focus();
  }

  /** Builds (or rebuilds, after a language change) every node; the conversation is re-rendered from state. */
  function build(): void {
    const title = options.title || t('title');
    launcher = h('button', { type: 'button', class: 'launcher', 'aria-controls': 'sw-panel', 'aria-expanded': 'false', 'aria-label': t('open'), onclick: () => setOpen(panel.hidden, true) }, h('span', { 'aria-hidden': 'true', text: '💬' }), h('span', { text: t('launcher') }));
    const picker = h('select', { class: 'lang', 'aria-label': t('language') }, ...WIDGET_LANGS.map((l) => h('option', { value: l, lang: l, selected: l === lang, text: t(`common:lang.${l}`) })));
    picker.addEventListener('change', () => {
      lang = picker.value as Lang;
      state.lang = lang;
      void i18n.changeLanguage(lang);
      save();
      build();
      (root.querySelector('select.lang') as HTMLElement).focus();
    });
    typing = h('div', { class: 'msg typing', role: 'status', hidden: !busy }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), h('span', { text: t('typing') }));
    log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': title, tabindex: 0 }, h('p', { class: 'intro', text: t('intro') }), typing);
    input = h('textarea', { id: 'sw-input', rows: 2, placeholder: t('placeholder'), autocomplete: 'off' });
    input.value = state.draft;
    input.addEventListener('input', () => {
      state.draft = input.value;
      save();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      }
    });
    const form = h('form', { class: 'ask', onsubmit: (event: Event) => { event.preventDefault(); send(); } }, h('label', { for: 'sw-input', class: 'sr', text: t('input') }), input, h('button', { type: 'submit', class: 'btn primary send', text: t('send') }));
    const clear = h('button', { type: 'button', class: 'btn icon', 'aria-label': t('clear'), title: t('clear'), text: '🗑', onclick: () => { state.entries = []; save(); build(); input.focus(); } });
    const close = h('button', { type: 'button', class: 'btn icon', 'aria-label': t('close'), title: t('close'), text: '✕', onclick: () => setOpen(false, true) });
    panel = h('section', { id: 'sw-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'sw-title', lang, hidden: true }, h('header', {}, h('h2', { id: 'sw-title', text: title }), picker, clear, close), log, form);
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') setOpen(false, true);
    });
    root.querySelector('.wrap')?.remove();
    root.append(h('div', { class: 'wrap', lang }, panel, launcher));
    state.entries.forEach((entry, i) => {
      const el = render(entry);
      el.dataset.entry = String(i);
      log.insertBefore(el, typing);
    });
    setOpen(state.open, false);
  }

  build();
}
