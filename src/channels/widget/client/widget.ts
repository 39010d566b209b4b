/** The chat widget inside its shadow root: launcher, panel, conversation, language picker. */
import type { i18n } from 'i18next';
import type { Lang } from '../../../engine/types.ts';
import { fitPaste } from '../../paste.ts';
import { createApi, type Api, type AskRequest } from './api.ts';
import { h, reveal } from './dom.ts';
import { icon } from './icons.ts';
import { loadState, saveState, type Entry, type WidgetState } from './history.ts';
import { LANGS } from '../../../engine/types.ts';
import { scriptLang } from './lang.ts';
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
  /** The script tag's data-key: a widget key bound to this site's origin, for an API that requires keys. */
  key?: string;
}

/** Builds the widget into `root` and restores the saved conversation. */
export function mountWidget(options: WidgetOptions): void {
  const { root, base, i18n } = options;
  const api = options.api ?? createApi(base, undefined, options.key);
  const storageKey = `stepwise-widget:${base}`;
  const state: WidgetState = loadState(options.storage, storageKey);
  let lang: Lang = state.lang ?? options.lang;
  let busy = false;
  const save = () => saveState(options.storage, storageKey, { ...state, lang: state.lang });
  void i18n.changeLanguage(lang);
  const t = (key: string) => String(i18n.t(key));

  let wrap: HTMLElement, launcher: HTMLButtonElement, panel: HTMLElement, log: HTMLElement, input: HTMLTextAreaElement, typing: HTMLElement;

  const ctx: RenderContext = {
    t: (key, opts) => String(i18n.t(key, opts ?? {})),
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
    askExpert: (entry) => {
      entry.expert = true;
      const i = state.entries.indexOf(entry);
      const asked = state.entries
        .slice(0, i)
        .reverse()
        .find((e) => e.kind === 'user');
      const step = !entry.all && entry.answer.steps.length > 1 ? entry.step + 1 : undefined;
      push({
        kind: 'expert',
        request: {
          answerId: entry.answer.id,
          lang: entry.answer.requestedLang,
          ...(asked?.kind === 'user' ? { question: asked.text } : {}),
          ...(entry.vote ? { helpful: entry.vote === 'up' } : {}),
          ...(step ? { step } : {}),
        },
      });
      rerender(entry);
    },
    send: async (entry, contact) => {
      const result = await api.ticket({ ...entry.request, ...(contact ? { contact } : {}) });
      if (!result.ok) return false;
      entry.ticket = { id: result.data.ticket.id, token: result.data.token };
      save();
      rerender(entry);
      return true;
    },
  };

  /** Draws one entry again in place (its state changed). */
  function rerender(entry: Entry): void {
    const i = state.entries.indexOf(entry);
    const old = log.querySelector(`[data-entry="${i}"]`);
    if (!old) return;
    const el = render(entry);
    el.dataset.entry = String(i);
    old.replaceWith(el);
    reveal(el);
  }

  /** Coming back: asks for the reply of every ticket still waiting (its token is in the session). */
  async function checkTickets(): Promise<void> {
    for (const entry of state.entries) {
      if (entry.kind !== 'expert' || !entry.ticket || entry.reply) continue;
      const result = await api.getTicket(entry.ticket.id, entry.ticket.token);
      if (!result.ok || !result.data.ticket.reply) continue;
      entry.reply = result.data.ticket.reply;
      save();
      rerender(entry);
    }
  }

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
    log.querySelector('.starters')?.remove();
    const el = render(entry);
    el.dataset.entry = String(state.entries.length - 1);
    log.insertBefore(el, typing);
    reveal(el);
  }

  async function ask(request: AskRequest): Promise<void> {
    busy = true;
    typing.hidden = false;
    reveal(typing);
    const result = await api.ask(request);
    typing.hidden = true;
    busy = false;
    push(
      result.ok ? { kind: 'answer', answer: result.data, step: 0, all: result.data.steps.length <= 1 } : { kind: 'error', failure: result.failure, request },
    );
  }

  function send(): void {
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = '';
    state.draft = '';
    sendText(text);
  }

  /** Asks a question typed, pasted, or picked from the starters or the host page's `data-stepwise-ask` elements. */
  function sendText(text: string): void {
    const pasted = text.trim();
    if (!pasted || busy) return;
    // A paste over the API's body limit is cut to its head, tail and error lines; the conversation shows what was sent.
    const { text: question, cut } = fitPaste(pasted);
    push({ kind: 'user', text: question, ...(cut ? { cut } : {}) });
    void ask({ question, lang: scriptLang(question) ?? lang });
  }

  function setOpen(open: boolean, moveFocus: boolean): void {
    state.open = open;
    panel.hidden = !open;
    // On a phone the open panel covers the screen and the launcher hides (styles.css).
    wrap.classList.toggle('open', open);
    launcher.setAttribute('aria-expanded', String(open));
    save();
    if (moveFocus) (open ? input : launcher).focus();
    // Opened (also after a reload): the log shows the newest entry, a long answer from its top.
    if (open) reveal([...log.querySelectorAll('[data-entry]')].pop());
    if (open) void checkTickets();
  }

  /** Starter questions for an empty conversation, from the locale. */
  function starters(): HTMLElement | '' {
    if (state.entries.length) return '';
    const texts = i18n.t('starters', { returnObjects: true }) as unknown;
    if (!Array.isArray(texts)) return '';
    return h(
      'div',
      { class: 'starters' },
      h('p', { class: 'intro', text: t('startersTitle') }),
      h(
        'ul',
        { class: 'chips' },
        ...texts.map((q: string) => h('li', {}, h('button', { type: 'button', class: 'chip', text: q, onclick: () => sendText(q) }))),
      ),
    );
  }

  /** Builds (or rebuilds, after a language change) every node; the conversation is re-rendered from state. */
  function build(): void {
    const title = options.title || t('title');
    launcher = h(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'aria-controls': 'sw-panel',
        'aria-expanded': 'false',
        'aria-label': t('open'),
        onclick: () => setOpen(panel.hidden, true),
      },
      icon('chat'),
      h('span', { text: t('launcher') }),
    );
    const picker = h(
      'select',
      { class: 'lang', 'aria-label': t('language') },
      ...LANGS.map((l) => h('option', { value: l, lang: l, selected: l === lang, text: t(`common:lang.${l}`) })),
    );
    picker.addEventListener('change', () => {
      lang = picker.value as Lang;
      state.lang = lang;
      void i18n.changeLanguage(lang);
      save();
      build();
      (root.querySelector('select.lang') as HTMLElement).focus();
    });
    typing = h(
      'div',
      { class: 'msg typing', role: 'status', hidden: !busy },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      h('span', { text: t('typing') }),
    );
    log = h(
      'div',
      { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': title, tabindex: 0 },
      h('p', { class: 'intro', text: t('intro') }),
      starters(),
      typing,
    );
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
    const form = h(
      'form',
      {
        class: 'ask',
        onsubmit: (event: Event) => {
          event.preventDefault();
          send();
        },
      },
      h('label', { for: 'sw-input', class: 'sr', text: t('input') }),
      input,
      h('button', { type: 'submit', class: 'btn primary send', text: t('send') }),
    );
    const clear = h(
      'button',
      {
        type: 'button',
        class: 'btn icon',
        'aria-label': t('clear'),
        title: t('clear'),
        onclick: () => {
          state.entries = [];
          save();
          build();
          input.focus();
        },
      },
      icon('trash'),
    );
    const close = h(
      'button',
      { type: 'button', class: 'btn icon', 'aria-label': t('close'), title: t('close'), onclick: () => setOpen(false, true) },
      icon('close'),
    );
    panel = h(
      'section',
      { id: 'sw-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'sw-title', lang, hidden: true },
      h('header', {}, h('h2', { id: 'sw-title', text: title }), picker, clear, close),
      log,
      form,
    );
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') setOpen(false, true);
    });
    root.querySelector('.wrap')?.remove();
    wrap = h('div', { class: 'wrap', lang }, panel, launcher);
    root.append(wrap);
    state.entries.forEach((entry, i) => {
      const el = render(entry);
      el.dataset.entry = String(i);
      log.insertBefore(el, typing);
    });
    setOpen(state.open, false);
  }

  // A host page's own "try asking" examples: any element with data-stepwise-ask opens the panel and asks its text.
  document.addEventListener('click', (event) => {
    const el = event.target instanceof Element ? event.target.closest('[data-stepwise-ask]') : null;
    if (!el) return;
    event.preventDefault();
    if (panel.hidden) setOpen(true, true);
    sendText(el.getAttribute('data-stepwise-ask') || el.textContent || '');
  });

  build();
}
