/** The outbox (webhook events, Teams deliveries): the behaviour every Store must have (registered by storeContract). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxEvent, TicketEventBuilder } from '../../src/store/outbox.ts';
import { withFixture, type StoreFixture } from './fixture.ts';
import { ticket } from './tickets-contract.ts';

const T = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();

/** An event per ticket state, its body the state it saw (as the webhook's is the ticket after the change). */
const eventOf =
  (type: string): TicketEventBuilder =>
  (t): OutboxEvent => ({ id: `${t.id}:${type}`, type, at: t.updatedAt, body: JSON.stringify({ type, status: t.status, assignee: t.assignee ?? null }) });

/** Registers the outbox contract tests for one kind of store. */
export function outboxContract(name: string, open: () => Promise<StoreFixture>): void {
  const withStore = withFixture(open);

  describe(`${name} store contract: webhook outbox`, () => {
    it(
      'commits a ticket’s event with the ticket and an action’s event with the action, built from the ticket after it; none for a refused action',
      withStore(async ({ store }) => {
        await store.createTicket(ticket('t1', { at: T(0), updatedAt: T(0) }), eventOf('ticket.created'));
        await store.createTicket(ticket('t2', { at: T(0), updatedAt: T(0) })); // no webhook: no event
        await store.actOnTicket('t1', { kind: 'assign', expert: 'lee', at: T(1) }, eventOf('ticket.assigned'));
        await store.actOnTicket('t1', { kind: 'resolve', expert: 'lee', answer: 'ok', at: T(2) }, eventOf('ticket.resolved'));
        await store.actOnTicket('t1', { kind: 'assign', expert: 'park', at: T(3) }, eventOf('ticket.assigned.again')); // refused: resolved
        await store.actOnTicket('nope', { kind: 'assign', expert: 'park', at: T(3) }, eventOf('ticket.unknown'));
        assert.deepEqual(await store.outboxState(), { pending: 3, dead: 0, nextDue: T(0) });
        const claimed = await store.claimOutbox({ now: T(10), leaseUntil: T(70), limit: 10 });
        assert.deepEqual(
          claimed.sort((x, y) => x.at.localeCompare(y.at)),
          [
            { id: 't1:ticket.created', type: 'ticket.created', at: T(0), body: '{"type":"ticket.created","status":"open","assignee":null}', attempts: 1 },
            {
              id: 't1:ticket.assigned',
              type: 'ticket.assigned',
              at: T(1),
              body: '{"type":"ticket.assigned","status":"assigned","assignee":"lee"}',
              attempts: 1,
            },
            {
              id: 't1:ticket.resolved',
              type: 'ticket.resolved',
              at: T(2),
              body: '{"type":"ticket.resolved","status":"resolved","assignee":"lee"}',
              attempts: 1,
            },
          ],
        );
      }),
    );

    it(
      'claims a due event once until its lease runs out, counts each attempt, and follows retry, delivered and dead',
      withStore(async ({ store }) => {
        for (const n of [1, 2, 3]) await store.createTicket(ticket(`t${n}`, { at: T(n), updatedAt: T(n) }), eventOf('ticket.created'));
        // Only what is due at `now`, oldest first, at most `limit`.
        assert.deepEqual(
          (await store.claimOutbox({ now: T(2), leaseUntil: T(60), limit: 10 })).map((e) => [e.id, e.attempts]),
          [
            ['t1:ticket.created', 1],
            ['t2:ticket.created', 1],
          ],
        );
        assert.deepEqual(
          (await store.claimOutbox({ now: T(5), leaseUntil: T(60), limit: 10 })).map((e) => e.id),
          ['t3:ticket.created'],
        );
        // All three are leased until T(60): nothing to claim before then.
        assert.deepEqual(await store.claimOutbox({ now: T(30), leaseUntil: T(90), limit: 10 }), []);
        await store.settleOutbox('t1:ticket.created', { kind: 'retry', nextAt: T(40), error: 'HTTP 503' });
        await store.settleOutbox('t2:ticket.created', { kind: 'delivered', at: T(31) });
        await store.settleOutbox('t3:ticket.created', { kind: 'dead', at: T(31), error: 'refused by the receiver (4xx)' });
        assert.deepEqual(await store.outboxState(), { pending: 1, dead: 1, nextDue: T(40) });
        assert.deepEqual(await store.claimOutbox({ now: T(39), leaseUntil: T(99), limit: 10 }), []);
        assert.deepEqual(
          (await store.claimOutbox({ now: T(40), leaseUntil: T(99), limit: 10 })).map((e) => [e.id, e.attempts]),
          [['t1:ticket.created', 2]],
        );
        // A sender that died mid-attempt: the event is offered again once its lease ran out, with the attempt counted.
        assert.deepEqual(
          (await store.claimOutbox({ now: T(99), leaseUntil: T(120), limit: 10 })).map((e) => [e.id, e.attempts]),
          [['t1:ticket.created', 3]],
        );
        // A late "dead" from another sender does not undo a delivery.
        await store.settleOutbox('t1:ticket.created', { kind: 'delivered', at: T(100) });
        await store.settleOutbox('t1:ticket.created', { kind: 'dead', at: T(101), error: 'late' });
        assert.deepEqual(await store.outboxState(), { pending: 0, dead: 1 });
      }),
    );

    it(
      'never hands one event to two claimers at once',
      withStore(async ({ store, reopen }) => {
        for (let n = 0; n < 30; n++) await store.createTicket(ticket(`t${n}`, { at: T(1), updatedAt: T(1) }), eventOf('ticket.created'));
        const other = reopen ? await reopen() : store;
        try {
          const claims = await Promise.all(
            Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).claimOutbox({ now: T(5), leaseUntil: T(60), limit: 7 })),
          );
          // Concurrent claimers may each skip rows another holds (PostgreSQL under load): what one round leaves, later
          // claims take. The property: no event is ever handed out twice, and every one is handed out.
          const ids = claims.flat().map((e) => e.id);
          for (let round = 0; round < 10 && ids.length < 30; round++)
            ids.push(...(await store.claimOutbox({ now: T(5), leaseUntil: T(60), limit: 30 })).map((e) => e.id));
          assert.equal(new Set(ids).size, ids.length, 'an event was claimed twice');
          assert.equal(ids.length, 30);
        } finally {
          if (other !== store) await other.close();
        }
      }),
    );

    it(
      'queues an event on its own for another target, due at its nextAt; each sender claims and counts only its own target',
      withStore(async ({ store, reopen }) => {
        await store.createTicket(ticket('t1', { at: T(1), updatedAt: T(1) }), eventOf('ticket.created'));
        await store.enqueueOutbox({ id: 'reply-1', type: 'teams.delivery', at: T(2), nextAt: T(12), body: '{"reply":1}', target: 'teams' });
        await store.enqueueOutbox({ id: 'reply-2', type: 'teams.delivery', at: T(3), body: '{"reply":2}', target: 'teams' });
        await assert.rejects(store.enqueueOutbox({ id: 'reply-2', type: 'teams.delivery', at: T(3), body: '{}', target: 'teams' }));
        assert.deepEqual(await store.outboxState(), { pending: 1, dead: 0, nextDue: T(1) });
        assert.deepEqual(await store.outboxState('teams'), { pending: 2, dead: 0, nextDue: T(3) });
        // The webhook's sender (no target) never sees a Teams delivery, and a Teams sender never a ticket event.
        assert.deepEqual(
          (await store.claimOutbox({ now: T(20), leaseUntil: T(60), limit: 10 })).map((e) => e.id),
          ['t1:ticket.created'],
        );
        assert.deepEqual(await store.claimOutbox({ now: T(11), leaseUntil: T(60), limit: 10, target: 'teams' }), [
          { id: 'reply-2', type: 'teams.delivery', at: T(3), body: '{"reply":2}', attempts: 1 },
        ]);
        assert.deepEqual(
          (await store.claimOutbox({ now: T(12), leaseUntil: T(60), limit: 10, target: 'teams' })).map((e) => [e.id, e.attempts]),
          [['reply-1', 1]],
        );
        await store.settleOutbox('reply-1', { kind: 'delivered', at: T(13) });
        await store.settleOutbox('reply-2', { kind: 'dead', at: T(13), error: 'refused by the receiver' });
        assert.deepEqual(await store.outboxState('teams'), { pending: 0, dead: 1 });
        assert.deepEqual(await store.outboxState(), { pending: 1, dead: 0, nextDue: T(60) });
        if (!reopen) return;
        // Committed: a queued delivery is there after a restart.
        await store.enqueueOutbox({ id: 'reply-3', type: 'teams.delivery', at: T(20), body: '{"reply":3}', target: 'teams' });
        await store.close();
        const again = await reopen();
        try {
          assert.deepEqual(await again.outboxState('teams'), { pending: 1, dead: 1, nextDue: T(20) });
        } finally {
          await again.close();
        }
      }),
    );

    it(
      'keeps pending events across close and reopen (when it keeps data)',
      withStore(async ({ store, reopen }) => {
        if (!reopen) return;
        await store.createTicket(ticket('t1', { at: T(1), updatedAt: T(1) }), eventOf('ticket.created'));
        await store.claimOutbox({ now: T(1), leaseUntil: T(30), limit: 1 });
        await store.close();
        const again = await reopen();
        try {
          assert.deepEqual(await again.outboxState(), { pending: 1, dead: 0, nextDue: T(30) });
          assert.deepEqual(
            (await again.claimOutbox({ now: T(30), leaseUntil: T(90), limit: 5 })).map((e) => [e.id, e.attempts]),
            [['t1:ticket.created', 2]],
          );
        } finally {
          await again.close();
        }
      }),
    );
  });
}
