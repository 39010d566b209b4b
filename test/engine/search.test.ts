/** The search index's per-term path scores exactly as one minisearch query over the same terms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../src/engine/index.ts';
import { buildSearchIndex, queryTerms, selectTerms, termStats, topicDocs, type TopicDoc } from '../../src/engine/search/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const index = buildSearchIndex(topicDocs(loadKnowledgeBase(`${root}content`).kb));

const questions = [
  'ImageBuildFailure when I create the deployment',
  'az ml online-deployment create fails: Not enough quota available for Standard_DS3_v2',
  '온라인 엔드포인트 배포가 ResourceNotReady 로 실패해요 컨테이너 로그',
  '批处理终结点 作业失败 日志在哪里',
  'imagebuildfailur deploymnt',
];

for (const q of questions) {
  test(`per-term results add up to the whole query's scores: ${q.slice(0, 40)}`, () => {
    const terms = queryTerms(q);
    const expand = (t: string) => t.startsWith('imagebuild') || t.startsWith('deploym');
    const langs = ['en', 'ko', 'zh'] as const;
    // Twice: the second call is served from the per-term memo and must not differ.
    for (let round = 0; round < 2; round++) {
      const got = new Map(index.searchTerms(terms, { langs, expand }).map((h) => [`${h.lang}:${h.topicId}`, h]));
      const want = index.search(terms.join(' '), { langs, expand });
      assert.equal(got.size, want.length);
      for (const w of want) {
        const g = got.get(`${w.lang}:${w.topicId}`);
        assert.ok(g, `${w.topicId} missing`);
        assert.ok(Math.abs(g.score - w.score) < 1e-9 * Math.max(1, w.score), `${w.topicId}: ${g.score} vs ${w.score}`);
        assert.deepEqual([...g.queryTerms].sort(), [...w.queryTerms].sort());
      }
    }
  });
}

test('selectTerms keeps the rarest terms first, in the order sorting by idf gives, bounded by share, documents and count', () => {
  const df = new Map([
    ['rare', 1],
    ['tie1', 3],
    ['tie2', 3],
    ['common', 9],
    ['half', 5],
  ]);
  const docs = Array.from({ length: 10 }, () => ({ lang: 'en' }) as TopicDoc);
  const stats = termStats(docs, df);
  assert.deepEqual(selectTerms(['common', 'tie2', 'unknown', 'half', 'tie1', 'rare'], stats), ['unknown', 'rare', 'tie2', 'tie1', 'half']);
  assert.deepEqual(selectTerms(['common', 'tie2', 'unknown', 'half', 'tie1', 'rare'], stats, 2), ['unknown', 'rare']);
  // Every term in more than maxDocs documents: the rarest three are still searched.
  assert.deepEqual(selectTerms(['half', 'tie1', 'tie2', 'common'], stats, 32, 0.5, 2), ['tie1', 'tie2', 'half']);
  assert.deepEqual(selectTerms(['common'], stats), []);
});

test('term stats: share and idf per script, the same on every call, and an unknown term rarer than any known one', () => {
  const df = new Map([
    ['quota', 4],
    ['할당', 2],
    ['配额', 9],
  ]);
  const docs = [
    ...Array.from({ length: 8 }, () => ({ lang: 'en' }) as TopicDoc),
    ...Array.from({ length: 4 }, () => ({ lang: 'ko' }) as TopicDoc),
    { lang: 'zh' } as TopicDoc,
  ];
  const stats = termStats(docs, df);
  const idf = (N: number, f: number) => Math.log(1 + (N - Math.min(f, N) + 0.5) / (Math.min(f, N) + 0.5));
  for (let call = 0; call < 2; call++) {
    assert.deepEqual(
      ['quota', '할당', '配额', 'nowhere', '없음', '没有'].map((t) => [stats.share(t), stats.idf(t), stats.count(t), stats.known(t)]),
      [
        [4 / 13, idf(13, 4), 4, true],
        [2 / 4, idf(4, 2), 2, true],
        [1, idf(1, 9), 9, true],
        [0, idf(13, 0), 0, false],
        [0, idf(4, 0), 0, false],
        [0, idf(1, 0), 0, false],
      ],
    );
  }
  // Asked in any order, one question about each term after another's: no answer is another term's.
  assert.deepEqual(
    ['할당', 'quota', '할당', 'nowhere', 'quota', '配额', '—x', '配额'].map((t, i) => (i % 2 ? stats.idf(t) : stats.share(t))),
    [2 / 4, idf(13, 4), 2 / 4, idf(13, 0), 4 / 13, idf(1, 9), 0, idf(1, 9)],
  );
  assert.equal(stats.idf('—x'), idf(13, 0));
});

test('query terms are the distinct tokens that are no stop words, in the order first seen', () => {
  assert.deepEqual(queryTerms('', ['the', 'quota', 'cpu', 'quota', 'error', 'the', 'gpu', 'cpu', '配额', 'azure']), ['quota', 'cpu', 'gpu', '配额']);
  assert.deepEqual(queryTerms('How do I fix the OutOfQuota error? OutOfQuota again'), ['outofquota', 'out', 'quota', 'again']);
});
