import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildWidget, WIDGET_GZIP_BUDGET, type WidgetBundle } from '../../../src/channels/widget/bundle.ts';

let bundle: WidgetBundle;
before(async () => {
  bundle = await buildWidget();
});

describe('widget build', () => {
  it(`stays within the ${WIDGET_GZIP_BUDGET / 1024} KB gzipped budget`, () => {
    assert.ok(bundle.gzipBytes <= WIDGET_GZIP_BUDGET, `widget.js is ${bundle.gzipBytes} bytes gzipped`);
  });

  it('is one IIFE that defines no globals and uses no eval, new Function or HTML-string sinks', () => {
    assert.ok(/^(?:"use strict";)?\(\(\)=>\{/.test(bundle.code), 'starts an IIFE');
    assert.ok(/\}\)\(\);\s*$/.test(bundle.code), 'ends the IIFE');
    for (const sink of ['eval(', 'new Function', 'innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write']) {
      assert.equal(bundle.code.includes(sink), false, `bundle contains ${sink}`);
    }
  });

  it('carries the widget strings of all three languages and the shared answer strings, not the server page strings', () => {
    const unescape = (s: string) => s.replace(/\\u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    const code = unescape(bundle.code);
    for (const text of ['Finding an answer', '답을 찾는 중', '正在查找答案', '해결 단계', 'Related topics']) assert.ok(code.includes(text), text);
    assert.equal(code.includes('Stepwise help widget'), false, 'page.* strings are left out');
  });
});
