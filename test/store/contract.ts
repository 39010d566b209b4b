/** The behaviour every Store must have, run against memory, SQLite and PostgreSQL (see *.test.ts beside this). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerRecord, FeedbackRecord, Insights, Store } from '../../src/store/index.ts';
import { withFixture, type StoreFixture } from './fixture.ts';
import { ticketContract } from './tickets-contract.ts';
import { outboxContract } from './outbox-contract.ts';

/** Opens a fresh, empty store; `reopen` opens the same data again (absent for the memory store). */
export type { StoreFixture } from './fixture.ts';

/** Drops keys set to undefined, as a store does (a record has no `topicId` rather than an undefined one). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const answer = (id: string, over: Partial<AnswerRecord> = {}): AnswerRecord =>
  defined({ id, at: '2026-01-01T00:00:00.000Z', channel: 'http', lang: 'en', status: 'answered', topicId: 'OutOfQuota', ...over });
export const vote = (id: string, answerId: string, over: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  id,
  at: '2026-01-02T00:00:00.000Z',
  channel: 'widget',
  answerId,
  helpful: false,
  ...over,
});

const T = (n: number) => `2026-03-0${n}T10:00:00.000Z`;

/** Five answers and four votes with every case insights distinguishes. */
export async function seed(store: Store): Promise<void> {
  await store.recordAnswer(answer('a1', { at: T(1) }));
  await store.recordAnswer(answer('a2', { at: T(2), status: 'not_found', topicId: undefined, question: 'q2 💥' }));
  await store.recordAnswer(answer('a3', { at: T(3), lang: 'ko', status: 'not_found', question: '할당량 q3' }));
  await store.recordAnswer(answer('a4', { at: T(4), status: 'not_found', topicId: undefined }));
  await store.recordAnswer(answer('a5', { at: T(5), lang: 'ko' }));
  await store.addFeedback(vote('f1', 'a1', { step: 2, comment: 'step 2 fails' }));
  await store.addFeedback(vote('f2', 'a5', { helpful: true }));
  await store.addFeedback(vote('f3', 'a3'));
  await store.addFeedback(vote('f4', 'never-recorded'));
}

/** What seed() must give, for all languages and five examples per gap. */
export const SEEDED: Insights = {
  totals: { answers: 5, notFound: 3, feedback: 3, unhelpful: 2 },
  gaps: [
    {
      topicId: null,
      lang: 'en',
      notFound: 2,
      unhelpful: 0,
      helpful: 0,
      examples: [
        { answerId: 'a4', at: T(4), status: 'not_found' },
        { answerId: 'a2', at: T(2), status: 'not_found', question: 'q2 💥' },
      ],
    },
    {
      topicId: 'OutOfQuota',
      lang: 'ko',
      notFound: 1,
      unhelpful: 1,
      helpful: 1,
      examples: [
        { answerId: 'a3', at: T(3), status: 'not_found', question: '할당량 q3' },
        { answerId: 'a3', at: T(3), status: 'not_found', question: '할당량 q3', helpful: false },
      ],
    },
    {
      topicId: 'OutOfQuota',
      lang: 'en',
      notFound: 0,
      unhelpful: 1,
      helpful: 0,
      examples: [{ answerId: 'a1', at: T(1), status: 'answered', helpful: false, step: 2, comment: 'step 2 fails' }],
    },
  ],
};

/** Registers the contract tests for one kind of store. */
export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  const withStore = withFixture(open);

  describe(`${name} store contract`, () => {
    it(
      'reads back an answer exactly as recorded, and nothing for an unknown id',
      withStore(async ({ store }) => {
        const record = answer('a1', { question: '안 돼요 💥 "quoted"\nline 2', channel: 'bot', lang: 'ko', status: 'clarify' });
        await store.recordAnswer(record);
        assert.deepEqual(await store.getAnswer('a1'), record);
        assert.equal(await store.getAnswer('a2'), undefined);
        assert.deepEqual(store.health(), { ready: true });
      }),
    );

    it(
      'reads back an answer without topic or question without inventing either',
      withStore(async ({ store }) => {
        const record = answer('a1', { topicId: undefined, status: 'not_found' });
        await store.recordAnswer(record);
        assert.deepEqual(await store.getAnswer('a1'), record);
      }),
    );

    it(
      'keeps the first record when an answer id is recorded twice, and counts it once',
      withStore(async ({ store }) => {
        await store.recordAnswer(answer('a1'));
        await store.recordAnswer(answer('a1', { status: 'not_found' }));
        assert.equal((await store.getAnswer('a1'))?.status, 'answered');
        assert.deepEqual((await store.insights({ examples: 0 })).totals, { answers: 1, notFound: 0, feedback: 0, unhelpful: 0 });
      }),
    );

    it(
      'reads back feedback with its step and comment',
      withStore(async ({ store }) => {
        await store.recordAnswer(answer('a1'));
        const record = vote('f1', 'a1', { step: 3, comment: '3단계에서 실패 💥' });
        await store.addFeedback(record);
        assert.deepEqual(await store.getFeedback('f1'), record);
        assert.equal(await store.getFeedback('f2'), undefined);
      }),
    );

    it(
      'groups not_found answers and 👎 by topic and language, worst first, newest examples first',
      withStore(async ({ store }) => {
        await seed(store);
        assert.deepEqual(await store.insights({ examples: 5 }), SEEDED);
      }),
    );

    it(
      'limits insights to one language and to N examples per gap',
      withStore(async ({ store }) => {
        await seed(store);
        const ko = await store.insights({ lang: 'ko', examples: 1 });
        assert.deepEqual(ko.totals, { answers: 2, notFound: 1, feedback: 2, unhelpful: 1 });
        assert.deepEqual(ko.gaps, [{ ...SEEDED.gaps[1], examples: SEEDED.gaps[1].examples.slice(0, 1) }]);
        const none = await store.insights({ examples: 0 });
        assert.deepEqual(
          none.gaps.map((g) => g.examples),
          [[], [], []],
        );
      }),
    );

    it(
      'stores all of 300 answers and 300 votes written at once',
      withStore(async ({ store }) => {
        await Promise.all(Array.from({ length: 300 }, (_, i) => store.recordAnswer(answer(`a${i}`, { status: i % 3 === 0 ? 'not_found' : 'answered' }))));
        // One vote per answer: a second vote on an answer replaces the first (see the next test).
        await Promise.all(Array.from({ length: 300 }, (_, i) => store.addFeedback(vote(`f${i}`, `a${i}`, { helpful: i % 2 === 0 }))));
        assert.deepEqual((await store.insights({ examples: 0 })).totals, { answers: 300, notFound: 100, feedback: 300, unhelpful: 150 });
        for (const i of [0, 149, 299]) assert.equal((await store.getFeedback(`f${i}`))?.answerId, `a${i}`);
      }),
    );

    it(
      'counts one vote per answer, the last: 👎 then 👎 with a comment, then 👍, is one helpful vote; every vote is kept',
      withStore(async ({ store }) => {
        await store.recordAnswer(answer('a1'));
        await store.recordAnswer(answer('a2'));
        await store.addFeedback(vote('f1', 'a1', { at: T(1) }));
        await store.addFeedback(vote('f2', 'a1', { at: T(2), comment: 'the quota page moved' }));
        await store.addFeedback(vote('f3', 'a2', { at: T(3) }));
        let insights = await store.insights({ examples: 5 });
        assert.deepEqual(insights.totals, { answers: 2, notFound: 0, feedback: 2, unhelpful: 2 });
        // Newest answer first, then newest vote: both answers are as old, f3 is newer than f2 (f1 is replaced).
        assert.deepEqual(
          insights.gaps[0].examples.map((e) => [e.answerId, e.comment]),
          [
            ['a2', undefined],
            ['a1', 'the quota page moved'],
          ],
        );
        await store.addFeedback(vote('f4', 'a1', { at: T(4), helpful: true }));
        insights = await store.insights({ examples: 5 });
        assert.deepEqual(insights.totals, { answers: 2, notFound: 0, feedback: 2, unhelpful: 1 });
        assert.deepEqual(
          insights.gaps.map((g) => [g.topicId, g.unhelpful, g.helpful, g.examples.map((e) => e.answerId)]),
          [['OutOfQuota', 1, 1, ['a2']]],
        );
        for (const id of ['f1', 'f2', 'f3', 'f4']) assert.ok(await store.getFeedback(id), id);
        const votes = (await store.dashboard({ since: '0000-00-00', unanswered: 0 })).feedback;
        assert.deepEqual(
          votes.map((v) => [v.topicId, v.helpful, v.n]),
          [
            ['OutOfQuota', false, 1],
            ['OutOfQuota', true, 1],
          ],
        );
      }),
    );

    it(
      'refuses a record with an unreadable time, naming the record and the field',
      withStore(async ({ store }) => {
        await assert.rejects(store.recordAnswer(answer('a1', { at: 'yesterday' })), { message: 'Store: answer record "a1" has an invalid at' });
        await assert.rejects(store.addFeedback({ ...vote('f1', 'a1'), helpful: 'yes' as never }), {
          message: 'Store: feedback record "f1" has an invalid helpful',
        });
        assert.equal(await store.getAnswer('a1'), undefined);
      }),
    );

    it('refuses writes after close', async () => {
      const { store, cleanup } = await open();
      await store.close();
      await assert.rejects(store.recordAnswer(answer('a1')), /^Error: Store: .* closed$/);
      await cleanup();
    });

    it(
      'still has every record after close and reopen (when it keeps data)',
      withStore(async ({ store, reopen }) => {
        if (!reopen) return;
        await seed(store);
        await store.close();
        const again = await reopen();
        try {
          assert.deepEqual(await again.insights({ examples: 5 }), SEEDED);
          assert.deepEqual(await again.getFeedback('f1'), vote('f1', 'a1', { step: 2, comment: 'step 2 fails' }));
        } finally {
          await again.close();
        }
      }),
    );
  });
  ticketContract(name, open);
  outboxContract(name, open);
}
