/** The admin dashboard's HTML: server-rendered, no script, no inline style (the widget pages' CSP). */
import type { TFunction } from 'i18next';
import { LANGS, type Lang } from '../../engine/types.ts';
import type { DashboardData } from '../../store/types.ts';
import type { GapGroup } from '../../support/gaps.ts';
import { escapeHtml as e } from '../../render/escape.ts';
import { groupedBars, percentLine, stackedBars, votesByTopic, type Series } from './charts.ts';

export const RANGES = [7, 30, 90] as const;
const STATUSES = ['answered', 'clarify', 'not_found'] as const;
/** Topics shown in the 👍/👎 chart, most votes first. */
const VOTE_ROWS = 12;

/** Every day from `since` to `until` (YYYY-MM-DD, inclusive). */
export function dayRange(since: string, until: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${since}T00:00:00Z`); t <= Date.parse(`${until}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The value at a quantile of sorted numbers (nearest rank). */
export function quantile(sorted: number[], q: number): number | undefined {
  if (!sorted.length) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function duration(t: TFunction, minutes: number | undefined): string {
  if (minutes === undefined) return '–';
  if (minutes < 90) return t('duration.min', { n: minutes });
  if (minutes < 48 * 60) return t('duration.h', { n: Math.round(minutes / 6) / 10 });
  return t('duration.d', { n: Math.round(minutes / 144) / 10 });
}

function layout(lang: Lang, t: TFunction, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(t('title'))}</title>
<link rel="stylesheet" href="/admin/admin.css">
<link rel="icon" href="data:,">
</head>
<body>
${body}
</body>
</html>
`;
}

const langLinks = (lang: Lang, days: number, common: TFunction) =>
  LANGS.map((l) =>
    l === lang
      ? `<strong lang="${l}">${e(common(`lang.${l}`, { lng: l }))}</strong>`
      : `<a href="/admin?lang=${l}&amp;days=${days}" lang="${l}" hreflang="${l}">${e(common(`lang.${l}`, { lng: l }))}</a>`,
  ).join(' · ');

/** The sign-in form (POST /admin/login), shown with 401 to a browser without the admin cookie. */
export function signInPage(lang: Lang, t: TFunction, common: TFunction, wrong: boolean): string {
  return layout(
    lang,
    t,
    `<main class="signin">
<h1>${e(t('title'))}</h1>
<h2>${e(t('signIn.title'))}</h2>
<p>${e(t('signIn.help'))}</p>
${wrong ? `<p class="error" role="alert">${e(t('signIn.wrong'))}</p>` : ''}
<form method="post" action="/admin/login?lang=${lang}">
<label for="admin-key">${e(t('signIn.key'))}</label>
<input id="admin-key" name="key" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">${e(t('signIn.button'))}</button>
</form>
<p class="langs">${langLinks(lang, 30, common)}</p>
</main>`,
  );
}

/** The page instead of the sign-in form when no admin key is configured (and no other sign-in is wired): none could work. */
export function disabledPage(lang: Lang, t: TFunction, common: TFunction): string {
  return layout(
    lang,
    t,
    `<main class="signin">
<h1>${e(t('title'))}</h1>
<p class="error" role="alert">${e(t('signIn.disabled'))}</p>
<p class="langs">${langLinks(lang, 30, common)}</p>
</main>`,
  );
}

/** What the dashboard page shows. */
export interface DashboardView {
  lang: Lang;
  days: number;
  since: string;
  until: string;
  data: DashboardData;
  groups: GapGroup[];
  /** Topic id → title in the page's language. */
  titles: Map<string, string>;
  unansweredScanned: number;
  timing: { db: number; group: number };
}

/** The dashboard: totals, six charts, the grouped gaps and their catalog snippets. */
export function dashboardPage(v: DashboardView, t: TFunction, common: TFunction): string {
  const labels = dayRange(v.since, v.until);
  const byDay = new Map(labels.map((d) => [d, v.data.days.filter((c) => c.day === d)]));
  const sum = (day: string, pred: (c: DashboardData['days'][number]) => boolean) => (byDay.get(day) ?? []).filter(pred).reduce((s, c) => s + c.n, 0);

  const total = v.data.days.reduce((s, c) => s + c.n, 0);
  const answered = v.data.days.filter((c) => c.status === 'answered').reduce((s, c) => s + c.n, 0);
  const notFound = v.data.days.filter((c) => c.status === 'not_found').reduce((s, c) => s + c.n, 0);
  const up = v.data.feedback.filter((f) => f.helpful).reduce((s, f) => s + f.n, 0);
  const down = v.data.feedback.filter((f) => !f.helpful).reduce((s, f) => s + f.n, 0);
  const median = quantile(v.data.resolveMinutes, 0.5);
  const p90 = quantile(v.data.resolveMinutes, 0.9);
  const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)} %` : '–');

  const langSeries: Series[] = LANGS.map((l) => ({ key: l, label: common(`lang.${l}`, { lng: l }), className: `s-${l}` }));
  const statusSeries: Series[] = STATUSES.map((s) => ({ key: s, label: t(`status.${s}`), className: `s-${s}` }));
  const ticketSeries: Series[] = [
    { key: 'opened', label: t('ticketSeries.opened'), className: 's-opened' },
    { key: 'resolved', label: t('ticketSeries.resolved'), className: 's-resolved' },
  ];
  const ticketDay = new Map(v.data.ticketDays.map((d) => [d.day, d]));
  const votes = new Map<string, { label: string; up: number; down: number }>();
  for (const f of v.data.feedback) {
    const row =
      votes.get(f.topicId) ??
      votes.set(f.topicId, { label: f.topicId ? (v.titles.get(f.topicId) ?? f.topicId) : t('noTopic'), up: 0, down: 0 }).get(f.topicId)!;
    if (f.helpful) row.up += f.n;
    else row.down += f.n;
  }
  const voteRows = [...votes.values()].sort((a, b) => b.down + b.up - (a.down + a.up) || a.label.localeCompare(b.label)).slice(0, VOTE_ROWS);
  const buckets: Array<[string, number]> = [
    ['h1', 60],
    ['h4', 240],
    ['d1', 1440],
    ['d3', 4320],
    ['more', Infinity],
  ];
  const bucketOf = (m: number) => buckets.find(([, max]) => m < max)![0];
  const resolveSeries: Series[] = [{ key: 'n', label: t('totals.resolved'), className: 's-resolved' }];
  const empty = `<p class="empty">${e(t('noData'))}</p>`;
  const chart = (title: string, svg: string, hasData: boolean) => `<figure class="card"><figcaption>${e(title)}</figcaption>${hasData ? svg : empty}</figure>`;

  const tiles = [
    [t('totals.answers'), String(total)],
    [t('totals.answeredRate'), pct(answered, total)],
    [t('totals.notFound'), String(notFound)],
    [`${t('totals.up')} / ${t('totals.down')}`, `${up} / ${down}`],
    [t('totals.open'), String(v.data.tickets.open + v.data.tickets.assigned)],
    [t('totals.resolved'), String(v.data.tickets.resolved)],
    [t('totals.median'), duration(t, median)],
    [t('totals.p90'), duration(t, p90)],
  ]
    .map(([k, val]) => `<div class="tile"><span class="k">${e(k)}</span><span class="v">${e(val)}</span></div>`)
    .join('');

  const range = `<form class="range" method="get" action="/admin"><input type="hidden" name="lang" value="${v.lang}"><label for="days">${e(t('rangeLabel'))}</label>
<select id="days" name="days">${RANGES.map((d) => `<option value="${d}"${d === v.days ? ' selected' : ''}>${e(t('days', { count: d }))}</option>`).join('')}</select>
<button type="submit">${e(t('show'))}</button></form>`;

  const charts = [
    chart(
      t('charts.byLang'),
      stackedBars(t('charts.byLang'), labels, langSeries, (d, l) => sum(d, (c) => c.lang === l)),
      total > 0,
    ),
    chart(
      t('charts.byStatus'),
      stackedBars(t('charts.byStatus'), labels, statusSeries, (d, s) => sum(d, (c) => c.status === s)),
      total > 0,
    ),
    chart(
      t('charts.rate'),
      percentLine(
        t('charts.rate'),
        labels,
        labels.map((d) => {
          const all = sum(d, () => true);
          return all ? (sum(d, (c) => c.status === 'answered') / all) * 100 : undefined;
        }),
        's-rate',
      ),
      total > 0,
    ),
    chart(
      t('charts.votes', { count: VOTE_ROWS }),
      votesByTopic(t('charts.votes', { count: VOTE_ROWS }), voteRows, { up: t('totals.up'), down: t('totals.down') }),
      voteRows.length > 0,
    ),
    chart(
      t('charts.tickets'),
      groupedBars(t('charts.tickets'), labels, ticketSeries, (d, k) => ticketDay.get(d)?.[k as 'opened' | 'resolved'] ?? 0),
      v.data.ticketDays.length > 0,
    ),
    chart(
      t('charts.resolveTime'),
      groupedBars(
        t('charts.resolveTime'),
        buckets.map(([b]) => b),
        resolveSeries,
        (b) => v.data.resolveMinutes.filter((m) => bucketOf(m) === b).length,
        (b) => t(`buckets.${b}`),
      ),
      v.data.resolveMinutes.length > 0,
    ),
  ].join('\n');

  const groups = v.groups.length ? v.groups.map((g, i) => gapGroup(g, i, v, t, common)).join('\n') : `<p class="empty">${e(t('gaps.none'))}</p>`;
  const snippets = v.groups
    .map((g) => `<figure class="snippet"><figcaption>${e(suggestionTitle(g, v, t))}</figcaption><pre><code>${e(g.suggestion.yaml)}</code></pre></figure>`)
    .join('\n');

  return layout(
    v.lang,
    t,
    `<header class="top"><h1>${e(t('title'))}</h1><p>${e(t('range', { days: v.days, since: v.since }))}</p>${range}
<form method="post" action="/admin/logout"><button type="submit">${e(t('signIn.out'))}</button></form>
<p class="langs">${langLinks(v.lang, v.days, common)}</p></header>
<main>
<section class="tiles">${tiles}</section>
<section class="charts">
${charts}
</section>
<section class="gaps"><h2>${e(t('gaps.title'))}</h2><p>${e(t('gaps.help', { count: v.unansweredScanned }))}</p>
${groups}
</section>
<section class="content"><h2>${e(t('content.title'))}</h2><p>${e(t('content.help'))}</p>
${snippets || `<p class="empty">${e(t('gaps.none'))}</p>`}
</section>
<p class="timing">${e(t('timing', { db: v.timing.db.toFixed(1), group: v.timing.group.toFixed(1) }))}</p>
</main>`,
  );
}

function suggestionTitle(g: GapGroup, v: DashboardView, t: TFunction): string {
  const s = g.suggestion;
  if (s.kind === 'none') return `${g.label.slice(0, 80)} — ${t('content.none')}`;
  const topic = v.titles.get(s.topic) ?? s.topic;
  return s.kind === 'signature' ? t('content.signature', { topic }) : t('content.alias', { topic, lang: s.lang });
}

function gapGroup(g: GapGroup, i: number, v: DashboardView, t: TFunction, common: TFunction): string {
  const langs = Object.entries(g.langs)
    .map(([l, n]) => `${e(common(`lang.${l}`, { lng: l }))} ${n}`)
    .join(' · ');
  const near = g.nearTopics.length
    ? g.nearTopics.map((n) => `<code>${e(n.id)}</code> ${e(v.titles.get(n.id) ?? '')} (${n.n})`).join(', ')
    : e(t('gaps.nearNone'));
  const examples = g.examples.map((x) => `<li lang="${x.lang}"><pre>${e(x.question)}</pre></li>`).join('');
  return `<article class="gap" id="gap-${i + 1}">
<h3><span class="kind">${e(t(`gaps.kind.${g.kind}`))}</span> <code>${e(g.label.slice(0, 160))}</code></h3>
<p class="meta"><strong>${e(t('gaps.count', { count: g.count }))}</strong> · ${e(t('gaps.langs'))}: ${langs}${g.fromExperts ? ` · ${e(t('gaps.fromExperts', { count: g.fromExperts }))}` : ''}</p>
<p class="meta">${e(t('gaps.near'))}: ${near}</p>
<details><summary>${e(t('gaps.examples'))} (${g.examples.length})</summary><ul class="examples">${examples}</ul></details>
</article>`;
}
