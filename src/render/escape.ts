const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const ALL: Record<string, string> = { ...TEXT, "'": '&#39;' };

/** Escapes text for HTML element content and attribute values, either quote. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ALL[c]);
}

/** Escapes text for HTML element content: `&`, `<` and `>` (quotes need no escape outside attributes). */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => TEXT[c]);
}

/** Escapes text for a double-quoted attribute value: `&`, `<`, `>` and `"`. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => TEXT[c]);
}

/** Escapes plain text so Markdown shows it literally (placeholders like <endpoint-name> survive). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|]/g, '\\$&')
    .replace(/^(\s*)([#+-])(\s)/gm, '$1\\$2$3')
    .replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

/** A fenced code block whose fence is longer than any backtick run inside the code. */
export function fence(code: string, indent = '', info = ''): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const body = code
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n');
  return `${indent}${ticks}${/^[\w+-]+$/.test(info) ? info : ''}\n${body}\n${indent}${ticks}`;
}

/** An inline code span whose backtick fence is longer than any backtick run inside (CommonMark). */
export function codeSpan(code: string): string {
  const ticks = '`'.repeat(Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  // A span starting or ending with a backtick needs a space so the fence is not read as longer.
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}
