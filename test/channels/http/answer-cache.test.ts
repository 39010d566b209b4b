import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { AskOptions, Engine } from '../../../src/engine/types.ts';
import { cacheKey, createAnswerCache } from '../../../src/channels/http/answer-cache.ts';
import { MAX_QUESTION_CHARS, prepareQuestion } from '../../../src/engine/text/normalize.ts';
import { i18n, makeApp, realEngine, UUID } from './helpers.ts';

/** The real engine, counting the questions it is asked. */
function countingEngine(): Engine & { asked: string[] } {
  const real = realEngine();
  const asked: string[] = [];
  return { ...real, asked, ask: (question, options) => (asked.push(question), real.ask(question, options)) };
}

const withoutId = (answer: Record<string, unknown>) => ({ ...answer, id: undefined });

describe('answer cache', () => {
  it('gives every response of a cached answer its own id and its own stored record', async () => {
    const engine = countingEngine();
    const { app, store } = makeApp({ engine });
    const first = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU 할당량이 부족합니다' });
    const second = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU 할당량이 부족합니다' });
    assert.equal(engine.asked.length, 1);
    assert.match(first.body.answer.id, UUID);
    assert.match(second.body.answer.id, UUID);
    assert.notEqual(first.body.answer.id, second.body.answer.id);
    assert.deepEqual(withoutId(second.body.answer), withoutId(first.body.answer));
    const records = await store.answers();
    assert.deepEqual(
      records.map((r) => r.id),
      [first.body.answer.id, second.body.answer.id],
    );
    assert.deepEqual(
      records.map((r) => r.topicId),
      ['OutOfQuota/cpu', 'OutOfQuota/cpu'],
    );
  });

  it('shares an entry between spellings the engine reads alike (full-width, zero-width, outer spaces) and keeps the stored question as sent', async () => {
    const engine = countingEngine();
    const { app, store } = makeApp({ engine });
    const plain = await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota CPU', lang: 'en' });
    const wide = await request(app).post('/api/v1/ask').send({ question: '  ＯｕｔＯｆＱｕｏｔａ\u200b CPU ', lang: 'en' });
    assert.deepEqual(engine.asked, ['OutOfQuota CPU']);
    assert.equal(wide.body.answer.topic.id, plain.body.answer.topic.id);
    assert.equal((await store.getAnswer(wide.body.answer.id))?.question, 'ＯｕｔＯｆＱｕｏｔａ\u200b CPU');
  });

  it('prepares a question once: the engine is handed what the cache key was made of, and answers as it would unprepared', () => {
    const real = realEngine();
    const handed: Array<AskOptions['prepared']> = [];
    const engine: Engine = { ...real, ask: (question, options) => (handed.push(options?.prepared), real.ask(question, options)) };
    const cache = createAnswerCache(i18n, 10);
    const question = `  ＯｕｔＯｆＱｕｏｔａ\u200b CPU ${'x'.repeat(MAX_QUESTION_CHARS)}`;
    const rendered = cache.get(engine, question, { lang: 'en' });
    assert.deepEqual(handed, [prepareQuestion(question)]);
    assert.equal(handed[0]?.truncated, true);
    assert.deepEqual(rendered.answer, real.ask(question, { lang: 'en' }));
  });

  it('keys on language, topic and whether the question was cut', () => {
    const long = 'a'.repeat(MAX_QUESTION_CHARS);
    assert.equal(cacheKey('OutOfQuota', { lang: 'en' }), cacheKey(' OutOfQuota\u200b', { lang: 'en' }));
    assert.notEqual(cacheKey('OutOfQuota', { lang: 'en' }), cacheKey('OutOfQuota', { lang: 'ko' }));
    assert.notEqual(cacheKey('OutOfQuota', { lang: 'en' }), cacheKey('OutOfQuota', {}));
    assert.notEqual(cacheKey('OutOfQuota', { lang: 'en' }), cacheKey('OutOfQuota', { lang: 'en', topic: 'OutOfQuota/cpu' }));
    // Same text read, but only the longer one gets the input_truncated notice.
    assert.notEqual(cacheKey(long, {}), cacheKey(`${long}b`, {}));
    assert.equal(cacheKey(`${long}b`, {}), cacheKey(`${long}c`, {}));
  });

  it('holds at most `size` answers, dropping the least recently used', () => {
    const engine = countingEngine();
    const cache = createAnswerCache(i18n, 2);
    cache.get(engine, 'OutOfQuota', { lang: 'en' });
    cache.get(engine, 'ImageBuildFailure', { lang: 'en' });
    cache.get(engine, 'OutOfQuota', { lang: 'en' }); // now the most recent
    cache.get(engine, 'ResourceNotReady', { lang: 'en' }); // drops ImageBuildFailure
    assert.equal(cache.size, 2);
    cache.get(engine, 'OutOfQuota', { lang: 'en' });
    cache.get(engine, 'ImageBuildFailure', { lang: 'en' });
    assert.deepEqual(engine.asked, ['OutOfQuota', 'ImageBuildFailure', 'ResourceNotReady', 'ImageBuildFailure']);
  });

  it('asks the engine for a new question whose answer was given before, and sends the same bytes a fresh rendering gives', () => {
    const engine = countingEngine();
    const cache = createAnswerCache(i18n);
    const fresh = createAnswerCache(i18n, 0);
    const content = { hash: 'abc', loadedAt: '2026-12-02T00:00:00.000Z' };
    const first = cache.get(engine, 'OutOfQuota CPU (ref 1)', { lang: 'en' }, content);
    const second = cache.get(engine, 'OutOfQuota CPU (ref 2)', { lang: 'en' }, content);
    assert.deepEqual(engine.asked, ['OutOfQuota CPU (ref 1)', 'OutOfQuota CPU (ref 2)']);
    assert.deepEqual(second.answer, first.answer);
    assert.equal(second.tail, first.tail, 'the rendering of an equal answer is reused');
    const again = fresh.get(engine, 'OutOfQuota CPU (ref 2)', { lang: 'en' }, content);
    assert.equal(second.markdown, again.markdown);
    assert.equal(second.html, again.html);
    assert.equal(second.tail.toString(), again.tail.toString());

    const other = cache.get(engine, 'ImageBuildFailure when deploying', { lang: 'en' }, content);
    assert.notEqual(other.answer.topic?.id, first.answer.topic?.id);
    assert.equal(other.tail.toString(), fresh.get(engine, 'ImageBuildFailure when deploying', { lang: 'en' }, content).tail.toString());
    const korean = cache.get(engine, 'OutOfQuota CPU (ref 3)', { lang: 'ko' }, content);
    assert.equal(korean.tail.toString(), fresh.get(engine, 'OutOfQuota CPU (ref 3)', { lang: 'ko' }, content).tail.toString());
    assert.notEqual(korean.markdown, first.markdown);
    const reloaded = cache.get(engine, 'OutOfQuota CPU (ref 4)', { lang: 'en' }, { ...content, hash: 'def' });
    assert.match(reloaded.tail.toString(), /"hash":"def"/);
  });

  it('asks the engine every time when answerCacheSize is 0', async () => {
    const engine = countingEngine();
    const { app } = makeApp({ engine, options: { answerCacheSize: 0 } });
    for (let i = 0; i < 3; i++) assert.equal((await request(app).post('/api/v1/ask').send({ question: 'OutOfQuota', lang: 'en' })).status, 200);
    assert.equal(engine.asked.length, 3);
  });
});
