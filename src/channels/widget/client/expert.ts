/** Ask an expert in the widget: the offer under an answer, the contact form, the sent ticket and the expert's reply. */
import type { ExpertEntry } from './history.ts';
import { h } from './dom.ts';
import type { Translate } from './render.ts';

/** What the expert entry needs from the widget. */
export interface ExpertContext {
  t: Translate;
  /** Opens the ticket; resolves false when it could not be sent. */
  send(entry: ExpertEntry, contact: string): Promise<boolean>;
}

/** The "Ask an expert" button: primary after 👎 and on not_found, a quieter "Still stuck?" otherwise. */
export function expertOffer(t: Translate, primary: boolean, onclick: () => void): HTMLElement {
  return h(
    'p',
    { class: 'expert-offer' },
    h('button', { type: 'button', class: primary ? 'btn primary expert' : 'btn expert', text: t(primary ? 'expert.ask' : 'expert.stillStuck'), onclick }),
  );
}

/** The expert entry: a form until the ticket is sent, then its state and, once resolved, the reply. */
export function renderExpert(entry: ExpertEntry, ctx: ExpertContext): HTMLElement {
  const el = h('div', { class: 'msg expert', 'data-ticket': entry.ticket?.id });
  if (entry.ticket) {
    // "The reply will appear here" is a promise: once the reply is shown, only the reply is.
    if (entry.reply) el.append(h('h4', { text: ctx.t('expert.reply') }), h('p', { class: 'reply', text: entry.reply.text }));
    else
      el.append(
        h('p', { class: 'sent', text: ctx.t('expert.sent', { id: entry.ticket.id.slice(0, 8) }) }),
        h('p', { class: 'notice', text: ctx.t('expert.waiting') }),
      );
    return el;
  }
  const contact = h('input', {
    type: 'text',
    class: 'contact',
    maxlength: 200,
    autocomplete: 'email',
    'aria-label': ctx.t('expert.contact'),
    placeholder: ctx.t('expert.contact'),
  });
  const status = h('p', { class: 'thanks', role: 'status' });
  const form = h(
    'form',
    {
      class: 'comment-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void ctx.send(entry, contact.value.trim()).then((sent) => {
          if (!sent) status.textContent = ctx.t('errors.ticket');
        });
      },
    },
    contact,
    h('button', { type: 'submit', class: 'btn primary', text: ctx.t('expert.send') }),
  );
  el.append(h('p', { text: ctx.t('expert.intro') }), form, status);
  return el;
}
