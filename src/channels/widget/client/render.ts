/** Renders conversation entries to DOM nodes, built with textContent only (no HTML strings anywhere). */
import type { CodeBlock, Evidence, Step, TopicRef } from '../../../engine/types.ts';
import { evidenceRuns } from '../../../render/evidence.ts';
import { codeLabelKey, linkRuns, looseCommands, noticeText } from '../../../render/parts.ts';
import type { AskRequest, Failure } from './api.ts';
import type { Entry } from './history.ts';
import { expertOffer, renderExpert, type ExpertContext } from './expert.ts';
import { h, reveal } from './dom.ts';
import { icon } from './icons.ts';
import { articlePath, inlineRuns, isSafeUrl } from './text.ts';

type AnswerEntry = Extract<Entry, { kind: 'answer' }>;
type ErrorEntry = Extract<Entry, { kind: 'error' }>;
type UserEntry = Extract<Entry, { kind: 'user' }>;

/** Translates a key of the widget namespace (or `common:…`). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface RenderContext extends ExpertContext {
  t: Translate;
  /** The API base (the widget script's folder), for links to article pages. */
  base: string;
  /** Asks a follow-up: `label` is shown as the user's message. */
  ask(label: string, request: AskRequest): void;
  /** Sends 👍/👎 (and an optional comment); resolves false when it could not be sent. */
  vote(entry: AnswerEntry, helpful: boolean, comment?: string): Promise<boolean>;
  retry(entry: ErrorEntry): void;
  /** The entry changed in place (step shown, vote): persist it. */
  changed(): void;
  /** Offers an expert for this answer (adds the expert entry with its form). */
  askExpert(entry: AnswerEntry): void;
}

/** Renders one entry of the conversation. */
export function renderEntry(entry: Entry, ctx: RenderContext): HTMLElement {
  if (entry.kind === 'user') return renderUser(entry, ctx);
  if (entry.kind === 'error') return renderError(entry, ctx);
  if (entry.kind === 'expert') return renderExpert(entry, ctx);
  return renderAnswer(entry, ctx);
}

/** A question over this many lines (or characters) is folded to its first lines, with "Show all". */
const FOLD_LINES = 6;
const FOLD_CHARS = 400;

/** The user's question; a long paste is folded so one log does not push the answer out of sight. */
function renderUser(entry: UserEntry, ctx: RenderContext): HTMLElement {
  const long = entry.text.length > FOLD_CHARS || entry.text.split('\n', FOLD_LINES + 1).length > FOLD_LINES;
  const el = h(
    'div',
    { class: long ? 'msg user long' : 'msg user' },
    h('span', { class: 'sr', text: ctx.t('you') + ': ' }),
    long ? h('span', { class: 'q', text: entry.text }) : entry.text,
  );
  if (long) {
    const more = h('button', { type: 'button', class: 'btn link more', 'aria-expanded': 'false', text: ctx.t('more') });
    more.addEventListener('click', () => {
      const open = el.classList.toggle('open');
      more.setAttribute('aria-expanded', String(open));
      more.textContent = ctx.t(open ? 'less' : 'more');
    });
    el.append(more);
  }
  return el;
}

/** Text with `code` runs as <code> elements. */
function inline(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const run of inlineRuns(text)) frag.append(run.code ? h('code', { text: run.text }) : run.text);
  return frag;
}

/** Why this answer, as one small line of text nodes and <code> elements; nothing when there is no evidence. */
export function evidenceLine(evidence: Evidence[] | undefined, t: Translate): HTMLElement | '' {
  // Answers restored from sessionStorage by an older widget have no evidence field.
  const runs = evidenceRuns(evidence, t);
  return runs.length ? h('p', { class: 'evidence' }, ...runs.map((r) => (r.code ? h('code', { text: r.text }) : r.text))) : '';
}

/** A failure message for the user, in the UI language. */
export function failureText(failure: Failure, t: Translate): string {
  if (failure.kind === 'rate') return failure.retryAfter ? t('errors.rate', { seconds: failure.retryAfter }) : t('errors.rateSoon');
  return t(`errors.${failure.kind}`);
}

function renderError(entry: ErrorEntry, ctx: RenderContext): HTMLElement {
  // A refused widget key stays refused until the site's administrator fixes it: no "Try again".
  const retry = entry.failure.kind !== 'auth' && h('button', { type: 'button', class: 'btn', text: ctx.t('retry'), onclick: () => ctx.retry(entry) });
  return h('div', { class: 'msg error', role: 'alert' }, h('p', { text: failureText(entry.failure, ctx.t) }), retry);
}

function command(code: string, ctx: RenderContext): HTMLElement {
  const button = h('button', { type: 'button', class: 'btn copy', text: ctx.t('copy'), 'aria-label': ctx.t('copyLabel', { command: code.slice(0, 60) }) });
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code).then(
      () => {
        button.textContent = ctx.t('copied');
        setTimeout(() => (button.textContent = ctx.t('copy')), 2000);
      },
      () => getSelection()?.selectAllChildren(pre),
    );
  });
  const pre = h('pre', { tabindex: 0 }, h('code', { text: code }));
  return h('div', { class: 'cmd' }, pre, button);
}

/** A snippet or example output: shown as code, with no copy button (it is not something to run). */
function codeBlock(block: CodeBlock): HTMLElement {
  return h('div', { class: `code ${block.kind}` }, h('pre', { tabindex: 0 }, h('code', { text: block.text })));
}

type Answered = AnswerEntry['answer'];

/** Answer text with its links: a web page opens in a new tab, another topic is answered here. */
function linked(text: string, a: Answered, ctx: RenderContext): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const run of linkRuns(text, a.links)) {
    const link = run.link;
    if (link?.href && isSafeUrl(link.href)) frag.append(h('a', { href: link.href, target: '_blank', rel: 'noopener', text: run.text }));
    else if (link?.topic) {
      const topic = link.topic;
      frag.append(
        h('button', {
          type: 'button',
          class: 'btn link inline',
          'data-topic': topic,
          text: run.text,
          onclick: () => ctx.ask(run.text, { question: run.text, lang: a.lang, topic }),
        }),
      );
    } else frag.append(inline(run.text));
  }
  return frag;
}

function stepBody(step: Step, ctx: RenderContext, a: Answered): DocumentFragment {
  const frag = document.createDocumentFragment();
  frag.append(h('p', {}, linked(step.text, a, ctx)), step.command ? command(step.command, ctx) : '', step.code ? codeBlock(step.code) : '');
  return frag;
}

function topicButtons(refs: TopicRef[], lang: string, ctx: RenderContext): HTMLElement {
  return h(
    'ul',
    { class: 'chips' },
    ...refs.map((ref) =>
      h(
        'li',
        {},
        h('button', {
          type: 'button',
          class: 'chip',
          lang,
          text: ref.title,
          onclick: () => ctx.ask(ref.title, { question: ref.title, lang: lang as AskRequest['lang'], topic: ref.id }),
        }),
      ),
    ),
  );
}

/** The steps: one at a time with back / next / show all, or all of them as a numbered list. */
function renderSteps(entry: AnswerEntry, ctx: RenderContext): HTMLElement {
  const { steps } = entry.answer;
  const box = h('div', { class: 'steps' });
  const draw = (focus?: 'next' | 'back' | 'toggle') => {
    const stepwise = !entry.all && steps.length > 1;
    const n = Math.min(entry.step, steps.length - 1);
    const go = (to: number, which: 'next' | 'back') => () => {
      entry.step = to;
      ctx.changed();
      draw(which);
    };
    const toggle = h('button', {
      type: 'button',
      class: 'btn link',
      'data-action': 'toggle',
      text: ctx.t(stepwise ? 'showAll' : 'stepByStep'),
      onclick: () => {
        entry.all = stepwise;
        ctx.changed();
        draw('toggle');
      },
    });
    const back = h('button', {
      type: 'button',
      class: 'btn',
      'data-action': 'back',
      text: '← ' + ctx.t('back'),
      disabled: n === 0,
      onclick: go(n - 1, 'back'),
    });
    const next = h('button', {
      type: 'button',
      class: 'btn primary',
      'data-action': 'next',
      text: ctx.t('next') + ' →',
      disabled: n === steps.length - 1,
      onclick: go(n + 1, 'next'),
    });
    box.replaceChildren(
      ...(stepwise
        ? [
            h('p', { class: 'counter', 'aria-live': 'polite', text: ctx.t('step', { n: n + 1, total: steps.length }) }),
            h('div', { class: 'step', 'data-step': n + 1 }, stepBody(steps[n], ctx, entry.answer)),
            h('div', { class: 'nav' }, back, next, toggle),
          ]
        : [
            h('ol', {}, ...steps.map((step, i) => h('li', { 'data-step': i + 1 }, stepBody(step, ctx, entry.answer)))),
            steps.length > 1 ? h('div', { class: 'nav' }, toggle) : '',
          ]),
    );
    // Keep keyboard focus on a live control when the pressed one is disabled or replaced.
    const target =
      focus === 'toggle' ? toggle : focus === 'next' ? (next.disabled ? back : next) : focus === 'back' ? (back.disabled ? next : back) : undefined;
    target?.focus();
  };
  draw();
  return box;
}

function renderFeedback(entry: AnswerEntry, ctx: RenderContext): HTMLElement {
  const box = h('div', { class: 'feedback' });
  const status = h('p', { class: 'thanks', role: 'status' });
  const draw = (focus?: boolean) => {
    // Event handlers return nothing: the async work runs detached (`void`), its failures are shown by ctx.vote's result.
    const vote = (helpful: boolean) => () =>
      void (async () => {
        entry.vote = helpful ? 'up' : 'down';
        const sent = await ctx.vote(entry, helpful);
        status.textContent = ctx.t(sent ? 'thanks' : 'errors.feedback');
        if (!sent) entry.vote = undefined;
        ctx.changed();
        draw(helpful);
      })();
    const button = (helpful: boolean) =>
      h(
        'button',
        {
          type: 'button',
          class: 'btn vote',
          'data-vote': helpful ? 'up' : 'down',
          'aria-label': ctx.t(helpful ? 'helpful' : 'notHelpful'),
          title: ctx.t(helpful ? 'helpful' : 'notHelpful'),
          'aria-pressed': String(entry.vote === (helpful ? 'up' : 'down')),
          onclick: vote(helpful),
        },
        icon(helpful ? 'up' : 'down'),
      );
    const comment = entry.vote === 'down' && !entry.commented ? commentForm(entry, ctx, status, draw) : '';
    const up = button(true);
    const down = button(false);
    // Ask an expert: offered first after 👎 and on not_found, as "Still stuck?" otherwise; once per answer.
    const offer = entry.expert ? '' : expertOffer(ctx.t, entry.vote === 'down' || entry.answer.status === 'not_found', () => ctx.askExpert(entry));
    box.replaceChildren(h('span', { text: ctx.t('feedbackAsk') }), up, down, comment, status, offer);
    // The pressed button was replaced: keep keyboard focus on its successor.
    if (focus !== undefined) (focus ? up : down).focus();
    // 👎 opens the comment box under the answer: bring it into view rather than below the fold.
    if (comment) reveal(comment);
  };
  draw();
  return box;
}

function commentForm(entry: AnswerEntry, ctx: RenderContext, status: HTMLElement, redraw: (focus?: boolean) => void): HTMLElement {
  const input = h('input', { type: 'text', class: 'comment', maxlength: 500, 'aria-label': ctx.t('comment'), placeholder: ctx.t('comment') });
  return h(
    'form',
    {
      class: 'comment-form',
      onsubmit: (event: Event) =>
        void (async () => {
          event.preventDefault();
          const text = input.value.trim();
          if (!text) return;
          const sent = await ctx.vote(entry, false, text);
          status.textContent = ctx.t(sent ? 'thanks' : 'errors.feedback');
          if (sent) {
            entry.commented = true;
            ctx.changed();
            redraw(false);
          }
        })(),
    },
    input,
    h('button', { type: 'submit', class: 'btn', text: ctx.t('sendComment') }),
  );
}

function renderAnswer(entry: AnswerEntry, ctx: RenderContext): HTMLElement {
  const a = entry.answer;
  // The answer's own words (clarify, not found, headings, notices, evidence) are in its language, like its content.
  const t: Translate = (key, options) => ctx.t(key, { lng: a.lang, ...options });
  const el = h('article', { class: `msg answer ${a.status}`, lang: a.lang, 'data-status': a.status, 'data-topic': a.topic?.id, 'data-answer-id': a.id });
  const notices = a.notices.map((n) => h('p', { class: 'notice', text: noticeText(n, a, t) }));
  if (a.status === 'clarify') {
    el.append(
      a.topic ? h('h3', { class: 'topic', text: a.topic.title }) : '',
      ...notices,
      evidenceLine(a.evidence, t),
      a.summary ? h('p', { class: 'summary' }, inline(a.summary)) : '',
      h('p', { text: t('common:answer.clarify') }),
      topicButtons(a.alternatives, a.lang, ctx),
    );
    return el;
  }
  if (a.status === 'not_found') {
    el.append(
      ...notices,
      h('p', { text: t('common:answer.notFound') }),
      a.suggestions.length ? h('p', { text: t('common:answer.suggestions') }) : '',
      topicButtons(a.suggestions, a.lang, ctx),
      renderFeedback(entry, ctx),
    );
    return el;
  }
  const loose = looseCommands(a);
  // Answers restored from sessionStorage by an older widget have no causes, code or links.
  const causes = a.causes ?? [];
  const href = a.topic ? new URL(articlePath(a.lang, a.topic.id), ctx.base).href : a.source?.url;
  el.append(
    h('h3', { class: 'topic' }, a.topic?.title ?? ''),
    ...notices,
    evidenceLine(a.evidence, t),
    a.summary ? h('p', { class: 'summary' }, linked(a.summary, a, ctx)) : '',
    causes.length ? h('h4', { text: t('common:answer.causes') }) : '',
    causes.length ? h('ul', { class: 'causes' }, ...causes.map((c) => h('li', {}, linked(c, a, ctx)))) : '',
    a.steps.length ? h('h4', { text: t('common:answer.steps') }) : '',
    a.steps.length ? renderSteps(entry, ctx) : '',
    loose.length ? h('h4', { text: t('common:answer.commands') }) : '',
    ...loose.map((c) => command(c, ctx)),
    ...(a.code ?? []).flatMap((block) => [h('h4', { text: t(codeLabelKey(block)) }), codeBlock(block)]),
    ...a.tables.map((table) =>
      h(
        'div',
        { class: 'table', tabindex: 0 },
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, ...table.header.map((c) => h('th', { scope: 'col', text: c })))),
          h('tbody', {}, ...table.rows.map((r) => h('tr', {}, ...r.map((c) => h('td', { text: c }))))),
        ),
      ),
    ),
    ...a.notes.map((n) => h('p', { class: 'note' }, linked(n, a, ctx))),
    a.source
      ? h(
          'p',
          { class: 'source' },
          t('common:answer.source') + ': ',
          href && isSafeUrl(href) ? h('a', { href, target: '_blank', rel: 'noopener', text: a.source.section || a.source.title }) : a.source.title,
        )
      : '',
    a.related.length ? h('h4', { text: t('common:answer.related') }) : '',
    a.related.length ? topicButtons(a.related, a.lang, ctx) : '',
    renderFeedback(entry, ctx),
  );
  return el;
}
