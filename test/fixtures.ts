/** Answers built by hand for renderer tests (the engine is not needed to test a rendering). */
import type { Answer, Evidence, Lang } from '../src/engine/types.ts';

/** What the engine says for a pasted quota error: the code found in the output, an alias in the user's words. */
export const quotaEvidence: Evidence[] = [
  { kind: 'code', text: 'QuotaExceeded', inOutput: true },
  { kind: 'alias', text: 'Total Regional Cores quota', inOutput: false },
];

/** An answered OutOfQuota topic in `lang` with the given evidence; `extra` overrides any field. */
export const quotaAnswer = (lang: Lang, evidence: Evidence[], extra: Partial<Answer> = {}): Answer => ({
  status: 'answered',
  lang,
  requestedLang: lang,
  topic: { id: 'OutOfQuota', title: 'OutOfQuota', codes: ['OutOfQuota'], legacy: false },
  summary: 'Not enough quota.',
  causes: [],
  steps: [{ text: 'Request more quota' }],
  commands: [],
  code: [],
  tables: [],
  notes: [],
  links: [],
  related: [],
  alternatives: [],
  suggestions: [],
  confidence: 0.9,
  notices: [],
  evidence,
  ...extra,
});
