import { Lexer, type Token, type Tokens } from 'marked';
import { normalizeText } from '../text/normalize.ts';
import type { CodeBlock, ContentError, DocMeta, Link, Section, Step, Table } from '../types.ts';

const ANCHOR_SUFFIX = /\s*\{#([A-Za-z0-9][A-Za-z0-9_-]*)\}\s*$/;
const ANCHOR_HTML = /<a\s+(?:name|id)="([^"]+)"\s*>\s*<\/a>/i;
const CALLOUT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/i;
const INLINE_COMMAND = /^(?:az|kubectl|docker|conda|pip|nslookup|dig|curl)\s/;
/** Fence info strings of shell: what a user types at a prompt. */
const SHELL_LANGS = new Set(['azurecli', 'azurecli-interactive', 'bash', 'sh', 'shell', 'console', 'azurepowershell', 'powershell', 'cmd']);
/** Fence info strings of output: shown, never run or copied. */
const OUTPUT_LANGS = new Set(['text', 'output', 'log', 'txt', 'plaintext']);
/** `<!-- causes -->` before a bullet list: its items say why the error happens, not what to do. */
const CAUSES_MARKER = /^<!--\s*causes\s*-->\s*$/i;

/** What a reader does with a fenced block: run it (command), put it in a file (code) or read it (output). */
export function classifyCode(info: string | undefined, text: string): CodeBlock {
  const lang = (info ?? '').trim().split(/\s+/)[0].toLowerCase();
  const code = text.trim();
  if (SHELL_LANGS.has(lang)) return { kind: 'command', lang, text: code };
  if (OUTPUT_LANGS.has(lang)) return { kind: 'output', lang, text: code };
  if (lang) return { kind: 'code', lang, text: code };
  // An untagged block: a shell line when it starts like one, else example output.
  return { kind: INLINE_COMMAND.test(code) ? 'command' : 'output', lang, text: code };
}

/** Blanks Microsoft Learn directives (`:::code`, `[!INCLUDE]`) but keeps line numbers. */
export function cleanLearnMarkdown(body: string): string {
  return body
    .split('\n')
    .map((line) => (/^\s*(:::|\[!INCLUDE|\s*\[!INCLUDE)/.test(line) || /^\s*>?\s*\[!INCLUDE/.test(line) ? '' : line))
    .join('\n');
}

/** Plain text of inline tokens; collects links and inline commands on the way. */
function inlineText(tokens: Token[] | undefined, links: Link[], commands: string[]): string {
  if (!tokens) return '';
  let out = '';
  for (const t of tokens) {
    switch (t.type) {
      case 'link':
        links.push({ text: inlineText(t.tokens, [], []), href: t.href });
        out += inlineText(t.tokens, links, commands);
        break;
      case 'codespan': {
        const code = decodeEntities(t.text);
        if (INLINE_COMMAND.test(code)) commands.push(code);
        out += code;
        break;
      }
      case 'br':
        out += ' ';
        break;
      case 'html':
        break;
      case 'image':
        out += t.text;
        break;
      default:
        out += 'tokens' in t && Array.isArray(t.tokens) ? inlineText(t.tokens, links, commands) : decodeEntities((t as { text?: string }).text ?? '');
    }
  }
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Display text: whitespace collapsed, invisible characters dropped, but no NFKC. NFKC would turn Chinese
 * full-width punctuation (，：（）) into ASCII in every answer; search normalizes what it indexes itself.
 */
function tidy(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Kebab-case fallback anchor for a heading that has none (NFKC, so anchors stay ASCII where they can). */
export function slugify(text: string): string {
  return (
    normalizeText(tidy(text))
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

/** Splits a heading's text into its title and anchor. */
export function parseHeading(raw: string): { title: string; anchor?: string } {
  let text = raw;
  let anchor: string | undefined;
  const suffix = ANCHOR_SUFFIX.exec(text);
  if (suffix) {
    anchor = suffix[1].toLowerCase();
    text = text.slice(0, suffix.index);
  }
  const html = ANCHOR_HTML.exec(text);
  if (html) {
    anchor ??= html[1].toLowerCase();
    text = text.replace(ANCHOR_HTML, '');
  }
  // Backticks, asterisks and Markdown escapes go; underscores stay (get_model_path, run(input_data)).
  return { title: tidy(text.replace(/<[^>]+>/g, '').replace(/[`*]|\\(?=[_*])/g, '')), anchor };
}

type Draft = Omit<Section, 'id' | 'lang' | 'doc' | 'file'>;

function newDraft(title: string, anchor: string, depth: number, path: string[], line: number, parentAnchor?: string): Draft {
  return {
    anchor,
    depth,
    title,
    path,
    parentAnchor,
    paragraphs: [],
    causes: [],
    steps: [],
    commands: [],
    blocks: [],
    tables: [],
    links: [],
    notes: [],
    markdown: '',
    line,
  };
}

/** Joins pieces of one item; Chinese full-width punctuation takes no space after it. */
function joinPieces(a: string, b: string): string {
  if (!a || !b) return a || b;
  return /[，。：；！？、（）]$/.test(a) ? a + b : `${a} ${b}`;
}

/** Nested items folded into one sentence: "; " ("；" after Chinese) unless an item already ends a sentence. */
function foldItems(texts: string[]): string {
  return texts.reduce((out, text) => {
    if (!out) return text;
    if (/[.!?:;]$/.test(out)) return `${out} ${text}`;
    if (/[。！？：；]$/.test(out)) return out + text;
    return /[\u3400-\u9fff]$/.test(out) ? `${out}；${text}` : `${out}; ${text}`;
  }, '');
}

/** List items as steps: item text, nested lists folded in; nested shell blocks are the command, other blocks the code. */
function listSteps(list: Tokens.List, d: Draft): Step[] {
  return list.items.map((item) => {
    const parts: string[] = [];
    const blocks: CodeBlock[] = [];
    for (const t of item.tokens) {
      if (t.type === 'code') blocks.push(classifyCode((t as Tokens.Code).lang, t.text));
      else if (t.type === 'list') parts.push(foldItems(listSteps(t as Tokens.List, d).map((s) => s.text)));
      else if (t.type === 'blockquote') parts.push(tidy(inlineBlock(t.tokens ?? [], d)).replace(CALLOUT, ''));
      else parts.push(inlineText('tokens' in t ? t.tokens : [t], d.links, d.commands));
    }
    d.commands.push(...blocks.map((b) => b.text));
    d.blocks.push(...blocks);
    const step: Step = { text: tidy(parts.map(tidy).reduce(joinPieces, '')) };
    const commands = blocks.filter((b) => b.kind === 'command');
    const other = blocks.filter((b) => b.kind !== 'command');
    if (commands.length) step.command = commands.map((b) => b.text).join('\n');
    if (other.length) step.code = { kind: other[0].kind, lang: other[0].lang, text: other.map((b) => b.text).join('\n\n') };
    return step;
  });
}

/** True when every item of a list is nothing but one link to an anchor of the same page. */
function isNavigation(list: Tokens.List): boolean {
  return list.items.every((item) => {
    const inline = item.tokens.length === 1 && 'tokens' in item.tokens[0] ? (item.tokens[0].tokens as Token[]) : [];
    const meaningful = inline.filter((t) => !(t.type === 'text' && !t.raw.trim()));
    return meaningful.length === 1 && meaningful[0].type === 'link' && (meaningful[0] as Tokens.Link).href.startsWith('#');
  });
}

function inlineBlock(tokens: Token[], d: Draft): string {
  return tokens
    .map((t) => ('tokens' in t && Array.isArray(t.tokens) ? inlineText(t.tokens, d.links, d.commands) : ((t as { text?: string }).text ?? '')))
    .join(' ');
}

function addBlock(t: Token, d: Draft, ordered: Step[], bullets: Step[], causes: boolean): void {
  switch (t.type) {
    case 'paragraph':
    case 'text': {
      const text = tidy(inlineText((t as Tokens.Paragraph).tokens, d.links, d.commands));
      if (text) d.paragraphs.push(text);
      break;
    }
    case 'list': {
      const steps = listSteps(t as Tokens.List, d);
      if (causes) d.causes.push(...steps.map((s) => s.text));
      // A list of links to the sub-sections is navigation, not a fix.
      else if (!isNavigation(t as Tokens.List)) ((t as Tokens.List).ordered ? ordered : bullets).push(...steps);
      break;
    }
    case 'code':
      d.commands.push(t.text.trim());
      d.blocks.push(classifyCode((t as Tokens.Code).lang, t.text));
      break;
    case 'table': {
      const tb = t as Tokens.Table;
      const table: Table = {
        header: tb.header.map((c) => tidy(inlineText(c.tokens, d.links, d.commands))),
        rows: tb.rows.map((r) => r.map((c) => tidy(inlineText(c.tokens, d.links, d.commands)))),
      };
      d.tables.push(table);
      break;
    }
    case 'blockquote': {
      const text = tidy(inlineBlock((t as Tokens.Blockquote).tokens, d)).replace(CALLOUT, '');
      for (const inner of (t as Tokens.Blockquote).tokens) {
        if (inner.type !== 'code') continue;
        d.commands.push(inner.text.trim());
        d.blocks.push(classifyCode((inner as Tokens.Code).lang, inner.text));
      }
      if (text) d.notes.push(text);
      break;
    }
    default:
      break;
  }
}

/** Turns one document body into sections, one per heading; errors name the file and line. */
export function parseSections(body: string, meta: DocMeta, bodyLine: number): { sections: Section[]; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const sections: Section[] = [];
  const seen = new Map<string, number>();
  const stack: Draft[] = [];
  let current: Draft | undefined;
  let ordered: Step[] = [];
  let bullets: Step[] = [];
  let line = bodyLine;
  let previous = '';
  let causesNext = false;

  const finish = (): void => {
    if (!current) return;
    // Numbered items are the fix when the source gives an order; otherwise the bullet list of fixes.
    current.steps = ordered.length ? ordered : bullets;
    sections.push({ ...current, id: `${meta.lang}:${current.anchor}`, lang: meta.lang, doc: meta.doc, file: meta.file });
    ordered = [];
    bullets = [];
  };

  for (const t of new Lexer({ gfm: true }).lex(cleanLearnMarkdown(body))) {
    const tokenLine = line;
    line += (t.raw.match(/\n/g) ?? []).length;
    if (t.type === 'heading') {
      finish();
      const { title, anchor: explicit } = parseHeading((t as Tokens.Heading).text);
      const anchor = explicit ?? slugify(title);
      const prior = seen.get(anchor);
      if (prior !== undefined) errors.push({ file: meta.file, line: tokenLine, message: `duplicate anchor "${anchor}" (first at line ${prior})` });
      seen.set(anchor, tokenLine);
      while (stack.length && stack[stack.length - 1].depth >= t.depth) stack.pop();
      const parent = stack[stack.length - 1];
      current = newDraft(title, anchor, t.depth, [...(parent?.path ?? []), title], tokenLine, parent?.anchor);
      stack.push(current);
      current.markdown = t.raw;
      continue;
    }
    if (!current) continue; // text before the first heading has no section to belong to
    current.markdown += t.raw;
    // "The following sections describe…:" before a list of sub-section links only introduces it.
    if (t.type === 'list' && isNavigation(t as Tokens.List) && previous === 'paragraph' && current.paragraphs.length > 1) current.paragraphs.pop();
    if (t.type === 'html' && CAUSES_MARKER.test(t.raw.trim())) {
      causesNext = true;
      continue;
    }
    addBlock(t, current, ordered, bullets, causesNext && t.type === 'list');
    if (t.type !== 'space') {
      if (causesNext && t.type !== 'list') errors.push({ file: meta.file, line: tokenLine, message: '<!-- causes --> must stand right before a bullet list' });
      causesNext = false;
      previous = t.type;
    }
  }
  finish();
  return { sections, errors };
}
