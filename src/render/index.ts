/** Answer renderings shared by the channels: Markdown, and HTML that is safe to insert into a page. */
export { renderMarkdown, renderHtml, noticeText } from './answer.ts';
export { markdownToSafeHtml, safeHref } from './markdown.ts';
export { escapeAttribute, escapeHtml, escapeMarkdown, escapeText } from './escape.ts';
export { evidenceRuns, evidencePlain, type EvidenceRun } from './evidence.ts';
