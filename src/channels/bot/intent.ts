import { isLang, type Lang } from '../../engine/types.ts';

/** What a user's message asks the bot to do, before the engine is involved. */
export type Intent = { kind: 'next'; lang?: Lang } | { kind: 'all'; lang?: Lang } | { kind: 'help'; lang?: Lang } | { kind: 'question'; text: string };

// Command words carry a language only when they are not English: "다음" says Korean, "next" says
// nothing (a Korean user may well type "next"), so English commands keep the conversation's language.
const COMMANDS: Array<{ kind: 'next' | 'all' | 'help'; words: string[]; lang?: Lang }> = [
  { kind: 'next', words: ['next', 'next step', 'continue', 'n'] },
  { kind: 'next', words: ['다음', '다음 단계', '계속'], lang: 'ko' },
  { kind: 'next', words: ['下一步', '下一个', '继续'], lang: 'zh' },
  { kind: 'all', words: ['all', 'all steps', 'show all'] },
  { kind: 'all', words: ['모든 단계', '전체 단계', '전체'], lang: 'ko' },
  { kind: 'all', words: ['全部步骤', '所有步骤', '全部'], lang: 'zh' },
  { kind: 'help', words: ['help', 'hi', 'hello', 'start'] },
  { kind: 'help', words: ['도움말', '도움', '안녕', '안녕하세요'], lang: 'ko' },
  { kind: 'help', words: ['帮助', '你好', '使用说明'], lang: 'zh' },
];

const COMMAND_MAX_CHARS = 64;
const LEADING_PUNCTUATION = /^[\s/!.。！？?]+/;
const TRAILING_PUNCTUATION = /[\s.。！!]/;

/** Normalises a command candidate: case, surrounding punctuation and inner whitespace. */
function commandKey(text: string): string {
  // The end is trimmed by hand: a global /[…]+$/ retries at every character of a run, so "x" + "." × n + "x" took O(n²).
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION.test(text[end - 1])) end--;
  const core = text.slice(0, end).replace(LEADING_PUNCTUATION, '');
  // Longer than any command: a pasted log is not lower-cased and re-spaced (150–250 ms for 1 MB) to learn that.
  return core.length > COMMAND_MAX_CHARS ? '' : core.toLowerCase().replace(/\s+/g, ' ');
}

/** Classifies a message as a step command, help, or a question for the engine. */
export function parseIntent(text: string): Intent {
  const key = commandKey(text);
  if (key === '' && text.trim() === '?') return { kind: 'help' };
  for (const command of COMMANDS) {
    if (command.words.includes(key)) {
      return command.lang ? { kind: command.kind, lang: command.lang } : { kind: command.kind };
    }
  }
  return { kind: 'question', text };
}

/** The language a text is written in, or undefined when it has no letters to tell (codes, numbers). */
export function textLang(text: string, detect: (text: string) => Lang): Lang | undefined {
  if (/[\p{Script=Hangul}\p{Script=Han}]/u.test(text)) return detect(text);
  // Error codes and log lines alone ("OutOfQuota", "HTTP 503") are not evidence of English.
  const words = text.match(/\b[A-Za-z]{2,}\b/g) ?? [];
  const plainWords = words.filter((w) => w === w.toLowerCase());
  return plainWords.length >= 2 ? 'en' : undefined;
}

/** `ko-KR` → ko, `zh-CN`/`zh-TW` → zh, `en-US` → en; anything else → undefined. */
export function localeLang(locale: string | undefined): Lang | undefined {
  const primary = locale?.trim().split(/[-_]/)[0]?.toLowerCase();
  return isLang(primary) ? primary : undefined;
}

// Only real HTML tags are undone: a pasted `<endpoint-name>` placeholder must survive. `attachment` is
// Teams' placeholder for a card (or file) carried by the message: it is not text the user wrote. Attributes stop at
// the next `<` as well as `>`: with `[^>]*` an unclosed "<p " repeated 100,000 times took about 15 s (each
// start scanned to the end of the text), now each start scans only to the next tag.
const HTML_TAG =
  /<\/?(?:p|div|span|pre|code|br|b|i|u|s|strong|em|ul|ol|li|table|thead|tbody|tr|td|th|a|at|attachment|img|blockquote|h[1-6]|hr|font|systemtag)(?:\s[^<>]*)?\/?>/gi;

/**
 * Teams delivers rich messages (pasted code, formatted logs) as HTML; the engine wants plain text.
 * Only tags and the common entities are undone: this is input cleaning, not rendering.
 */
export function plainText(text: string): string {
  if (!new RegExp(HTML_TAG.source, 'i').test(text) && !/&(?:lt|gt|amp|quot|nbsp|#39|apos);/.test(text)) return text;
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|pre|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(HTML_TAG, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
