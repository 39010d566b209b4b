/** Example output in the knowledge base is indexed without what every log shares: frames, HTTP headers, dates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutBoilerplate } from '../../src/engine/search/boilerplate.ts';
import { loadKnowledgeBase } from '../../src/engine/index.ts';
import { buildSearchIndex, topicDocs } from '../../src/engine/search/index.ts';

test('traceback frames, response headers and timestamps are dropped; the exception and the message stay', () => {
  const example = [
    'Traceback (most recent call last):',
    '  File "C:\\Python37\\lib\\site-packages\\azureml\\core\\image\\image.py", line 346, in create',
    "    'Content: {}'.format(resp.status_code, resp.headers, resp.content))",
    'WebserviceException: Received bad response from Model Management Service:',
    "Headers: {'Date': 'Tue, 26 Feb 2019 17:47:53 GMT', 'Content-Type': 'application/json', 'Connection': 'keep-alive', 'x-ms-client-request-id': '3cdc', 'Strict-Transport-Security': 'max-age=15724800; includeSubDomains; preload'}",
    'created 2020-06-09T04:57:54.550301+00:00',
  ].join('\n');
  const kept = withoutBoilerplate(example);
  for (const gone of ['Traceback', 'image.py', 'Feb 2019', 'keep-alive', 'includeSubDomains', 'x-ms-client-request-id', '04:57:54']) {
    assert.equal(kept.includes(gone), false, gone);
  }
  for (const stays of ['resp.status_code', 'WebserviceException: Received bad response from Model Management Service', 'Headers: {']) {
    assert.equal(kept.includes(stays), true, stays);
  }
});

test("the shipped sections' example headers and dates match no pasted response's", () => {
  const { kb } = loadKnowledgeBase('content');
  const index = buildSearchIndex(topicDocs(kb));
  // The v1 Key Vault section prints a 500's headers (Tue, 26 Feb 2019 … GMT, keep-alive, includeSubDomains).
  const hits = index.search(
    "'Date': 'Wed, 06 Feb 2019 00:21:46 GMT', 'Connection': 'keep-alive', 'Strict-Transport-Security': 'max-age=15724800; includeSubDomains; preload'",
  );
  assert.equal(
    hits.some((h) => h.topicId === 'v1/KeyVaultAccessPolicy'),
    false,
  );
});
