import { Lexer, type Token, type Tokens } from 'marked';
import { normalizeText } from '../understand/normalize.ts';
import type { ContentError, DocMeta, Link, Section, Step, Table } from '../types.ts';

const ANCHOR_SUFFIX = /\s*\{#([A-Za-z0-9][A-Za-z0-9_-]*)\}\s*$/;
const ANCHOR_HTML = /<a\s+(?:name|id)="([^"]+)"\s*>\s*<\/a>/i;
const CALLOUT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/i;
const INLINE_COMMAND = /^(?:az|kubectl|docker|conda|pip|nslookup|dig|curl)\s/;

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

function tidy(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ').trim();
}

/** Kebab-case fallback anchor for a heading that has none. */
export function slugify(text: string): string {
  return tidy(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'section';
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
  return { anchor, depth, title, path, parentAnchor, paragraphs: [], steps: [], commands: [], tables: [], links: [], notes: [], markdown: '', line };
}

/** List items as steps: item text, nested lists folded in, a nested code block becomes the command. */
function listSteps(list: Tokens.List, d: Draft): Step[] {
  return list.items.map((item) => {
    const parts: string[] = [];
    const commands: string[] = [];
    for (const t of item.tokens) {
      if (t.type === 'code') commands.push(t.text.trim());
      else if (t.type === 'list') parts.push(listSteps(t as Tokens.List, d).map((s) => s.text).join('; '));
      else if (t.type === 'blockquote') parts.push(tidy(inlineBlock(t.tokens ?? [], d)).replace(CALLOUT, ''));
      else parts.push(inlineText('tokens' in t ? (t.tokens as Token[]) : [t], d.links, d.commands));
    }
    d.commands.push(...commands);
    const step: Step = { text: tidy(parts.join(' ')) };
    if (commands.length) step.command = commands.join('\n');
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
  return tokens.map((t) => ('tokens' in t && Array.isArray(t.tokens) ? inlineText(t.tokens, d.links, d.commands) : (t as { text?: string }).text ?? '')).join(' ');
}

function addBlock(t: Token, d: Draft, ordered: Step[], bullets: Step[]): void {
  switch (t.type) {
    case 'paragraph':
    case 'text': {
      const text = tidy(inlineText((t as Tokens.Paragraph).tokens, d.links, d.commands));
      if (text) d.paragraphs.push(text);
      break;
    }
    case 'list': {
      const steps = listSteps(t as Tokens.List, d);
      // A list of links to the sub-sections is navigation, not a fix.
      if (!isNavigation(t as Tokens.List)) ((t as Tokens.List).ordered ? ordered : bullets).push(...steps);
      break;
    }
    case 'code':
      d.commands.push(t.text.trim());
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
      for (const inner of (t as Tokens.Blockquote).tokens) if (inner.type === 'code') d.commands.push(inner.text.trim());
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
    addBlock(t, current, ordered, bullets);
    if (t.type !== 'space') previous = t.type;
  }
  finish();
  return { sections, errors };
}
