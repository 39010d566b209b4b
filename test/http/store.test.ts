import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createFileStore, createMemoryStore } from '../../src/store/index.ts';
import type { AnswerRecord, FeedbackRecord } from '../../src/store/index.ts';
import { makeApp } from './helpers.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'stepwise-store-'));
const answer = (id: string): AnswerRecord => ({ id, at: '2026-01-01T00:00:00.000Z', channel: 'http', lang: 'en', status: 'answered', topicId: 'OutOfQuota' });
const vote = (id: string, answerId: string, helpful = false): FeedbackRecord => ({ id, at: '2026-01-01T00:00:01.000Z', channel: 'http', answerId, helpful });

describe('file store', () => {
  it('keeps answers and feedback across a restart', async () => {
    const dir = tempDir();
    try {
      const first = createFileStore(dir);
      await first.recordAnswer(answer('a1'));
      await first.addFeedback({ ...vote('f1', 'a1'), step: 2, comment: '안 돼요 💥' });
      await first.close();
      const second = createFileStore(dir);
      assert.deepEqual(await second.getAnswer('a1'), answer('a1'));
      assert.deepEqual(await second.feedback(), [{ ...vote('f1', 'a1'), step: 2, comment: '안 돼요 💥' }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing when 500 writes race, and writes whole lines only', async () => {
    const dir = tempDir();
    try {
      const store = createFileStore(dir);
      await Promise.all(Array.from({ length: 500 }, (_, i) => store.recordAnswer(answer(`a${i}`))));
      await Promise.all(Array.from({ length: 500 }, (_, i) => store.addFeedback(vote(`f${i}`, `a${i % 7}`, i % 2 === 0))));
      await store.close();
      const lines = readFileSync(join(dir, 'feedback.jsonl'), 'utf8').trimEnd().split('\n');
      assert.equal(lines.length, 500);
      for (const line of lines) JSON.parse(line);
      const reopened = createFileStore(dir);
      assert.equal((await reopened.answers()).length, 500);
      assert.deepEqual(new Set((await reopened.feedback()).map((f) => f.id)).size, 500);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips a line torn by a crash and keeps the next record on its own line', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'feedback.jsonl'), JSON.stringify(vote('f1', 'a1')) + '\n{"id":"f2","at":"20');
      const store = createFileStore(dir);
      assert.deepEqual((await store.feedback()).map((f) => f.id), ['f1']);
      await store.addFeedback(vote('f3', 'a1'));
      await store.close();
      const reopened = createFileStore(dir);
      assert.deepEqual((await reopened.feedback()).map((f) => f.id), ['f1', 'f3']);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns copies, so callers cannot change stored records', async () => {
    for (const store of [createMemoryStore(), createFileStore(tempDir(), { fsync: false })]) {
      await store.recordAnswer(answer('a1'));
      const got = await store.getAnswer('a1');
      got!.status = 'not_found';
      assert.equal((await store.getAnswer('a1'))?.status, 'answered');
      await store.close();
    }
  });

  it('refuses writes after close with a prefixed message', async () => {
    const dir = tempDir();
    const store = createFileStore(dir);
    await store.close();
    await assert.rejects(store.addFeedback(vote('f1', 'a1')), /^Error: FileStore: .*feedback\.jsonl is closed$/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('feedback through the API with the file store', () => {
  it('stores racing feedback requests and still has them after a restart', async () => {
    const dir = tempDir();
    try {
      const first = makeApp({ store: createFileStore(dir), options: { adminKeys: ['adm'] } });
      const asked = await request(first.app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU 할당량이 부족합니다' });
      const id = asked.body.answer.id as string;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => request(first.app).post('/api/v1/feedback').send({ answerId: id, helpful: i % 2 === 0 })),
      );
      assert.deepEqual([...new Set(results.map((r) => r.status))], [202]);
      await first.store.close();
      const second = makeApp({ store: createFileStore(dir), options: { adminKeys: ['adm'] } });
      const insights = await request(second.app).get('/api/v1/insights').set('x-api-key', 'adm');
      assert.deepEqual(insights.body.totals, { answers: 1, notFound: 0, feedback: 20, unhelpful: 10 });
      assert.deepEqual(
        insights.body.gaps.map((g: Record<string, unknown>) => [g.topicId, g.lang, g.unhelpful, g.helpful]),
        [['OutOfQuota/cpu', 'ko', 10, 10]],
      );
      // Feedback on an answer given before the restart is still accepted.
      const late = await request(second.app).post('/api/v1/feedback').send({ answerId: id, helpful: true });
      assert.equal(late.status, 202);
      await second.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
