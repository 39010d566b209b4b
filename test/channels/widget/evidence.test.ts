import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Evidence, Lang } from '../../../src/engine/types.ts';
import { evidenceLine } from '../../../src/channels/widget/client/render.ts';
import { widgetResources } from '../../../src/channels/widget/bundle.ts';
import { createI18n } from '../../../src/i18n.ts';

const localesDir = fileURLToPath(new URL('../../../locales', import.meta.url));
const i18n = createI18n(localesDir);
/** The widget's translator: `widget` namespace by default, `common:` keys for answer strings. */
const t = (lang: Lang) => i18n.getFixedT(lang, 'widget') as unknown as (key: string, options?: Record<string, unknown>) => string;

/** Just enough of the DOM for `h()`: elements, text nodes, attributes. Text is only ever a text node here. */
class FakeText {
  constructor(public data: string) {}
  get textContent(): string {
    return this.data;
  }
}
class FakeElement {
  children: Array<FakeElement | FakeText> = [];
  attributes = new Map<string, string>();
  constructor(public tagName: string) {}
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(): void {}
  append(...nodes: Array<FakeElement | FakeText | string>): void {
    for (const n of nodes) this.children.push(typeof n === 'string' ? new FakeText(n) : n);
  }
  set textContent(text: string) {
    this.children = [new FakeText(text)];
  }
  get textContent(): string {
    return this.children.map((c) => c.textContent).join('');
  }
}

/** The line as [tag or '#text', text] pairs. */
const shape = (el: FakeElement) => el.children.map((c) => (c instanceof FakeText ? ['#text', c.data] : [c.tagName, c.textContent]));

const quota: Evidence[] = [
  { kind: 'code', text: 'QuotaExceeded', inOutput: true },
  { kind: 'alias', text: 'Total Regional Cores quota', inOutput: false },
];

before(() => {
  (globalThis as { document?: unknown }).document = { createElement: (tag: string) => new FakeElement(tag) };
});

describe('widget evidence line', () => {
  it('renders one small line of text nodes with the code in a <code> element, in en, ko and zh', () => {
    const expected: Record<Lang, string[][]> = {
      en: [
        ['#text', 'Matched: '],
        ['code', 'QuotaExceeded'],
        ['#text', ' in your output · “Total Regional Cores quota”'],
      ],
      ko: [
        ['#text', '근거: 붙여 넣은 출력의 '],
        ['code', 'QuotaExceeded'],
        ['#text', ' · “Total Regional Cores quota”'],
      ],
      zh: [
        ['#text', '依据：你粘贴的输出中的 '],
        ['code', 'QuotaExceeded'],
        ['#text', '；“Total Regional Cores quota”'],
      ],
    };
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const el = evidenceLine(quota, t(lang)) as unknown as FakeElement;
      assert.equal(el.tagName, 'p');
      assert.equal(el.attributes.get('class'), 'evidence');
      assert.deepEqual(shape(el), expected[lang]);
    }
  });

  it('renders nothing for empty evidence and for an answer stored before evidence existed', () => {
    assert.equal(evidenceLine([], t('en')), '');
    assert.equal(evidenceLine(undefined, t('en')), '');
  });

  it('keeps <script> in the evidence as text, never as an element', () => {
    const el = evidenceLine(
      [
        { kind: 'signature', text: '<script>alert(1)</script>', inOutput: false },
        { kind: 'alias', text: '<img src=x onerror=y>', inOutput: false },
      ],
      t('en'),
    ) as unknown as FakeElement;
    assert.deepEqual(shape(el), [
      ['#text', 'Matched: '],
      ['code', '<script>alert(1)</script>'],
      ['#text', ' · “<img src=x onerror=y>”'],
    ]);
    assert.deepEqual(
      (el.children[1] as FakeElement).children.map((c) => c instanceof FakeText),
      [true],
    );
  });

  it('bundles the evidence strings of every language', () => {
    const resources = widgetResources(localesDir);
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const common = JSON.parse(readFileSync(`${localesDir}/${lang}/common.json`, 'utf8')) as { answer: { evidence: unknown } };
      assert.deepEqual((resources[lang].common.answer as { evidence?: unknown }).evidence, common.answer.evidence, lang);
    }
  });
});
