/**
 * The "why this answer" line, as plain runs every channel turns into its own markup. It imports only
 * types, so the browser widget bundles it too and all four surfaces say the same words.
 */
import type { Evidence } from '../engine/types.ts';

/** A piece of the line: plain text, or text to show as code. Never markup. */
export interface EvidenceRun {
  text: string;
  code?: boolean;
}

/** Any i18next-style translate function (server TFunction or the widget's). */
export type EvidenceTranslate = (key: string, options?: Record<string, unknown>) => string;

/** Items shown at most, and characters kept of each (the rest becomes an ellipsis). */
export const EVIDENCE_MAX_ITEMS = 3;
export const EVIDENCE_MAX_CHARS = 80;

// Stands in for the matched text while translating. The text itself never goes through i18next, so
// `{{…}}` or `$t(…)` in it stays literal and each template is translated (and remembered) once.
const SLOT = '\u0001';

/** One line, whitespace collapsed, cut to `max` characters (code points, so no half surrogate pair) with an ellipsis. */
export function clip(text: string, max = EVIDENCE_MAX_CHARS): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : chars.join('');
}

/** Splits a translated template around SLOT into runs, the slot filled with `fill`. */
function around(template: string, fill: EvidenceRun[]): EvidenceRun[] {
  const at = template.indexOf(SLOT);
  if (at < 0) return [{ text: template }];
  const before = template.slice(0, at);
  const after = template.slice(at + SLOT.length);
  return [...(before ? [{ text: before }] : []), ...fill, ...(after ? [{ text: after }] : [])];
}

/**
 * Codes and message signatures are shown as code, aliases and matched words as a quoted phrase;
 * either says "in your output" when it was found in pasted output rather than in the user's words.
 */
function item(evidence: Evidence, t: EvidenceTranslate): EvidenceRun[] {
  const code = evidence.kind === 'code' || evidence.kind === 'signature';
  const key = `common:answer.evidence.${code ? 'code' : 'phrase'}${evidence.inOutput ? 'InOutput' : ''}`;
  return around(t(key, { text: SLOT }), [{ text: clip(evidence.text), code }]);
}

/** The localized evidence line as runs; empty when there is no evidence (then no line is shown). */
export function evidenceRuns(evidence: readonly Evidence[] | undefined, t: EvidenceTranslate): EvidenceRun[] {
  const shown = (evidence ?? []).filter((e) => e.text.trim()).slice(0, EVIDENCE_MAX_ITEMS);
  if (!shown.length) return [];
  const separator = t('common:answer.evidence.separator');
  const items = shown.flatMap((e, i) => [...(i ? [{ text: separator }] : []), ...item(e, t)]);
  // Adjacent plain runs are merged, so renderers see "Matched: " rather than "Matched: " + "".
  return around(t('common:answer.evidence.line', { items: SLOT }), items).reduce<EvidenceRun[]>((runs, run) => {
    const last = runs[runs.length - 1];
    if (last && !last.code && !run.code) last.text += run.text;
    else runs.push({ ...run });
    return runs;
  }, []);
}

/** The runs as plain text, code shown between backticks (for terminals and logs). */
export function evidencePlain(runs: readonly EvidenceRun[]): string {
  return runs.map((r) => (r.code ? `\`${r.text}\`` : r.text)).join('');
}
