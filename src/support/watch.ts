/** Ticket changes as they are committed, for channels that route tickets (the Teams experts' channel). */
import type { Store, TicketAction, TicketRecord } from '../store/types.ts';

/** A committed change: a new ticket, or an expert's action that was applied (refused actions are no change). */
export interface TicketChange {
  kind: 'created' | TicketAction['kind'];
  ticket: TicketRecord;
}

/**
 * The store with `onChange` called after each ticket change it commits (never before, never for a refused
 * action). `onChange` must not throw or wait: it starts background work (a proactive Teams message).
 */
export function watchTickets(store: Store, onChange: (change: TicketChange) => void): Store {
  // Everything else is the store's own (also when it is itself a wrapper, such as the webhook's outbox).
  const watched: Store = Object.create(store);
  watched.createTicket = async (ticket, event) => {
    await store.createTicket(ticket, event);
    onChange({ kind: 'created', ticket });
  };
  watched.actOnTicket = async (id, action, event) => {
    const result = await store.actOnTicket(id, action, event);
    if (result.outcome === 'done') onChange({ kind: action.kind, ticket: result.ticket });
    return result;
  };
  return watched;
}
