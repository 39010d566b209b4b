/** Answer renderings shared by the channels: Markdown, and HTML that is safe to insert into a page. */
export { renderMarkdown, renderHtml } from './answer.ts';
export { noticeText, looseCommands, linkRuns } from './parts.ts';
export { snippetHtml } from './snippet.ts';
export { markdownToSafeHtml, safeHref } from './markdown.ts';
export { escapeAttribute, escapeHtml, escapeMarkdown, escapeText } from './escape.ts';
export { evidenceRuns, evidencePlain, type EvidenceRun } from './evidence.ts';
