import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { squash, squashAroundCjk } from '../../src/engine/text/squash.ts';

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

describe('squashAroundCjk', () => {
  it('is a beginning of squash(text) that holds every Korean or Chinese string of at most `longest` units squash(text) holds', () => {
    const log = '2026-12-02T10:00:00.037Z INFO azmlinfsrv - POST /score 200 12ms request_id=ab-0001-req worker=3 — “done”\n'.repeat(200);
    const texts = [
      `배포 실패: OutOfQuota。 conda 환경\n${log}`,
      `部署时出现错误（部署）\n${log}\n最后一行 ΑΣ\nΟΔΟΣ`,
      `${log}끝`,
      `plain ${log}`,
      `短\n${'-'.repeat(3000)}\n${log}`,
      `İstanbul 배포Σ\n${log}`,
    ];
    for (const text of texts) {
      for (const longest of [1, 8, 40]) {
        const full = squash(text);
        const part = squashAroundCjk(text, longest);
        assert.ok(full.startsWith(part), text.slice(0, 20));
        const lastCjk = Math.max(
          ...[...full].map((ch, i) => (/[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(ch) ? i : -1)),
        );
        if (lastCjk >= 0) assert.ok(part.length >= Math.min(full.length, lastCjk + longest + 1), text.slice(0, 20));
      }
    }
    assert.ok(squashAroundCjk(texts[0], 40).length < squash(texts[0]).length / 10);
  });
});
