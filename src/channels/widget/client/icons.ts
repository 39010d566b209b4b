/** Inline SVG icons: emoji (💬 🗑 👍 👎) render as empty boxes where no emoji font is installed; a path always draws. */

const SVG = 'http://www.w3.org/2000/svg';

/** 24×24 stroke paths; stroke, size and colour come from the stylesheet (`svg` rule), so each icon is one `d`. */
const PATHS = {
  chat: 'M4 5h16v11H10l-5 4v-4H4z',
  trash: 'M4 7h16M10 4h4M6 7l1 13h10l1-13M10 11v5M14 11v5',
  close: 'M6 6l12 12M18 6 6 18',
  up: 'M7 11v9H4v-9zm0 0 4-8c1.5 0 2.5 1 2 3l-1 3h6a2 2 0 0 1 2 2l-2 7a2 2 0 0 1-2 2H7',
} as const;

export type IconName = keyof typeof PATHS | 'down';

/** An aria-hidden icon; the button around it carries the i18n label. `down` is `up` flipped upside down. */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name === 'down' ? 'up' : name]);
  if (name === 'down') path.setAttribute('transform', 'matrix(1 0 0 -1 0 24)');
  svg.append(path);
  return svg;
}
