/**
 * Charts as inline SVG built on the server: no script and no style attribute, so the page's strict CSP holds
 * (colours come from classes in admin.css). Each chart has a <title> and <desc> for screen readers.
 */
import { escapeHtml as e } from '../../render/escape.ts';

/** One series of a bar chart: a CSS class (its colour) and a label for the legend. */
export interface Series {
  key: string;
  label: string;
  className: string;
}

const W = 720;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 36 };

/** A round axis maximum: 1, 2 or 5 × a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max)!;
}

const n = (v: number) => Math.round(v * 10) / 10;
/** An axis count: whole numbers, or one decimal on a small axis (0, 0.5, 1). */
const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

function legend(series: Series[]): string {
  return `<ul class="legend">${series.map((s) => `<li><svg width="12" height="12" aria-hidden="true"><rect class="${s.className}" width="12" height="12"/></svg> ${e(s.label)}</li>`).join('')}</ul>`;
}

function frame(title: string, desc: string, inner: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="t" xmlns="http://www.w3.org/2000/svg"><title>${e(title)}</title><desc>${e(desc)}</desc>${inner}</svg>`;
}

function yAxis(max: number, format: (v: number) => string): string {
  const plotH = H - PAD.top - PAD.bottom;
  return [0, 0.5, 1]
    .map((f) => {
      const y = n(PAD.top + plotH * (1 - f));
      return `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/><text class="axis" x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${e(format(max * f))}</text>`;
    })
    .join('');
}

/** Labels under the x axis: at most ~10, always the first and the last. */
function xLabels(labels: string[], x: (i: number) => number): string {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  return labels
    .map((l, i) =>
      i % every === 0 || i === labels.length - 1 ? `<text class="axis" x="${n(x(i))}" y="${H - PAD.bottom + 16}" text-anchor="middle">${e(l)}</text>` : '',
    )
    .join('');
}

/** Stacked bars: one bar per label, one segment per series. */
export function stackedBars(title: string, labels: string[], series: Series[], values: (label: string, key: string) => number): string {
  const totals = labels.map((l) => series.reduce((sum, s) => sum + values(l, s.key), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, slot * 0.7);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const bars = labels
    .map((l, i) => {
      let y = PAD.top + plotH;
      return series
        .map((s) => {
          const v = values(l, s.key);
          if (v <= 0) return '';
          const h = (v / max) * plotH;
          y -= h;
          return `<rect class="${s.className}" x="${n(x(i) - barW / 2)}" y="${n(y)}" width="${n(barW)}" height="${n(h)}"><title>${e(`${l} · ${s.label}: ${v}`)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const desc = labels.map((l, i) => `${l}: ${totals[i]}`).join('; ');
  return (
    frame(
      title,
      desc,
      yAxis(max, count) +
        bars +
        xLabels(
          labels.map((l) => l.slice(5)),
          x,
        ),
    ) + legend(series)
  );
}

/** Grouped bars: side by side per label (tickets opened and resolved per day). */
export function groupedBars(
  title: string,
  labels: string[],
  series: Series[],
  values: (label: string, key: string) => number,
  show?: (label: string) => string,
): string {
  const tick = show ?? ((l: string) => l.slice(5));
  const name = show ?? ((l: string) => l);
  const max = niceMax(Math.max(0, ...labels.flatMap((l) => series.map((s) => values(l, s.key)))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, (slot * 0.8) / series.length);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const bars = labels
    .map((l, i) =>
      series
        .map((s, j) => {
          const v = values(l, s.key);
          const h = (v / max) * plotH;
          const left = x(i) - (barW * series.length) / 2 + barW * j;
          return v > 0
            ? `<rect class="${s.className}" x="${n(left)}" y="${n(PAD.top + plotH - h)}" width="${n(barW)}" height="${n(h)}"><title>${e(`${name(l)} · ${s.label}: ${v}`)}</title></rect>`
            : '';
        })
        .join(''),
    )
    .join('');
  const desc = labels.map((l) => `${name(l)}: ${series.map((s) => `${s.label} ${values(l, s.key)}`).join(', ')}`).join('; ');
  return frame(title, desc, yAxis(max, count) + bars + xLabels(labels.map(tick), x)) + legend(series);
}

/** A line of percentages (0–100) per label; labels with no value (no answers that day) leave a gap. */
export function percentLine(title: string, labels: string[], values: Array<number | undefined>, className: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + plotH * (1 - v / 100);
  const runs: string[][] = [[]];
  values.forEach((v, i) => (v === undefined ? runs.push([]) : runs[runs.length - 1].push(`${n(x(i))},${n(y(v))}`)));
  const lines = runs
    .filter((r) => r.length)
    .map((r) => `<polyline class="${className}" points="${r.join(' ')}"/>`)
    .join('');
  const dots = values
    .map((v, i) =>
      v === undefined
        ? ''
        : `<circle class="${className}-dot" cx="${n(x(i))}" cy="${n(y(v))}" r="3"><title>${e(`${labels[i]}: ${v.toFixed(1)} %`)}</title></circle>`,
    )
    .join('');
  const desc = labels.map((l, i) => `${l}: ${values[i] === undefined ? '–' : `${values[i].toFixed(1)} %`}`).join('; ');
  return frame(
    title,
    desc,
    yAxis(100, (v) => `${Math.round(v)} %`) +
      lines +
      dots +
      xLabels(
        labels.map((l) => l.slice(5)),
        x,
      ),
  );
}

/** Diverging horizontal bars: 👎 to the left, 👍 to the right, one row per topic. */
export function votesByTopic(title: string, rows: Array<{ label: string; up: number; down: number }>, labels: { up: string; down: string }): string {
  const rowH = 22;
  const height = Math.max(1, rows.length) * rowH + 24;
  const mid = 420;
  const half = 250;
  const max = niceMax(Math.max(1, ...rows.flatMap((r) => [r.up, r.down])));
  const body = rows
    .map((r, i) => {
      const y = 8 + i * rowH;
      const up = (r.up / max) * half;
      const down = (r.down / max) * half;
      return (
        `<text class="axis" x="${mid - half - 8}" y="${y + 14}" text-anchor="end">${e(r.label.slice(0, 28))}</text>` +
        (down > 0
          ? `<rect class="s-down" x="${n(mid - down)}" y="${y}" width="${n(down)}" height="16"><title>${e(`${r.label} · ${labels.down}: ${r.down}`)}</title></rect>`
          : '') +
        (up > 0 ? `<rect class="s-up" x="${mid}" y="${y}" width="${n(up)}" height="16"><title>${e(`${r.label} · ${labels.up}: ${r.up}`)}</title></rect>` : '') +
        `<text class="axis" x="${n(mid + up + 4)}" y="${y + 13}">${r.up}</text><text class="axis" x="${n(mid - down - 4)}" y="${y + 13}" text-anchor="end">${r.down}</text>`
      );
    })
    .join('');
  const desc = rows.map((r) => `${r.label}: ${labels.up} ${r.up}, ${labels.down} ${r.down}`).join('; ');
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" xmlns="http://www.w3.org/2000/svg"><title>${e(title)}</title><desc>${e(desc)}</desc>` +
    `<line class="grid" x1="${mid}" x2="${mid}" y1="0" y2="${height - 16}"/>${body}</svg>` +
    legend([
      { key: 'up', label: labels.up, className: 's-up' },
      { key: 'down', label: labels.down, className: 's-down' },
    ])
  );
}
