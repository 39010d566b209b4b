/**
 * The support team's dashboard at /admin: server-rendered HTML with inline SVG charts, under the widget pages'
 * strict CSP (no script, no inline style). Signed in with an admin key (a header, or a form that sets an HttpOnly
 * cookie); `authorize` is the hook for Entra ID sign-in (see src/support/README.md).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import express, { type Express, type Request, type Response } from 'express';
import type { i18n } from 'i18next';
import { isLang, type Engine, type Lang } from '../../engine/types.ts';
import type { Store } from '../../store/types.ts';
import { groupGaps } from '../../support/gaps.ts';
import type { Reader } from '../../support/reader.ts';
import { keyMatcher, presentedKey } from '../http/security.ts';
import { PAGE_CSP } from '../widget/index.ts';
import { ADMIN_CSS } from './styles.ts';
import { dashboardPage, disabledPage, RANGES, signInPage } from './page.ts';

/** Tuning of the dashboard's reads. */
export const DASHBOARD_POLICY = {
  /** Newest unanswered questions grouped (each is read by the engine once per page view). */
  unanswered: 300,
  /** Tickets proposed for the knowledge base added to the groups. */
  knowledgeBase: 100,
  /** Groups shown. */
  groups: 20,
} as const;

export const ADMIN_COOKIE = 'stepwise_admin';

export interface AdminDeps {
  store: Store;
  engine: () => Engine | undefined;
  reader: () => Reader | undefined;
  adminKeys: readonly string[];
  i18n: i18n;
  /**
   * Who may see the dashboard besides an admin key: the hook for Entra ID. Put App Service authentication (Easy
   * Auth) or an OIDC proxy in front and return true for a signed-in member of the support group, e.g. from the
   * `x-ms-client-principal` header it sets. Default: nobody (admin key only).
   */
  authorize?: (req: Request) => boolean | Promise<boolean>;
  now?: () => Date;
}

const digest = (s: string) => createHash('sha256').update(`stepwise-admin\u0000${s}`).digest('hex');

/** Reads one cookie from the Cookie header (no cookie library for one value). */
function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Creates the /admin mount (see createHttpApp's `mounts`). */
export function createAdminMount(deps: AdminDeps): (app: Express) => void {
  const now = deps.now ?? (() => new Date());
  const isKey = keyMatcher([...deps.adminKeys]);
  // Without admin keys and without another sign-in (authorize), no one can sign in: say so instead of asking for a key.
  const disabled = deps.adminKeys.length === 0 && !deps.authorize;
  // The cookie holds a digest of the key, not the key: a leaked cookie does not reveal an API credential.
  const cookieValues = deps.adminKeys.map((k) => Buffer.from(digest(k)));
  const isCookie = (value: string | undefined) =>
    value !== undefined && cookieValues.some((c) => c.length === value.length && timingSafeEqual(c, Buffer.from(value)));
  const authorized = async (req: Request) =>
    isKey(presentedKey(req)) || isCookie(cookie(req, ADMIN_COOKIE)) || (deps.authorize ? await deps.authorize(req) : false);
  const langOf = (req: Request): Lang => {
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    return isLang(asked) ? asked : ((req.acceptsLanguages('en', 'ko', 'zh') || 'en') as Lang);
  };
  const html = (res: Response, status: number, body: string) =>
    res
      .status(status)
      .set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .send(body);
  const fixed = (lang: Lang) => ({ t: deps.i18n.getFixedT(lang, 'admin'), common: deps.i18n.getFixedT(lang, 'common') });

  let memo: { key: string; reader: Reader; engine: Engine | undefined; groups: ReturnType<typeof groupGaps> } | undefined;

  return (app) => {
    app.get('/admin/admin.css', (_req, res) => {
      res.set({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }).send(ADMIN_CSS);
    });
    app.post('/admin/login', express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
      const lang = langOf(req);
      if (disabled) return html(res, 403, disabledPage(lang, fixed(lang).t, fixed(lang).common));
      const key = typeof req.body?.key === 'string' ? req.body.key : undefined;
      if (!isKey(key)) return html(res, 401, signInPage(lang, fixed(lang).t, fixed(lang).common, true));
      const secure = req.secure ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${ADMIN_COOKIE}=${digest(key)}; Path=/admin; HttpOnly; SameSite=Strict${secure}`);
      res.redirect(303, `/admin?lang=${lang}`);
    });
    app.post('/admin/logout', (req, res) => {
      res.setHeader('Set-Cookie', `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`);
      res.redirect(303, `/admin?lang=${langOf(req)}`);
    });
    app.get(['/admin', '/admin/'], async (req, res) => {
      const lang = langOf(req);
      const { t, common } = fixed(lang);
      if (disabled) return html(res, 403, disabledPage(lang, t, common));
      if (!(await authorized(req))) return html(res, 401, signInPage(lang, t, common, false));
      const asked = Number(req.query.days);
      const days = (RANGES as readonly number[]).includes(asked) ? asked : 30;
      const today = now();
      const until = today.toISOString().slice(0, 10);
      const since = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const started = performance.now();
      const [data, proposed] = await Promise.all([
        deps.store.dashboard({ since, unanswered: DASHBOARD_POLICY.unanswered }),
        deps.store.listTickets({ knowledgeBase: true, limit: DASHBOARD_POLICY.knowledgeBase }),
      ]);
      const db = performance.now() - started;
      const reader = deps.reader();
      const engine = deps.engine();
      // Grouping asks the engine; the same questions (and the same reader and engine) give the same groups.
      const key = [...data.unanswered.map((u) => u.answerId), ...proposed.map((p) => `${p.id}@${p.updatedAt}`)].join(',');
      if (!reader) memo = undefined;
      else if (!memo || memo.key !== key || memo.reader !== reader || memo.engine !== engine) {
        memo = { key, reader, engine, groups: groupGaps(data.unanswered, proposed, reader, engine, DASHBOARD_POLICY.groups) };
      }
      const groups = memo?.groups ?? [];
      const group = performance.now() - started - db;
      const titles = new Map((engine?.topics(lang) ?? []).map((topic) => [topic.id, topic.title]));
      html(
        res,
        200,
        dashboardPage({ lang, days, since, until, data, groups, titles, unansweredScanned: data.unanswered.length, timing: { db, group } }, t, common),
      );
    });
  };
}
