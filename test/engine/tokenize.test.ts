import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idLike, scan, tokenize, words } from '../../src/engine/text/tokenize.ts';
import { detectLang, SCRIPT_RUN } from '../../src/engine/text/script.ts';
import { isNormalized, normalizeText, prepareQuestion } from '../../src/engine/text/normalize.ts';

test('Korean words become overlapping bigrams, so a particle only touches one bigram', () => {
  assert.deepEqual(tokenize('배포를'), ['배포', '포를']);
  assert.deepEqual(tokenize('배포가 실패'), ['배포', '포가', '실패']);
});

test('Chinese without spaces becomes bigrams, the same in a document and in a question', () => {
  assert.deepEqual(tokenize('配额不足'), ['配额', '额不', '不足']);
  assert.ok(tokenize('部署时出现配额不足错误').includes('配额'));
});

test('tokens split where Hangul or Han meets Latin', () => {
  assert.deepEqual(tokenize('DNS가'), ['dns', '가']);
  assert.deepEqual(tokenize('OutOfQuota报错'), ['outofquota', 'out', 'of', 'quota', '报错']);
});

test('CamelCase error codes also yield their words, so "image build failure" finds ImageBuildFailure', () => {
  assert.deepEqual(tokenize('ImageBuildFailure'), ['imagebuildfailure', 'image', 'build', 'failure']);
  assert.deepEqual(tokenize('HTTP 503'), ['http', '503']);
});

test('a 50,000-character token is cut to one bounded term', () => {
  const terms = tokenize('a'.repeat(50_000));
  assert.equal(terms.length, 1);
  assert.equal(terms[0].length, 64);
});

test('language comes from the script: Hangul → ko, Han → zh, else en; Korean with an English log is Korean', () => {
  assert.equal(detectLang('배포가 실패해요'), 'ko');
  assert.equal(detectLang('部署失败'), 'zh');
  assert.equal(detectLang('deployment failed'), 'en');
  assert.equal(detectLang(`이거 왜 이래요?\n${'Traceback (most recent call last): File "score.py", line 12\n'.repeat(20)}`), 'ko');
  assert.equal(detectLang('🙂🙂'), 'en');
});

test('questions are NFKC-normalized, zero-width characters dropped, and a 100 KB paste is cut and flagged', () => {
  assert.deepEqual(prepareQuestion('ＯｕｔＯｆＱｕｏｔａ\u200b 에러'), { text: 'OutOfQuota 에러', truncated: false });
  const long = prepareQuestion('x '.repeat(50_000));
  assert.equal(long.truncated, true);
  assert.equal(long.text.length, 65_535); // 65,536 characters read, the trailing space trimmed
});

test('a long paste is normalized piece by piece as normalizing it whole says, whatever lies past its first piece', () => {
  const log = 'INFO POST /score 200 request_id=ab-01\n'.repeat(600);
  const texts = [
    `배포 실패\n${log}`,
    `${log}ＯｕｔＯｆＱｕｏｔａ`,
    `${log}zero\u200bwidth`,
    `${log}cafe\u0301`,
    `${log}\u0007bell`,
    log,
    `배포 실패\n${log}`.normalize('NFD'),
  ];
  assert.deepEqual(
    texts.map((t) => isNormalized(t)),
    texts.map((t) => normalizeText(t) === t),
  );
  assert.deepEqual(
    texts.map((t) => isNormalized(t)),
    [true, false, false, false, false, true, false],
  );
});

test('query terms: stop words and terms in most documents are skipped, rarest first; an all-common question keeps its rarest few', async () => {
  const { selectTerms, queryTerms } = await import('../../src/engine/search/index.ts');
  const df: Record<string, number> = { quota: 10, deployment: 1500, endpoint: 5000, cpu: 3 };
  const stats = {
    share: (t: string) => (df[t] ?? 0) / 6000,
    count: (t: string) => df[t] ?? 0,
    known: (t: string) => t in df,
    idf: (t: string) => Math.log(1 + (6000 - (df[t] ?? 0) + 0.5) / ((df[t] ?? 0) + 0.5)),
  };
  assert.deepEqual(selectTerms(queryTerms('how do I fix the deployment quota cpu error'), stats, 32, 0.5, 1000), ['cpu', 'quota']);
  assert.deepEqual(selectTerms(queryTerms('deployment endpoint'), stats, 32, 0.9, 1000), ['deployment', 'endpoint']);
  assert.deepEqual(selectTerms(queryTerms('endpoint'), stats, 32, 0.5, 1000), []);
});

test('an id-like word (letters and digits alternating three times) is found by character codes as the Unicode regex finds it', () => {
  const byRegex = (w: string) => w.length >= 4 && (w.match(/(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu)?.length ?? 0) >= 3;
  const samples = ['a3f9b0c2', '1d4e', 'ab12', 'a1b2', '12ab34', 'abc', 'x1y2z3', 'v1', 'gpu0node1', 'café1a2b', 'ⅫA1b2', '٣a٤b', 'Ab1'.repeat(30)];
  for (const w of samples) assert.equal(idLike(w), byRegex(w), w);
  assert.deepEqual(tokenize('request a3f9b0c2 from pod1 on node12a'), ['request', 'from', 'pod1', 'on', 'node12a']);
});

test('scan gives words and tokenize of a normalized text in one pass, and only words when normalizing would change it', () => {
  const text = 'OutOfQuota报错 배포를 ImageBuildFailure a3f9b0c2 HTTP 503 İSTANBUL';
  assert.deepEqual(scan(text), { words: words(text), tokens: tokenize(text) });
  // NFKC turns full-width letters into ASCII: the tokens need the normalized text, so scan leaves them out.
  assert.deepEqual(scan('ＯｕｔＯｆＱｕｏｔａ'), { words: ['ｏｕｔｏｆｑｕｏｔａ'] });
});

test('words are the runs the script regex finds, wherever ASCII words meet other letters, marks, digits or CJK', () => {
  const byRegex = (text: string) => [...text.matchAll(SCRIPT_RUN)].map((m) => m[0].toLowerCase());
  const samples = [
    'DNS가 café naïve e\u0301x Ünïcödé ImageBuildFailure 配额不足abc x1 a3f9b0c2 ÄÖ 123abc',
    'ｆｕｌｌ-width Ⅻ ٣٤٥ 𝐀𝐁𝐂 😀a😀 \ud83d x\udc00y İSTANBUL ß',
    'abc가나다def中文ghi\n\t--==A1b2==--',
    'endswithascii',
    'é',
    '',
    '   ..   ',
    'a'.repeat(70) + 'ü' + 'b'.repeat(3),
  ];
  for (const text of samples) assert.deepEqual(words(text), byRegex(text), text);
  assert.deepEqual(words('DNS가 café'), ['dns', '가', 'café']);
  assert.deepEqual(tokenize('DNS가 café x a3f9b0c2'), ['dns', '가', 'café']);
});

test('a Latin word is kept, dropped as id-like or split at CamelCase edges as the regexes say', () => {
  const camel = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g;
  const byRegex = (word: string): string[] => {
    if (word.length < 2 || (word.length >= 4 && (word.match(/(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu)?.length ?? 0) >= 3)) return [];
    if (word.length > 64) return [word.slice(0, 64).toLowerCase()];
    const lower = word.toLowerCase();
    const parts = /^[A-Za-z]+$/.test(word) && /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word) ? (word.match(camel) ?? []).map((p) => p.toLowerCase()) : [];
    return [lower, ...parts.filter((p) => p !== lower && p.length > 1)];
  };
  const samples = ['ImageBuildFailure', 'HTTPError', 'XMLHttpRequest', 'ABc', 'aB', 'AB', 'Ab', 'abC', 'ABCDef', 'a1B2', 'a1B2c3', 'OutOfQuota', 'iOS', 'eTag'];
  samples.push(
    'dataSet',
    'javaScript',
    'CrashLoopBackOff',
    'ÄbcDef',
    'camelCase1',
    'X',
    'AbcDEF',
    'abcDEFg',
    'A'.repeat(70) + 'b',
    `${'Ab'.repeat(40)}`,
    'x9Y8z7',
    'café1a2b',
  );
  for (const word of samples) assert.deepEqual(tokenize(word), byRegex(word), word);
});

test('normalizeText makes curly quotes straight, as the printed message has them', () => {
  assert.equal(normalizeText('cannot import name \u2018Markup\u2019 from \u201cjinja2\u201d'), 'cannot import name \'Markup\' from "jinja2"');
});

test('normalizeText spells words as the content does: 쿠버네티스 → Kubernetes, 集群 → 群集, 在线终结点 → 联机终结点; plain ASCII is left alone', () => {
  assert.equal(normalizeText('쿠버네티스 도커 콘다'), 'Kubernetes Docker conda');
  assert.equal(normalizeText('AKS 集群上的在线终结点和在线部署'), 'AKS 群集上的联机终结点和联机部署');
  assert.equal(normalizeText('kubernetes cluster online endpoint'), 'kubernetes cluster online endpoint');
});
