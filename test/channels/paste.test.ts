import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_LIMIT_BYTES, CUT_MARK, DEFAULT_PASTE_POLICY, ERROR_LINE, fitPaste, jsonBytes } from '../../src/channels/paste.ts';

const LOG = [
  'Deploy log',
  'info 01',
  'info 02',
  'Traceback (most recent call last):',
  'info 03',
  'info 04',
  'ValueError: bad input',
  'info 05',
  'info 06',
  'info 07',
  'info 08',
  'done with 1 error',
].join('\n');

/** The kept lines of a fitted text, markers left out. */
const keptLines = (text: string) => text.split('\n').filter((l) => l !== CUT_MARK);

describe('jsonBytes', () => {
  it('counts the UTF-8 bytes of the JSON string the API receives, quotes and escapes included', () => {
    assert.equal(jsonBytes(''), 2);
    assert.equal(jsonBytes('a'), 3);
    assert.equal(jsonBytes('"\\\n'), 8);
    assert.equal(jsonBytes('한'), 5);
    assert.equal(jsonBytes('错'), 5);
    assert.equal(jsonBytes('é'), 4);
    assert.equal(jsonBytes('😀'), 6);
    assert.equal(jsonBytes('\u0001'), 8);
    assert.equal(jsonBytes('\ud800'), 8, 'a lone surrogate is sent as the escape \\ud800');
    const text = '로그 "quoted" 😀\n'.repeat(100);
    assert.equal(jsonBytes(text), Buffer.byteLength(JSON.stringify(text)));
  });
});

describe('fitPaste', () => {
  it('leaves a paste that fits untouched, up to the last byte', () => {
    const fits = 'x'.repeat(DEFAULT_PASTE_POLICY.maxBytes - 2);
    assert.deepEqual(fitPaste(fits), { text: fits, cut: false });
    assert.equal(fitPaste(fits + 'x').cut, true);
    assert.deepEqual(fitPaste(LOG, { maxBytes: jsonBytes(LOG) }), { text: LOG, cut: false });
  });

  it('the default budget is the API body limit less 1 KB for the other fields of an ask', () => {
    assert.equal(BODY_LIMIT_BYTES, 65_536);
    assert.equal(DEFAULT_PASTE_POLICY.maxBytes, 64_512);
    const { text } = fitPaste('2026-01-02 INFO 한국어 로그 줄\n'.repeat(10_000));
    const body = JSON.stringify({ question: text, lang: 'ko', topic: 'x'.repeat(200) });
    assert.ok(Buffer.byteLength(body) <= BODY_LIMIT_BYTES, `${Buffer.byteLength(body)} bytes`);
  });

  it('keeps the head, the error lines between in order and the tail, with a … line for each gap', () => {
    // 120 bytes: head share 15 (the title), tail share 30 (two lines), the Traceback line, then what is left widens the tail.
    assert.deepEqual(fitPaste(LOG, { maxBytes: 120 }), {
      text: 'Deploy log\n…\nTraceback (most recent call last):\n…\ninfo 07\ninfo 08\ndone with 1 error',
      cut: true,
    });
    assert.deepEqual(fitPaste(LOG, { maxBytes: 100 }), { text: 'Deploy log\n…\nTraceback (most recent call last):\n…\ndone with 1 error', cut: true });
  });

  it('headShare: with none, the first line goes unless it looks like an error', () => {
    assert.deepEqual(fitPaste(LOG, { maxBytes: 120, headShare: 0 }), {
      text: '…\nTraceback (most recent call last):\n…\ninfo 05\ninfo 06\ninfo 07\ninfo 08\ndone with 1 error',
      cut: true,
    });
  });

  it('tailShare: the tail is kept even when error lines could take the whole budget', () => {
    const many = ['start', ...Array.from({ length: 12 }, (_, i) => `error ${i}`), 'x1', 'x2', 'the end'].join('\n');
    assert.deepEqual(fitPaste(many, { maxBytes: 80 }), { text: 'start\nerror 0\nerror 1\n…\nx1\nx2\nthe end', cut: true });
    assert.deepEqual(fitPaste(many, { maxBytes: 80, tailShare: 0 }), { text: 'start\nerror 0\nerror 1\nerror 2\n…', cut: true });
  });

  it('pieceChars: one long line is cut into pieces, so its error and its end survive', () => {
    const line = 'a'.repeat(40) + 'ERROR boom' + 'b'.repeat(40) + 'end';
    assert.deepEqual(fitPaste(line, { maxBytes: 60, pieceChars: 10 }), { text: '…\nERROR boom\n…\nbbbbbbbbbbend', cut: true });
    assert.deepEqual(fitPaste(line, { maxBytes: 60, pieceChars: 1000 }), { text: '…', cut: true });
  });

  it('when a 150 KB log ends in its error, sends the first lines, the error lines and the last lines within the limit', () => {
    const info = (i: number) => `2026-01-02T03:04:05Z INFO Step ${i}/3000 : RUN pip install -r requirements.txt (cached layer ${i})`;
    const lines = ['My deployment fails, log below:', ...Array.from({ length: 1600 }, (_, i) => info(i))];
    lines.splice(800, 0, 'WARNING: pip reported a dependency conflict (exit code 1)');
    lines.push('ERROR: Image build failed: ImageBuildFailure. See https://aka.ms/oe-tsg#error-imagebuildfailure');
    const paste = lines.join('\n');
    assert.ok(paste.length > 150_000);
    const { text, cut } = fitPaste(paste);
    assert.equal(cut, true);
    assert.ok(jsonBytes(text) <= DEFAULT_PASTE_POLICY.maxBytes);
    assert.ok(text.startsWith('My deployment fails, log below:\n'));
    assert.ok(text.endsWith('\nERROR: Image build failed: ImageBuildFailure. See https://aka.ms/oe-tsg#error-imagebuildfailure'));
    assert.ok(text.includes('\n…\nWARNING: pip reported a dependency conflict (exit code 1)\n…\n'));
    const kept = keptLines(text);
    assert.deepEqual(
      kept,
      lines.filter((l) => kept.includes(l)),
      'kept lines are whole lines of the paste, in order',
    );
  });

  it('always fits and never splits a surrogate pair, whatever the text', () => {
    const samples = ['한국어 오류 로그 😀 "q" \\ \t', '错误：部署失败 😀😀', 'plain words', '\u0001\u0002', 'Exception 😀'];
    for (let seed = 1; seed <= 40; seed++) {
      let x = seed;
      const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
      const paste = Array.from({ length: 50 + rand(400) }, () => samples[rand(samples.length)].repeat(1 + rand(30))).join(rand(2) ? '\n' : '');
      const maxBytes = 200 + rand(4000);
      const { text, cut } = fitPaste(paste, { maxBytes, pieceChars: 2 + rand(300) });
      assert.ok(jsonBytes(text) <= maxBytes, `seed ${seed}: ${jsonBytes(text)} > ${maxBytes}`);
      assert.equal(cut, jsonBytes(paste) > maxBytes);
      assert.equal(Buffer.from(text).toString(), text, `seed ${seed}: a surrogate pair was split`);
    }
  });
});

describe('ERROR_LINE', () => {
  it('recognises error lines in English, Korean and Chinese, and not ordinary progress lines', () => {
    for (const line of [
      'ERROR: boom',
      'Traceback (most recent call last):',
      'Permission denied',
      'Connection refused',
      'Resource not found',
      'QuotaExceeded',
      'exit code 1',
      'Status: Failed',
      'Request timed out',
      '배포 오류가 발생했습니다',
      '빌드 실패',
      '部署失败',
      '发生错误',
      '未处理的异常',
    ]) {
      assert.ok(ERROR_LINE.test(line), line);
    }
    for (const line of ['INFO Step 3/9 : RUN pip install', 'Downloading layer 4 of 12', '컨테이너를 시작하는 중', '正在下载镜像'])
      assert.equal(ERROR_LINE.test(line), false, line);
  });
});

describe('ReDoS: adversarial input of 200 KB completes', () => {
  const big = 200 * 1024;
  const inputs = {
    'near misses of every keyword': ['erro', 'exceptio', 'tracebac', 'unauthoriz', 'time o', 'timed ', 'not foun', '오', '错', '失'].join(' ').repeat(big / 60),
    'one line without a newline': 'x'.repeat(big),
    'only newlines': '\n'.repeat(big),
    'every line an error': 'error\n'.repeat(big / 6),
    'lone surrogates': '\ud83d'.repeat(big),
    'quotes and backslashes': '"\\'.repeat(big / 2),
  };
  for (const [name, text] of Object.entries(inputs)) {
    it(name, () => {
      ERROR_LINE.test(text);
      const { text: fitted } = fitPaste(text);
      assert.ok(jsonBytes(fitted) <= DEFAULT_PASTE_POLICY.maxBytes);
    });
  }
});

describe('jsonBytes counts without building the string', () => {
  it('agrees with the UTF-8 length of JSON.stringify on controls, quotes, CJK, emoji and lone surrogates', () => {
    const alphabet = ['a', '"', '\\', '\n', '\t', '\b', '\f', '\r', '\u0001', '\u001f', '\u007f', 'é', '한', '错', '😀', '\ud800', '\udc00', '\u2028', ' '];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let k = 0; k < 500; k++) {
      const text = Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join('');
      assert.equal(jsonBytes(text), new TextEncoder().encode(JSON.stringify(text)).length, JSON.stringify(text));
    }
  });
});
