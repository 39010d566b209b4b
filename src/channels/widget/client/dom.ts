/** A tiny DOM builder: every string becomes a text node or an attribute value, never HTML. */

type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** Creates an element; `on*` props are listeners, `text` sets textContent, others are attributes (true = present). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child != null && child !== false) el.append(child);
  return el;
}

/**
 * Scrolls the conversation log (only the log, never the host page) so `el` is in view: as little as
 * needed when it fits, else its top, so a long answer is read from its start.
 */
export function reveal(el: Element | null | undefined): void {
  const log = el?.closest('.log');
  if (!el || !log) return;
  const box = log.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.height > box.height || r.top < box.top) log.scrollTop += r.top - box.top - 8;
  else if (r.bottom > box.bottom) log.scrollTop += r.bottom - box.bottom + 8;
}
