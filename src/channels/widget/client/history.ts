/** The conversation as plain data, kept in sessionStorage so it survives a reload within the session. */
import type { Lang } from '../../../engine/types.ts';
import type { AskRequest, Failure, TicketRequest, WidgetAnswer } from './api.ts';

export type Entry =
  /** `cut`: the paste was over the API's limit and `text` is the part sent. */
  | { kind: 'user'; text: string; cut?: boolean }
  /** `step` is the step shown in step-by-step mode; `all` means every step is shown. */
  | { kind: 'answer'; answer: WidgetAnswer; step: number; all: boolean; vote?: 'up' | 'down'; commented?: boolean; expert?: boolean }
  | { kind: 'error'; failure: Failure; request: AskRequest }
  /** Ask an expert: the form, then the ticket (its token kept in the session) and, once resolved, the expert's reply. */
  | ExpertEntry;

export interface ExpertEntry {
  kind: 'expert';
  request: TicketRequest;
  ticket?: { id: string; token: string };
  reply?: { text: string; at: string };
}

export interface WidgetState {
  lang?: Lang;
  open: boolean;
  draft: string;
  entries: Entry[];
}

/** How many entries are kept; older ones are dropped first. */
export const MAX_ENTRIES = 60;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** Reads the saved state; anything missing or unreadable gives an empty conversation. */
export function loadState(storage: Storage | undefined, key: string): WidgetState {
  const empty: WidgetState = { open: false, draft: '', entries: [] };
  try {
    const saved = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<WidgetState> | null;
    if (!saved || !Array.isArray(saved.entries)) return empty;
    return {
      lang: saved.lang,
      open: saved.open === true,
      draft: typeof saved.draft === 'string' ? saved.draft : '',
      entries: saved.entries.filter((e) => e && (e.kind === 'user' || e.kind === 'answer' || e.kind === 'error' || e.kind === 'expert')),
    };
  } catch {
    return empty;
  }
}

/** Saves the state, trimmed to the newest entries and without the answers' pre-rendered markdown/html. */
export function saveState(storage: Storage | undefined, key: string, state: WidgetState): void {
  const entries = state.entries.slice(-MAX_ENTRIES).map((e) => {
    if (e.kind !== 'answer') return e;
    const { markdown: _m, html: _h, ...answer } = e.answer as WidgetAnswer & { markdown?: string; html?: string };
    return { ...e, answer };
  });
  try {
    storage?.setItem(key, JSON.stringify({ ...state, entries }));
  } catch {
    // Storage full or blocked (private mode, sandboxed frame): the conversation still works, it just won't survive a reload.
  }
}
