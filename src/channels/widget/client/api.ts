/** The widget's client for the HTTP API: POST /api/v1/ask and /api/v1/feedback, failures classified for polite messages. */
import type { Answer, Lang } from '../../../engine/types.ts';

/** An engine Answer as the API returns it, with the id feedback refers to. */
export type WidgetAnswer = Answer & { id: string };

export interface AskRequest {
  question: string;
  lang?: Lang;
  topic?: string;
}

export interface FeedbackRequest {
  answerId: string;
  helpful: boolean;
  step?: number;
  comment?: string;
}

/** Why a request failed, in the terms the user is told. */
export type Failure =
  | { kind: 'network' }
  | { kind: 'rate'; retryAfter?: number }
  | { kind: 'server'; status: number }
  /** 401/403: the API wants a key this page does not have (no widget key, or not one for this site's origin). */
  | { kind: 'auth'; status: number }
  | { kind: 'client'; status: number };

export type Result<T> = { ok: true; data: T } | { ok: false; failure: Failure };

/** Ask an expert: what the widget sends (the answer's stored question is used when `question` is absent). */
export interface TicketRequest {
  answerId?: string;
  question?: string;
  lang?: Lang;
  contact?: string;
  comment?: string;
  step?: number;
  helpful?: boolean;
}

/** A ticket as its asker sees it (GET /api/v1/tickets/{id} with the token). */
export interface AskerTicket {
  id: string;
  status: 'open' | 'assigned' | 'resolved';
  reply?: { text: string; at: string };
}

export interface Api {
  ask(request: AskRequest): Promise<Result<WidgetAnswer>>;
  feedback(request: FeedbackRequest): Promise<Result<void>>;
  ticket(request: TicketRequest): Promise<Result<{ token: string; ticket: AskerTicket }>>;
  getTicket(id: string, token: string): Promise<Result<{ ticket: AskerTicket }>>;
}

const TIMEOUT_MS = 20_000;

/** The API base URL: the folder the widget script was loaded from (https://HOST/widget.js → https://HOST/). */
export function apiBase(scriptSrc: string): string {
  return new URL('.', scriptSrc).href;
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped at an hour. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - now) / 1000);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 3600) : undefined;
}

/** Creates the API client; `fetchFn` is injectable for tests; `widgetKey` is the script tag's data-key, sent when the API requires keys. */
export function createApi(base: string, fetchFn: typeof fetch = (...args) => fetch(...args), widgetKey?: string): Api {
  const post = async (path: string, body: unknown, token?: string): Promise<Result<unknown>> => {
    let res: Response;
    try {
      res = await fetchFn(new URL(path, base).href, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          'x-stepwise-channel': 'widget',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(widgetKey ? { 'x-stepwise-widget-key': widgetKey } : {}),
          ...(token ? { 'x-stepwise-ticket-token': token } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
    if (res.status === 429) return { ok: false, failure: { kind: 'rate', retryAfter: parseRetryAfter(res.headers.get('retry-after')) } };
    if (res.status >= 500) return { ok: false, failure: { kind: 'server', status: res.status } };
    if (res.status === 401 || res.status === 403) return { ok: false, failure: { kind: 'auth', status: res.status } };
    if (!res.ok) return { ok: false, failure: { kind: 'client', status: res.status } };
    if (res.status === 202 || res.status === 204) return { ok: true, data: undefined };
    try {
      return { ok: true, data: await res.json() };
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
  };
  return {
    async ask(request) {
      // Sent whole: the widget has already fitted a long paste to the body limit (paste.ts), and says so itself.
      const result = await post('api/v1/ask', request);
      if (!result.ok) return result;
      const answer = (result.data as { answer?: WidgetAnswer } | undefined)?.answer;
      return answer && typeof answer.status === 'string' ? { ok: true, data: answer } : { ok: false, failure: { kind: 'server', status: 200 } };
    },
    async feedback(request) {
      const result = await post('api/v1/feedback', request);
      return result.ok ? { ok: true, data: undefined } : result;
    },
    ticket: (request) => post('api/v1/tickets', request) as Promise<Result<{ token: string; ticket: AskerTicket }>>,
    // The token goes in a header, never the URL (URLs end up in logs).
    getTicket: (id, token) => post(`api/v1/tickets/${encodeURIComponent(id)}`, undefined, token) as Promise<Result<{ ticket: AskerTicket }>>,
  };
}
