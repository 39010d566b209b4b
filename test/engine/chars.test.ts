import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distinctChars } from '../../src/engine/text/chars.ts';

describe('distinct characters of a text', () => {
  it('gives the characters in order of first occurrence, as a Set of the text does, astral and lone surrogates included', () => {
    for (const text of ['', 'conda환경 conda 환경', '部署时出现OutOfQuota错误部署', 'a😀b😀c\u{20000}a', 'x\ud800y\udc00x\ud800', '😀\ud83d']) {
      const chars = distinctChars(text);
      assert.deepEqual(chars.order, [...new Set(text)]);
      for (const ch of [...new Set(text)]) assert.equal(chars.has(ch), true, ch);
      for (const ch of ['q', '镜', '😃', '\udfff']) assert.equal(chars.has(ch), text.includes(ch), ch);
      chars.clear();
    }
  });

  it('forgets a text once cleared, so the next text is read alone', () => {
    distinctChars('환경 abc').clear();
    const next = distinctChars('xyz');
    assert.equal(next.has('환'), false);
    assert.equal(next.has('a'), false);
    assert.deepEqual(next.order, ['x', 'y', 'z']);
    next.clear();
  });
});
