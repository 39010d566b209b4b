/** Tickets and the dashboard's data: the behaviour every Store must have (registered by storeContract). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TicketRecord } from '../../src/store/index.ts';
import { withFixture, type StoreFixture } from './fixture.ts';
import { answer, vote } from './contract.ts';

const HASH = 'a'.repeat(64);

/** A Korean ticket from the widget after a 👎 on step 2. */
export const ticket = (id: string, over: Partial<TicketRecord> = {}): TicketRecord => ({
  id,
  tokenHash: HASH,
  at: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  status: 'open',
  channel: 'widget',
  lang: 'ko',
  question: '배포가 실패해요\nResourceNotReady: User container has crashed',
  statements: ['ResourceNotReady: User container has crashed'],
  codes: ['ResourceNotReady'],
  answerId: 'a1',
  topicId: 'ResourceNotReady',
  answerStatus: 'answered',
  stepsWalked: 2,
  helpful: false,
  comment: '2단계 후에도 같아요 💥',
  contact: 'kim@example.com',
  ...over,
});

/** Registers the ticket and dashboard contract tests for one kind of store. */
export function ticketContract(name: string, open: () => Promise<StoreFixture>): void {
  const withStore = withFixture(open);

  describe(`${name} store contract: tickets and dashboard`, () => {
    it(
      'reads back a ticket exactly as created, and nothing for an unknown id',
      withStore(async ({ store }) => {
        await store.createTicket(ticket('t1'));
        assert.deepEqual(await store.getTicket('t1'), ticket('t1'));
        assert.equal(await store.getTicket('t2'), undefined);
        const bare = ticket('t2', {
          answerId: undefined,
          topicId: undefined,
          answerStatus: undefined,
          stepsWalked: undefined,
          helpful: undefined,
          comment: undefined,
          contact: undefined,
          statements: [],
          codes: [],
        });
        for (const k of Object.keys(bare) as Array<keyof TicketRecord>) if (bare[k] === undefined) delete bare[k];
        await store.createTicket(bare);
        assert.deepEqual(await store.getTicket('t2'), bare);
      }),
    );

    it(
      'assigns, resolves, then refuses to assign or resolve the resolved ticket, and still takes it for the knowledge base',
      withStore(async ({ store }) => {
        await store.createTicket(ticket('t1'));
        const assigned = await store.actOnTicket('t1', { kind: 'assign', expert: 'lee', at: '2026-03-01T11:00:00.000Z' });
        assert.deepEqual(assigned, {
          outcome: 'done',
          ticket: { ...ticket('t1'), status: 'assigned', assignee: 'lee', updatedAt: '2026-03-01T11:00:00.000Z' },
        });
        const resolved = await store.actOnTicket('t1', { kind: 'resolve', expert: 'park', answer: 'Raise the memory limit', at: '2026-03-01T12:30:00.000Z' });
        assert.equal(resolved.outcome, 'done');
        assert.deepEqual(resolved.outcome === 'done' && resolved.ticket, {
          ...ticket('t1'),
          status: 'resolved',
          assignee: 'lee',
          resolution: 'Raise the memory limit',
          resolvedBy: 'park',
          resolvedAt: '2026-03-01T12:30:00.000Z',
          updatedAt: '2026-03-01T12:30:00.000Z',
        });
        const again = await store.actOnTicket('t1', { kind: 'resolve', expert: 'choi', answer: 'other', at: '2026-03-01T13:00:00.000Z' });
        assert.equal(again.outcome, 'resolved');
        assert.equal(again.outcome === 'resolved' && again.ticket.resolution, 'Raise the memory limit');
        assert.equal((await store.actOnTicket('t1', { kind: 'assign', expert: 'choi', at: '2026-03-01T13:00:00.000Z' })).outcome, 'resolved');
        const kb = await store.actOnTicket('t1', { kind: 'knowledgeBase', expert: 'park', at: '2026-03-01T14:00:00.000Z', note: 'alias 컨테이너 크래시' });
        assert.deepEqual(kb.outcome === 'done' && kb.ticket.knowledgeBase, { at: '2026-03-01T14:00:00.000Z', by: 'park', note: 'alias 컨테이너 크래시' });
        assert.deepEqual(await store.actOnTicket('nope', { kind: 'assign', expert: 'x', at: '2026-03-01T13:00:00.000Z' }), { outcome: 'unknown' });
      }),
    );

    it(
      'lists tickets newest first, by status, and those proposed for the knowledge base',
      withStore(async ({ store }) => {
        for (const n of [1, 2, 3]) await store.createTicket(ticket(`t${n}`, { at: `2026-03-0${n}T10:00:00.000Z`, updatedAt: `2026-03-0${n}T10:00:00.000Z` }));
        await store.actOnTicket('t2', { kind: 'resolve', expert: 'lee', answer: 'ok', at: '2026-03-04T10:00:00.000Z' });
        await store.actOnTicket('t1', { kind: 'knowledgeBase', expert: 'lee', at: '2026-03-05T10:00:00.000Z' });
        assert.deepEqual(
          (await store.listTickets({ limit: 10 })).map((t) => t.id),
          ['t3', 't2', 't1'],
        );
        assert.deepEqual(
          (await store.listTickets({ limit: 2 })).map((t) => t.id),
          ['t3', 't2'],
        );
        assert.deepEqual(
          (await store.listTickets({ status: 'open', limit: 10 })).map((t) => t.id),
          ['t3', 't1'],
        );
        assert.deepEqual(
          (await store.listTickets({ knowledgeBase: true, limit: 10 })).map((t) => t.id),
          ['t1'],
        );
      }),
    );

    it(
      "keeps a Teams ticket's asker address and its experts' card, and named addresses, across close and reopen",
      withStore(async ({ store, reopen }) => {
        const askerAddress = JSON.stringify({ conversation: { id: 'a:1 개인 대화' }, serviceUrl: 'https://smba.example/kr/' });
        await store.createTicket(ticket('t1', { channel: 'teams', asker: 'aad-1', contact: '김민지', askerAddress }));
        assert.equal(await store.setTicketCard('t1', '{"activityId":"card-1"}'), true);
        assert.equal(await store.setTicketCard('nope', '{}'), false);
        const card = { ...ticket('t1', { channel: 'teams', asker: 'aad-1', contact: '김민지', askerAddress }), expertCard: '{"activityId":"card-1"}' };
        assert.deepEqual(await store.getTicket('t1'), card);
        // The card's place is no state change: the ticket's updatedAt stays, and actions keep both addresses.
        const done = await store.actOnTicket('t1', { kind: 'resolve', expert: 'park', answer: '메모리 한도를 올리세요', at: '2026-03-01T12:00:00.000Z' });
        assert.equal(done.outcome === 'done' && done.ticket.askerAddress, askerAddress);
        assert.equal(done.outcome === 'done' && done.ticket.expertCard, '{"activityId":"card-1"}');
        assert.equal(await store.getAddress('teams:experts'), undefined);
        await store.setAddress('teams:experts', '{"conversation":{"id":"19:x@thread.tacv2"}}', '2026-03-01T10:00:00.000Z');
        await store.setAddress('teams:experts', '{"conversation":{"id":"19:y@thread.tacv2"}}', '2026-03-01T11:00:00.000Z');
        await store.setAddress('other', 'kept', '2026-03-01T11:00:00.000Z');
        assert.equal(await store.getAddress('teams:experts'), '{"conversation":{"id":"19:y@thread.tacv2"}}');
        if (!reopen) return;
        await store.close();
        const again = await reopen();
        try {
          assert.equal((await again.getTicket('t1'))?.expertCard, '{"activityId":"card-1"}');
          assert.equal((await again.getTicket('t1'))?.askerAddress, askerAddress);
          assert.equal(await again.getAddress('teams:experts'), '{"conversation":{"id":"19:y@thread.tacv2"}}');
          await again.setAddress('teams:experts', undefined, '2026-03-02T00:00:00.000Z');
          assert.equal(await again.getAddress('teams:experts'), undefined);
          assert.equal(await again.getAddress('other'), 'kept');
        } finally {
          await again.close();
        }
      }),
    );

    it(
      'refuses a ticket with a malformed token hash, naming the field',
      withStore(async ({ store }) => {
        await assert.rejects(store.createTicket(ticket('t1', { tokenHash: 'secret' })), { message: 'Store: ticket record "t1" has an invalid tokenHash' });
        assert.equal(await store.getTicket('t1'), undefined);
      }),
    );

    it(
      'gives the dashboard answers per day, votes per topic, the newest unanswered questions and ticket times',
      withStore(async ({ store }) => {
        await store.recordAnswer(answer('a1', { at: '2026-02-28T23:59:00.000Z' }));
        await store.recordAnswer(answer('a2', { at: '2026-03-01T01:00:00.000Z' }));
        await store.recordAnswer(
          answer('a3', { at: '2026-03-01T02:00:00.000Z', lang: 'ko', status: 'not_found', topicId: undefined, question: '이상한 오류 XyzFailure' }),
        );
        await store.recordAnswer(
          answer('a4', { at: '2026-03-02T02:00:00.000Z', lang: 'zh', status: 'not_found', topicId: undefined, question: '奇怪 XyzFailure' }),
        );
        await store.recordAnswer(answer('a5', { at: '2026-03-02T03:00:00.000Z', status: 'not_found', topicId: undefined }));
        await store.addFeedback(vote('f1', 'a1'));
        await store.addFeedback(vote('f2', 'a2', { helpful: true }));
        await store.addFeedback(vote('f3', 'a2', { helpful: true }));
        await store.createTicket(ticket('t1', { at: '2026-03-01T10:00:00.000Z' }));
        await store.createTicket(ticket('t2', { at: '2026-03-02T10:00:00.000Z' }));
        await store.actOnTicket('t1', { kind: 'resolve', expert: 'lee', answer: 'ok', at: '2026-03-02T11:30:00.000Z' });
        const d = await store.dashboard({ since: '2026-03-01', unanswered: 10 });
        assert.deepEqual(d.days, [
          { day: '2026-03-01', lang: 'en', status: 'answered', n: 1 },
          { day: '2026-03-01', lang: 'ko', status: 'not_found', n: 1 },
          { day: '2026-03-02', lang: 'en', status: 'not_found', n: 1 },
          { day: '2026-03-02', lang: 'zh', status: 'not_found', n: 1 },
        ]);
        assert.deepEqual(d.feedback, [
          { lang: 'en', topicId: 'OutOfQuota', helpful: false, n: 1 },
          // f2 and f3 are two votes on a2: one vote per answer counts.
          { lang: 'en', topicId: 'OutOfQuota', helpful: true, n: 1 },
        ]);
        assert.deepEqual(d.unanswered, [
          { answerId: 'a4', at: '2026-03-02T02:00:00.000Z', lang: 'zh', question: '奇怪 XyzFailure' },
          { answerId: 'a3', at: '2026-03-01T02:00:00.000Z', lang: 'ko', question: '이상한 오류 XyzFailure' },
        ]);
        assert.deepEqual(
          (await store.dashboard({ since: '2026-03-01', unanswered: 1 })).unanswered.map((u) => u.answerId),
          ['a4'],
        );
        assert.deepEqual(d.ticketDays, [
          { day: '2026-03-01', opened: 1, resolved: 0 },
          { day: '2026-03-02', opened: 1, resolved: 1 },
        ]);
        assert.deepEqual(d.resolveMinutes, [25 * 60 + 30]);
        assert.deepEqual(d.tickets, { open: 1, assigned: 0, resolved: 1 });
      }),
    );

    it(
      'keeps tickets across close and reopen (when it keeps data)',
      withStore(async ({ store, reopen }) => {
        if (!reopen) return;
        await store.createTicket(ticket('t1'));
        await store.actOnTicket('t1', { kind: 'assign', expert: 'lee', at: '2026-03-01T11:00:00.000Z' });
        await store.close();
        const again = await reopen();
        try {
          assert.equal((await again.getTicket('t1'))?.assignee, 'lee');
          assert.equal((await again.dashboard({ since: '2026-01-01', unanswered: 1 })).tickets.assigned, 1);
        } finally {
          await again.close();
        }
      }),
    );
  });
}
