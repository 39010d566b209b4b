import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { squash } from '../../src/engine/text/squash.ts';

describe('squash', () => {
  it('lower-cases and drops whitespace and punctuation as the Unicode regex does', () => {
    const ascii = Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)).join('');
    const texts = [
      '',
      ascii,
      'conda 환경, Conda-환경!',
      '部署时出现 OutOfQuota 错误。（部署）',
      'ΑΣ ΟΔΟΣ\u00a0İstanbul\u3000«quoted» — ok…',
      'a😀b\u{10100}c\u{1D800}\ud800x\udc00 \u2028\u2029\ufeff',
      'ERROR: ResourceNotReady: User container has crashed\n\t\r\v\f_x_',
      '...',
      'plain',
    ];
    for (const text of texts) assert.equal(squash(text), text.toLowerCase().replace(/[\s\p{P}]+/gu, ''), JSON.stringify(text));
  });

  it('squashes a 64 KB paste and then a short text alike, each as the regex does', () => {
    const paste = `배포 실패: OutOfQuota。\n${'2026-12-02T10:00:00Z INFO POST /score 200 request_id=ab-01 — “done”\n'.repeat(900)}`;
    for (const text of [paste, 'Conda 환경!', paste.slice(0, 40_000)]) assert.equal(squash(text), text.toLowerCase().replace(/[\s\p{P}]+/gu, ''));
  });
});
