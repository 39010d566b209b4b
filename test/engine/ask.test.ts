import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKnowledgeBase, createEngine, createPipeline } from '../../src/engine/index.ts';
import { cjkWords } from '../../src/engine/text/cjk-words.ts';

const { kb } = loadKnowledgeBase(new URL('../../content', import.meta.url).pathname);
const engine = createEngine(kb);
/** The understand stage over the same knowledge base, for tests of what a question is read as. */
const { understander: reader } = createPipeline(kb);

/** Asserts that each question is answered with topic `id` (a failure names the question). */
function assertTopic(id: string, questions: readonly string[]): void {
  for (const q of questions) assert.equal(engine.ask(q).topic?.id, id, q);
}

test('when the question names OutOfQuota in Korean, answers with the Korean OutOfQuota topic and asks which resource', () => {
  const a = engine.ask('배포할 때 OutOfQuota 오류가 나요');
  assert.equal(a.status, 'clarify');
  assert.equal(a.lang, 'ko');
  assert.equal(a.topic?.id, 'OutOfQuota');
  assert.deepEqual(a.topic?.codes, ['OutOfQuota']);
  assert.ok(a.alternatives.some((r) => r.id === 'OutOfQuota/cpu'));
  assert.match(a.source!.url, /ko-kr/);
});

test('a Chinese question without spaces finds its topic: 部署时出现配额不足错误 → OutOfQuota in Chinese', () => {
  const a = engine.ask('部署时出现配额不足错误');
  assert.equal(a.topic?.id, 'OutOfQuota');
  assert.equal(a.lang, 'zh');
  assert.match(a.source!.url, /docs\.azure\.cn/);
});

test('the same symptom reaches the same topic in English, Korean and Chinese (a container that fails to start; an image build that times out)', () => {
  const traceback = "ModuleNotFoundError: No module named 'sklearn'";
  const startFails = {
    en: `Deployment error:\n${traceback}\nthe container fails to start`,
    ko: `배포 시 오류:\n${traceback}\n컨테이너 시작 실패`,
    zh: `部署时报错：\n${traceback}\n容器启动失败`,
  };
  for (const [lang, q] of Object.entries(startFails)) {
    const a = engine.ask(q);
    assert.deepEqual([a.lang, a.status, a.topic?.id], [lang, 'answered', 'ResourceNotReady'], q);
  }
  const buildTimesOut = [
    'ImageBuildFailure after 30 minutes: the conda environment is big and the build times out',
    'ImageBuildFailure: 이미지 빌드 시간 초과',
    'ImageBuildFailure：镜像构建超时',
  ];
  assertTopic('ImageBuildFailure/timeout', buildTimesOut);
});

test("kubectl's events name their topic: a container in CrashLoopBackOff on an AKS node is the Kubernetes topic, not the v1 web service's", () => {
  const events = [
    'Events:',
    '  Type     Reason     Age                 From               Message',
    '  Normal   Scheduled  10m                 default-scheduler  Successfully assigned azureml/blue-7d9 to aks-nodepool1-123-vmss000000',
    '  Warning  BackOff    2m (x40 over 10m)   kubelet            Back-off restarting failed container',
  ].join('\n');
  assert.equal(engine.ask(events).topic?.id, 'KubernetesCrashLoopBackOff');
  // Said of a v1 web service, the same event is its container failing to start.
  assert.equal(engine.ask(`AksWebservice deploy_configuration, service.state Failed\n${events}`).topic?.id, 'v1/ServiceLaunch');
});

test("Azure's generic internal-error text names no generation: a v2 SDK call gets the service-side error topic, not the v1 Key Vault one", () => {
  const text = 'An internal server error occurred. Please try again. If the problem persists, contact support.';
  const v2 = engine.ask(`ml_client.online_endpoints.begin_create_or_update(endpoint)\nHttpResponseError: ${text}`);
  assert.equal(v2.topic?.id, 'InternalServerError');
  const v1 = engine.ask(`ContainerImage.create(name="myimage", models=[model], image_config=image_config, workspace=ws)\nCreate image "myimage": ${text}`);
  assert.equal(v1.topic?.id, 'v1/KeyVaultAccessPolicy');
});

test('a chat message that greets on its first line is answered as the question after it, in the language it greets in', () => {
  const cases = [
    ['Hi team,', 'calling my endpoint from a react app in the browser fails with a preflight error', 'en'],
    ['안녕하세요', '서버 시작하는데 TypeError: register() takes 3 positional arguments but 4 were given', 'ko'],
    ['你好', "服务器启动时 ImportError: cannot import name 'Markup' from 'jinja2'", 'zh'],
    ['안녕하세요', "ImportError: cannot import name 'Markup' from 'jinja2'", 'ko'],
  ];
  for (const [greeting, question, lang] of cases) {
    const alone = engine.ask(question);
    const greeted = engine.ask(`${greeting}\n${question}`);
    assert.equal(greeted.topic?.id, alone.topic?.id, question);
    assert.equal(greeted.status, alone.status, question);
    assert.equal(greeted.lang, lang, question);
  }
});

test('a message typed with curly quotes (Teams, Outlook, Word) matches the printed message', () => {
  assert.equal(
    engine.ask('컨테이너 시작 시 ImportError: cannot import name \u2019Markup\u2019 from \u2019jinja2\u2019 발생').topic?.id,
    'InferenceServer/jinja2-markup',
  );
});

test('messages Kubernetes and Azure print name their topic: scheduler, kubelet, API validation, ARM and VM allocation', () => {
  const printed: Array<[string, string]> = [
    ["Warning  FailedScheduling  default-scheduler  0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", 'PodUnschedulable'],
    ['Normal  BackOff  kubelet  Back-off pulling image "myacr.azurecr.io/score:1"', 'ImagePullLoopBackOff'],
    ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1', 'BadArgument/request-over-limits'],
    ["(SubscriptionNotFound) The subscription '0000-1111' could not be found.", 'BadArgument/subscription-not-found'],
    ['Allocation failed. We do not have sufficient capacity for the requested VM size in this region.', 'OutOfQuota/region-capacity'],
    ['OperationCanceled: Operation was canceled due to a previous operation waiting for lock confirmation', 'OperationCanceled/lock-wait'],
  ];
  for (const [q, id] of printed) {
    const a = engine.ask(q);
    assert.deepEqual([a.status, a.topic?.id], ['answered', id], q);
  }
});

test('an image that cannot be pulled on a deployment with no Kubernetes word is the managed topic, in Korean and Chinese as in English', () => {
  assertTopic('BadArgument/user-image-download', [
    '배포할 때 ACR에서 이미지를 못 가져와요',
    '部署时无法从 ACR 拉取镜像',
    'deployment cannot pull image from ACR',
  ]);
});

test('Korean sentence forms of a symptom reach the topic its noun form names (코어가 부족하다고 → OutOfQuota/cpu)', () => {
  assert.equal(engine.ask('배포가 OutOfQuota로 실패합니다. Standard_DS3_v2 코어가 부족하다고 나와요').topic?.id, 'OutOfQuota/cpu');
  assert.equal(engine.ask('이미지 빌드가 너무 오래 걸리다가 실패합니다. conda 의존성이 많아요').topic?.id, 'ImageBuildFailure/timeout');
});

test('asking for the logs of a v1 web service reaches the v1 logs topic in English, Korean and Chinese', () => {
  assertTopic('v1/DockerLogs', [
    'How do I get logs from my AKS web service deployed with SDK v1?',
    'SDK v1로 배포한 AKS 웹 서비스 로그는 어떻게 보나요?',
    '用 SDK v1 部署的 AKS web 服务怎么看日志？',
  ]);
});

test('the most specific code of a nested JSON error body wins over the outer BadRequest', () => {
  const body =
    '{"error":{"code":"BadRequest","message":"The request is invalid.","details":[{"code":"KubernetesUnaccessible","message":"Kubernetes error: AuthenticationException"}]}}';
  const a = engine.ask(body);
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'KubernetesUnaccessible');
});

test("an error body nested as a string in another's message (escaped quotes) is read as nested: its code wins over the outer one", () => {
  const body = String.raw`deployment failed
{"error":{"code":"InternalServerError","message":"{\"error\":{\"code\":\"ResourceNotReady\",\"message\":\"deployment blue failed\"}}"}}`;
  assert.equal(engine.ask(body).topic?.id, 'ResourceNotReady');
});

test('error codes match whole: 424 finds HTTP-424, 4240 does not', () => {
  assert.equal(engine.ask('scoring returns 424').topic?.id, 'HTTP-424');
  assert.notEqual(engine.ask('scoring returns 4240').topic?.id, 'HTTP-424');
});

test('a code named in words finds it: "image build failure" → ImageBuildFailure', () => {
  assert.equal(engine.ask('image build failure when deploying').topic?.id, 'ImageBuildFailure');
});

test('a pasted error message signature picks the sub-topic: Flask 2 register() TypeError', () => {
  const a = engine.ask('TypeError: register() takes 3 positional arguments but 4 were given');
  assert.equal(a.topic?.id, 'InferenceServer/flask2-register');
  assert.equal(a.lang, 'en');
  assert.ok(a.steps.length > 0);
});

test('current (v2) topics win over legacy ones unless the question says v1', () => {
  assert.equal(engine.ask('503 오류').topic?.id, 'HTTP-503');
  const v1 = engine.ask('AKS webservice deployed with SDK v1 (Webservice.deploy) returns 503 under load');
  assert.equal(v1.topic?.id, 'v1/HTTP-503');
  assert.ok(v1.notices.includes('legacy_topic'));
});

test('a batch hint moves ResourceNotFound to the batch topic', () => {
  assert.equal(engine.ask('batch endpoint invoke says ResourceNotFound').topic?.id, 'batch/ResourceNotFound');
});

test('an off-topic question gets not_found with suggestions, never a random section', () => {
  const a = engine.ask('how do I sort a dict in Python');
  assert.equal(a.status, 'not_found');
  assert.equal(a.topic, undefined);
  assert.ok(a.suggestions.length > 0);
  assert.deepEqual(a.steps, []);
});

test('the caller’s language wins over detection, and the answer says which language it is in', () => {
  const a = engine.ask('OutOfQuota', { lang: 'zh' });
  assert.equal(a.lang, 'zh');
  assert.equal(a.requestedLang, 'zh');
});

test('a topic chosen from a clarify answer is answered directly', () => {
  const a = engine.ask('OutOfQuota', { lang: 'ko', topic: 'OutOfQuota/cpu' });
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'OutOfQuota/cpu');
  assert.equal(a.lang, 'ko');
});

test('when the asked language lacks the section, the answer falls back to English and says so', () => {
  const partial = { ...kb, sections: kb.sections.filter((s) => !(s.lang === 'ko' && s.anchor === 'http-503')) };
  const a = createEngine(partial).ask('503 오류');
  assert.equal(a.topic?.id, 'HTTP-503');
  assert.equal(a.lang, 'en');
  assert.equal(a.requestedLang, 'ko');
  assert.deepEqual(a.notices, ['language_fallback']);
});

test('articles and search work per language', () => {
  const art = engine.article('OutOfQuota', 'zh');
  assert.equal(art?.lang, 'zh');
  assert.ok(art.children.length >= 9);
  assert.ok(art.markdown.includes('OutOfQuota'));
  const hits = engine.search('配额', { lang: 'zh', limit: 3 });
  assert.equal(hits.length, 3);
  assert.ok(hits.every((h) => h.lang === 'zh'));
  const [from, to] = hits[0].snippet.marks[0];
  assert.match(hits[0].snippet.text.slice(from, to), /配额/);
  assert.equal(engine.article('NoSuchTopic', 'en'), undefined);
});

const BAD_INPUTS: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace', ' \n\t  '],
  ['emoji only', '🔥🔥🙈'],
  ['binary junk', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
  ['one 50,000-character token', 'x'.repeat(50_000)],
  ['a 100 KB log', `2024-01-01 ERROR container crashed\n`.repeat(3000)],
  ['text built to make regexes backtrack', `${'"code":"'.repeat(5000)}${'a'.repeat(5000)}!`],
  ['lone surrogates and control characters', '\ud800\udfff\u0000\u0007 OutOfQuota \ufeff'],
];

for (const [name, input] of BAD_INPUTS) {
  test(`bad input (${name}) gets an answer or not_found and never throws`, () => {
    const a = engine.ask(input);
    assert.ok(['answered', 'clarify', 'not_found'].includes(a.status));
    assert.ok(['en', 'ko', 'zh'].includes(a.lang));
  });
}

test('a 100 KB log is accepted and cut, and the answer says so', () => {
  const a = engine.ask(`OutOfQuota\n${'log line\n'.repeat(15_000)}`);
  assert.ok(a.notices.includes('input_truncated'));
  assert.equal(a.topic?.id, 'OutOfQuota');
});

test('a non-string question is treated as empty', () => {
  assert.equal(engine.ask(undefined as unknown as string).status, 'not_found');
});

test('an index saved to JSON and loaded again uses the same tokenizer and answers the same', async () => {
  const { buildSearchIndex, loadSearchIndex, topicDocs } = await import('../../src/engine/search/index.ts');
  const saved = JSON.stringify(buildSearchIndex(topicDocs(kb)).toJSON());
  const reloaded = createEngine(kb, { index: loadSearchIndex(saved) });
  for (const q of ['部署时出现配额不足错误', '배포를 로컬에서 테스트하려면', 'imagebuildfailur in my deployment']) {
    assert.deepEqual(reloaded.ask(q), engine.ask(q));
  }
});

test('a knowledge base whose content failed to load still answers (not_found) and never throws', () => {
  const empty = createEngine({ docs: [], sections: [], topics: [] });
  const a = empty.ask('OutOfQuota 配额不足');
  assert.equal(a.status, 'not_found');
  assert.deepEqual(empty.search('quota'), []);
  assert.deepEqual(empty.topics('en'), []);
  // A catalog topic whose section is missing in every language is skipped, not a crash.
  const orphan = createEngine({ ...kb, sections: kb.sections.filter((s) => s.anchor !== 'outofquota') });
  assert.notEqual(orphan.ask('OutOfQuota').topic?.id, 'OutOfQuota');
});

test('an HTTP status from another service (Azure OpenAI) does not pull in our status topic', () => {
  const a = engine.ask('openai.RateLimitError: Error code: 429 from the chat completions API, how do I raise my TPM?');
  assert.notEqual(a.topic?.id, 'HTTP-429');
  assert.equal(engine.ask('my online endpoint returns 429 when I call it').topic?.id, 'HTTP-429');
});

test('online-endpoint words keep a status question on the current topic even when AKS is named', () => {
  const a = engine.ask('AKS-attached Kubernetes online endpoint returns 503 during traffic spikes');
  assert.equal(a.topic?.id, 'HTTP-503');
});

test('every topic can be reached by its own heading in each language (v1 and batch headings with their hint)', () => {
  const misses: string[] = [];
  let total = 0;
  for (const t of kb.topics) {
    for (const lang of ['en', 'ko', 'zh'] as const) {
      const section = kb.sections.find((s) => s.doc === t.doc && s.lang === lang && s.anchor === t.anchor);
      if (!section) continue;
      total++;
      const hint = t.id.startsWith('v1/') ? ' (SDK v1)' : t.id.startsWith('batch/') ? ' (batch endpoint)' : '';
      const a = engine.ask(section.title + hint);
      const reached =
        a.topic?.id === t.id ||
        (a.status === 'clarify' && a.alternatives.some((r) => r.id === t.id)) ||
        kb.topics.find((x) => x.id === a.topic?.id)?.parent === t.id;
      if (a.status === 'not_found' || !reached) misses.push(`${lang} ${t.id}: "${section.title}" → ${a.status} ${a.topic?.id ?? ''}`);
    }
  }
  // Some headings are genuinely ambiguous ("Container registry authorization error" names two topics).
  assert.ok(misses.length <= total * 0.03, `${misses.length}/${total} topics not reached by their heading:\n${misses.join('\n')}`);
});

test('answerTopic gives a picked topic in the asked language, with its steps; an unknown id gives undefined', () => {
  const a = engine.answerTopic('OutOfQuota/cpu', 'zh')!;
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'OutOfQuota/cpu');
  assert.equal(a.lang, 'zh');
  assert.ok(a.steps.length > 0);
  assert.equal(engine.answerTopic('NoSuchTopic', 'en'), undefined);
});

test("topics() names each topic's document and anchor, the same the catalog gives", () => {
  const cpu = engine.topics('ko').find((t) => t.id === 'OutOfQuota/cpu')!;
  assert.deepEqual([cpu.doc, cpu.anchor], ['online-endpoints', 'outofquota-cpu']);
});

test('the HTTP status a user reports decides between status topics: a 504 despite a raised request_timeout_ms is HTTP-504, a 408 is HTTP-408', () => {
  const said = (status: string) =>
    engine.ask(`the scoring request times out: my online endpoint returns ${status} after 5 seconds although request_timeout_ms is 16000`).topic?.id;
  assert.equal(said('504'), 'HTTP-504');
  assert.equal(said('408'), 'HTTP-408');
  // In Korean the 408 topic's words match twice (요청 타임아웃, request_timeout_ms): the status still decides.
  const ko = (status: string) =>
    engine.ask(`쿠버네티스 온라인 엔드포인트 요청 타임아웃을 request_timeout_ms=16000 으로 늘렸는데도 5초 넘으면 ${status}가 떨어져요`).topic?.id;
  assert.equal(ko('504'), 'HTTP-504');
  assert.equal(ko('408'), 'HTTP-408');
});

test('a v1 batch post (ParallelRunStep) is a batch question: batch topics are not held back as v2 under the v1 hint', () => {
  const a = engine.ask(
    'ParallelRunStep fails in run(mini_batch)\n\nfrom azureml.pipeline.steps import ParallelRunStep, ParallelRunConfig\n\nThe batch scoring step fails and I cannot find which mini batch failed or where its logs are.',
  );
  assert.notEqual(a.status, 'not_found');
  assert.match(a.topic!.id, /^batch\//);
});

test("a Flask or Jinja2 error in a plain app's story is not the inference server's (libraryOutOfContext); in a serving context or asked alone it is", () => {
  const error = "ImportError: cannot import name 'Markup' from 'jinja2'";
  const plain = engine.ask(`Flask tutorial app will not run\n\nI run python app.py from the course and get:\n\n${error}\n\nFlask==1.0.2, Jinja2==3.1.2`);
  assert.equal(plain.status, 'not_found');
  const serving = engine.ask(`the container log on startup shows\n\n${error}\n\nazureml-defaults is pinned`);
  assert.equal(serving.topic?.id, 'InferenceServer/jinja2-markup');
  assert.equal(engine.ask(error).topic?.id, 'InferenceServer/jinja2-markup');
  // A sign-off or an environment list after the error is no story of another app.
  for (const tail of ['Thanks in advance!', '- azure-ai-ml==1.12.0\n- Python 3.10', '미리 감사합니다!'])
    assert.equal(engine.ask(`${error}\n\n${tail}`).topic?.id, 'InferenceServer/jinja2-markup', tail);
});

test("the user's own Flask app deployed in a Docker container is a plain app: the inference server's import error is not found; a model's serving words keep it ours", () => {
  const error = "ImportError: cannot import name 'json' from 'itsdangerous'";
  const ownApp = engine.ask(`${error}\n\nWhile deploying and running my flask application (v1.1.1) in a Docker container I get:\n${error}`);
  assert.equal(ownApp.status, 'not_found');
  const served = engine.ask(`${error}\n\nDeploying the flask app's model to an online endpoint, the deployment logs show:\n${error}`);
  assert.equal(served.topic?.id, 'InferenceServer/jinja2-markup');
});

test("the inference server's start messages name their topics: a failed init() in a v1 web service's escaped log, Flask 1.x meeting itsdangerous 2.1", () => {
  const log = '[1] "Booting worker with pid: 47\\nInvoking user\'s init function\\nUser\'s init function failed\\nEncountered Exception Traceback"';
  assert.equal(engine.ask(`ACI web service deployment times out\n\nget_webservice_logs(aci_service):\n${log}`).topic?.id, 'v1/ServiceLaunch');
  // Both generations' servers print it: a v2 post gets a v2 init failure (managed or Kubernetes), not the v1 topic.
  const v2 = engine.ask(`online deployment fails\n\naz ml online-deployment create logs:\nUser's init function failed`).topic?.id;
  assert.ok(v2 === 'ResourceNotReady' || v2 === 'UserScriptInitFailed', v2);
  const flask = "  File \"/var/azureml-server/synchronous/framework.py\", line 3\nImportError: cannot import name 'json' from 'itsdangerous'";
  assert.equal(engine.ask(`online deployment failed\n\nTraceback (most recent call last):\n${flask}`).topic?.id, 'InferenceServer/jinja2-markup');
});

test('a model missing from its folder in the container answers the v1 model-path topic, and offers the v2 crash topic in a v2 post', () => {
  const error = "FileNotFoundError: [Errno 2] No such file or directory: '/var/azureml-app/azureml-models/churn/3/model.pkl'";
  const v1 = engine.ask(`init() fails after Model.deploy to ACI\n\n${error}`);
  assert.equal(v1.topic?.id, 'v1/GetModelPath');
  assert.equal(v1.evidence[0]?.kind, 'signature');
  // Both generations own the message, so it does not make a v2 post v1: the v2 crash topic stays on offer.
  const v2 = engine.ask(`init() fails after az ml online-deployment create\n\n${error}`);
  assert.ok([v2.topic?.id, ...v2.alternatives.map((t) => t.id)].includes('ResourceNotReady'));
});

test("a sub-topic's own message under another parent's code answers the sub-topic, not a choice among the code's sub-topics", () => {
  const a = engine.ask(
    'Deployment failed.\nCode: ResourceNotFound\nMessage: ResourceNotFound: Unable to download user model/code artifacts, storage blob container 6758-abc',
  );
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'BadArgument/user-model-download');
  assert.equal(a.evidence[0]?.kind, 'signature');
});

test('a Korean or Chinese word no section has counts against coverage, as an unknown English word does: a billing question is not found', () => {
  assert.deepEqual(cjkWords('这个月 Azure 账单突然多了'), ['这个', '账单', '突然']);
  assert.deepEqual(cjkWords('이번 달 요금이 나왔어요'), ['이번', '요금이', '나왔어요']);
  // A 64 KB paste's words are read from its first 4,000 characters of each script, not all of it.
  const paste = Array.from({ length: 20000 }, (_, i) => String.fromCharCode(0xac00 + (i % 11000), 0xac01 + (i % 11000))).join(' ');
  assert.equal(cjkWords(paste).length, 2000);
  const { understander, ranker } = createPipeline(kb);
  const billing = {
    en: 'why did our azure invoice jump by $400 this month? how do I break down cost by resource group',
    ko: '이번 달 Azure 요금이 갑자기 두 배로 나왔어요. 리소스 그룹별 비용 어떻게 봐요?',
    zh: '这个月 Azure 账单突然多了好几千，怎么按资源组看费用',
  };
  for (const [lang, q] of Object.entries(billing)) {
    // Before, the Chinese question's unknown words (账单, 费用) left its coverage at 1: only 资源组 was counted.
    assert.ok(ranker.rank(understander.understand(q)).hits[0].features.coverage < 0.3, lang);
    assert.equal(engine.ask(q).status, 'not_found', lang);
  }
});

test("a v1 deployment failure that names no error and no topic pins down is answered with the v1 first step (read the service's logs), marked first_step", () => {
  const hang = (where: string, story: string) =>
    `Deployment${where} hangs forever\n\nI am running the deploy notebook. ${story} never completes and after an hour I get: Error: deployment timed out. The same model worked last month.`;
  const a = engine.ask(hang(' to ACI', 'Model.deploy()'));
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'v1/DockerLogs');
  assert.ok(a.notices.includes('first_step') && a.notices.includes('legacy_topic'));
  assert.ok(a.steps.length > 0);
  assert.ok(a.alternatives.length > 0 && a.alternatives.every((t) => t.id.startsWith('v1/')));
  // Every surface shows related topics: the other v1 candidates lead them.
  assert.deepEqual(
    a.related.slice(0, a.alternatives.length).map((t) => t.id),
    a.alternatives.map((t) => t.id),
  );
  assert.ok(a.confidence < 0.55);
  const zh = engine.ask('ACI 部署一直卡住\n\n在笔记本里运行部署，一个小时后出现 Error: deployment timed out。上个月同一个模型还可以。');
  assert.equal(zh.topic?.id, 'v1/DockerLogs');
  assert.equal(zh.lang, 'zh');
  assert.ok(zh.notices.includes('first_step'));
  // A post that names an error no topic knows is not covered: not found, not a guess.
  const named = engine.ask(
    'Deployment to ACI hangs forever\n\nI am running the deploy notebook. Model.deploy() never completes and after an hour I get: WebserviceException: ServiceModelConflict',
  );
  assert.equal(named.status, 'not_found');
  // Without a v1 word, the same story is not found: v2's near misses are many and alike.
  assert.equal(engine.ask(hang('', 'It')).status, 'not_found');
  // A training run on the v1 SDK is another part of Azure ML.
  assert.equal(engine.ask('Training job on ACI fails\n\nMy training run with ScriptRunConfig fails after an hour: Error: run timed out.').status, 'not_found');
  // A confident answer is not marked.
  assert.ok(!engine.ask('AciDeploymentFailed: Your container application crashed. init() in score.py').notices.includes('first_step'));
});

test('a v1 post whose best topic only shares words with its story gets the first step, the guess first among the alternatives', () => {
  // "testing", "test", "sample" are words of the local-debugging section; the post names no error of its own.
  const post =
    'Testing the deployed web service fails\n\nI deployed the model with Model.deploy to ACI and when I test the service with the sample data as the notebook shows, the test call fails. Same test data works locally.';
  const a = engine.ask(post);
  assert.equal(a.topic?.id, 'v1/DockerLogs');
  assert.ok(a.notices.includes('first_step'));
  assert.equal(a.alternatives[0]?.id, 'v1/LocalDebug');
  const ko = engine.ask(
    'ACI 웹 서비스 테스트가 실패해요\n\n노트북 안내대로 Model.deploy 로 ACI 에 배포한 웹 서비스를 샘플 데이터로 테스트하면 실패해요. 로컬에서는 같은 데이터로 잘 돼요.',
  );
  assert.equal(ko.topic?.id, 'v1/DockerLogs');
  assert.equal(ko.lang, 'ko');
  // A topic with evidence of its own (its class named in the post) is answered as it is.
  const local = engine.ask('LocalWebservice deploy fails\n\nI deploy with LocalWebservice.deploy_configuration(port=8890) and the local test call fails.');
  assert.equal(local.topic?.id, 'v1/LocalDebug');
  assert.ok(!local.notices.includes('first_step'));
  // A one-line question is all intent: its words are not a story.
  const asked = engine.ask('My ACI web service from Model.deploy fails when I test it with the sample data from the notebook');
  assert.equal(asked.topic?.id, 'v1/LocalDebug');
  assert.ok(!asked.notices.includes('first_step'));
});

test('the matched words of the evidence do not repeat a code or message already shown', () => {
  const a = engine.ask(
    'az ml online-deployment create -f blue.yml\nERROR: (ResourceNotReady) User container has crashed or terminated.\nCode: ResourceNotReady\nMessage: User container has crashed or terminated. Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-resourcenotready',
  );
  assert.equal(a.topic?.id, 'ResourceNotReady');
  const words = a.evidence.filter((e) => e.kind === 'text').flatMap((e) => e.text.split(', '));
  const shown = a.evidence.filter((e) => e.kind !== 'text').map((e) => e.text.toLowerCase());
  assert.ok(shown.length > 0);
  assert.deepEqual(
    words.filter((w) => shown.some((s) => s.includes(w))),
    [],
  );
});

test('a package named only in a traceback frame’s path is no evidence: the inference server’s own frames do not make it the answer', () => {
  const traceback = [
    'Traceback (most recent call last):',
    '  File "/opt/miniconda/envs/amlenv/lib/python3.8/site-packages/azureml_inference_server_http/server/user_script.py", line 77, in load_script',
    '    main_module_spec.loader.exec_module(user_module)',
    '  File "/var/azureml-app/score.py", line 4, in <module>',
    '    import tensorflow as tf',
    "ModuleNotFoundError: No module named 'tensorflow'",
  ].join('\n');
  for (const intro of ['get-logs shows this and the deployment fails:', 'get-logs에 이게 찍히고 배포가 실패해요:', 'get-logs 显示如下，部署失败：'])
    assert.equal(engine.ask(`${intro}\n\n${traceback}`).topic?.id, 'ResourceNotReady', intro);
});

test('an image build that fails because the registry is behind a virtual network is the build-compute topic in every language', () => {
  assertTopic('ImageBuildFailure/vnet-build-compute', [
    'image build fails because the container registry is behind a virtual network',
    '컨테이너 레지스트리가 가상 네트워크 뒤에 있어서 이미지 빌드가 실패해요',
    '容器注册表在虚拟网络后面，映像构建失败',
  ]);
});

test('a v1 question gets the v1 twin when both twins share the phrase: an image build that failed, a 503 under load', () => {
  assert.equal(engine.ask('SDK v1 이미지 빌드가 실패했는데 이미지 빌드 로그는 어디 있나요?').topic?.id, 'v1/ImageBuild');
  assert.equal(engine.ask('AKS webservice returns 503 under load, autoscale_target_utilization is 70').topic?.id, 'v1/HTTP-503');
});

test('a v1 question whose phrase the v2 twin had alone reaches the v1 twin (a crash during initialization, an image build error)', () => {
  const cases: Array<[string, string]> = [
    ['SDK v1 ACI web 服务容器初始化时崩溃', 'v1/ServiceLaunch'],
    ['v1 AKS webservice: score.py error when the service starts', 'v1/ServiceLaunch'],
    ['v1 SDK 이미지 빌드 오류가 나요. 빌드 로그 위치가 어디죠?', 'v1/ImageBuild'],
    ['v1 SDK 映像构建报错，生成日志在哪？', 'v1/ImageBuild'],
  ];
  for (const [q, id] of cases) assert.equal(engine.ask(q).topic?.id, id, q);
});

test('쿠버네티스 written in Hangul is Kubernetes: a Korean Kubernetes question is not pulled to the topics whose alias spells it in Hangul', () => {
  const cases: Array<[string, string]> = [
    ['쿠버네티스 배포 pod가 메모리 부족으로 종료돼요', 'PodOutOfMemory'],
    ['쿠버네티스 컴퓨트에서 azureml-fe가 준비되지 않았어요', 'BadArgument/azureml-fe-not-ready'],
  ];
  for (const [q, id] of cases) assert.equal(engine.ask(q).topic?.id, id, q);
  assert.equal(engine.ask('쿠버네티스 할당량이 부족해요').topic?.id, 'OutOfQuota/kubernetes');
});

test('a message the service prints for one topic outweighs words other sections share (No valid deployments to route to → HTTP-404)', () => {
  for (const q of [
    "the deployment succeeded but calling it returns 'No valid deployments to route to'",
    "部署成功了，但调用返回 'No valid deployments to route to'",
  ]) {
    const a = engine.ask(q);
    assert.deepEqual([a.topic?.id, a.evidence[0]?.kind], ['HTTP-404', 'signature'], q);
  }
});

test('an endpoint name already in use is the endpoint-exists topic in every language, not the container logs', () => {
  assertTopic('EndpointAlreadyExists', [
    'az ml online-endpoint create fails: the endpoint name is already in use in this region',
    'az ml online-endpoint create 실패: 이 지역에서 엔드포인트 이름이 이미 사용 중입니다',
    'az ml online-endpoint create 失败：该区域中终结点名称已被使用',
  ]);
});

test('a ~20 KB log of repeated lines gets the answer its distinct lines and the traceback at its end get', () => {
  const lines = ['my online endpoint returns errors after a while', ''];
  for (let i = 0; i < 170; i++)
    lines.push(
      `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}.${i}Z INFO azmlinfsrv - POST /score 200 ${i * 7}ms request_id=${i.toString(16)}-req worker=${i % 8}`,
    );
  lines.push('Traceback (most recent call last):', '  File "/var/azureml-app/score.py", line 12, in run', "ModuleNotFoundError: No module named 'sklearn'");
  const log = lines.join('\n');
  const distinct = [...lines.slice(0, 5), ...lines.slice(-3)].join('\n');
  const [a, b] = [engine.ask(log), engine.ask(distinct)];
  assert.equal(a.topic?.id, b.topic?.id);
  assert.equal(a.status, b.status);
  assert.equal(a.status, 'answered');
});

test('a how-to question that reports no failure and says nothing of logs is not answered with "read the logs"', () => {
  const a = engine.ask('How do I set mini_batch_size and instance_count for a batch deployment with the python SDK v2?');
  assert.equal(a.status, 'not_found');
  // Asked about what the scoring script prints, or reporting a failure, the logs stay an answer.
  assert.equal(engine.ask('my batch job failed, where are the logs of my scoring script?').topic?.id, 'batch/Logs');
});

test("where a managed deployment's score.py prints go, in each language: the container logs (its inference server's console)", () => {
  for (const q of [
    'managed online deployment: where can I see what score.py prints?',
    '관리형 온라인 엔드포인트에서 score.py print 출력 어디서 봐요?',
    '托管联机终结点里 score.py 的 print 输出在哪看？',
  ])
    assert.equal(engine.ask(q).topic?.id, 'ContainerLogs', q);
});

test('a source line number (`_execute(502)`, `line 502`) is no HTTP status; a status in prose or output is', () => {
  assert.deepEqual(reader.understand('ERROR conda.core.link:_execute(502): An error occurred while installing package').codes, []);
  assert.deepEqual(reader.understand('File "score.py", line 502, in run').codes, []);
  assert.deepEqual(reader.understand('the endpoint returns 502 Bad Gateway').codes, ['502']);
});

test('creating an AKS cluster is another part of Azure ML than deploying to one', () => {
  assert.equal(reader.understand('I cannot create an AKS cluster with Standard_NC6').otherFeatureHint, true);
  assert.equal(reader.understand('AksCompute.provisioning_configuration(vm_size="Standard_NC6") fails').otherFeatureHint, true);
});

test('updating a v1 web service (service.update) is the v1 local-debug topic, whose section shows update() and reload()', () => {
  for (const q of [
    'how do I update the webservice with a new model version? AciWebservice',
    'AKS 웹 서비스 업데이트 하려면 service.update 를 어떻게 써요?',
    'ACI 的 web 服务怎么用 service.update 换模型？',
  ])
    assert.equal(engine.ask(q).topic?.id, 'v1/LocalDebug', q);
});

test('a status both generations own (502) is the v1 topic in a post that says v1, the current topic otherwise', () => {
  assert.equal(engine.ask('my ACI webservice returns 502').topic?.id, 'v1/RunInputData');
  assert.equal(engine.ask('my online endpoint returns 502 when my run() throws').topic?.id, 'HTTP-502');
});

test('Kubernetes alone does not place a question in Azure ML: an ingress TLS question is not found, a Kubernetes online endpoint still is', () => {
  assert.equal(reader.understand('Kubernetes ingress 怎么配置 TLS 证书').inDomainHint, false);
  assert.equal(engine.ask('쿠버네티스 ingress에 TLS 인증서 거는 방법').status, 'not_found');
  assert.equal(reader.understand('Kubernetes online endpoint pods keep restarting').inDomainHint, true);
});

test('Azure alone does not place a question in Azure ML: a storage account or a budget alert is not found', () => {
  assert.equal(reader.understand('how do I create a storage account in the azure portal').inDomainHint, false);
  for (const q of [
    'how do I create a storage account in the azure portal',
    'Our Azure bill doubled this month, how do I set up budget alerts and see cost by resource group?',
  ])
    assert.equal(engine.ask(q).status, 'not_found', q);
  assert.equal(reader.understand('Azure ML model deployment fails').inDomainHint, true);
});

test('data assets and cluster or node pool upgrades are other parts of Azure ML and Kubernetes, in each language', () => {
  for (const q of [
    'how should I version my Azure ML data assets?',
    'after the AKS cluster version upgrade one node stays NotReady',
    'Azure ML 데이터 자산(data asset) 버전 관리는 어떻게 하는 게 좋아요?',
    'AKS 클러스터 버전 업그레이드 후 노드 하나가 NotReady 상태에서 안 돌아와요',
    'Azure 机器学习工作室里怎么注册数据资产',
    'AKS 节点池升级卡住了，kubectl get nodes 有节点一直 NotReady',
  ]) {
    assert.equal(reader.understand(q).otherFeatureHint, true, q);
    assert.equal(engine.ask(q).status, 'not_found', q);
  }
});

test('a source line number is no status, wherever the log prints it; a status an exception is raised with is', () => {
  for (const q of ['2024-01-01 12:00:00 ERROR link.py:502 failed to link package', 'ERROR conda.core.link:_execute(502): failed\nrequest-id: 8d502c1f'])
    assert.deepEqual(reader.understand(q).codes, [], q);
  assert.deepEqual(reader.understand('raise HTTPException(502) in my scoring script').codes, ['502']);
});

test("an outcome message gives way only to another topic's stated message, not to a name any file carries", () => {
  const conda =
    'Online deployment fails\n\nERROR: (ResourceNotReady) User container has crashed or terminated.\n\nconda.yml:\n  - pip:\n    - azureml-inference-server-http\n    - scikit-learn';
  assert.equal(engine.ask(conda).topic?.id, 'ResourceNotReady');
  const aci =
    'ACI deployment fails\n\nInstalling pip dependencies: ...working... done\nService deployment polling reached non-successful terminal state, current service state: Unhealthy\nYour container application crashed.';
  assert.equal(engine.ask(aci).topic?.id, 'v1/ServiceLaunch');
});

test("a v1 image that does not build, naming no error, gets the image build log as its first step, not the service's logs", () => {
  const a = engine.ask('Environment fails to build\n\nWe use the azureml-core SDK. Our env.build() step fails every time and we cannot find out why.');
  assert.equal(a.topic?.id, 'v1/ImageBuild');
  assert.ok(a.notices.includes('first_step'));
  const deploy = engine.ask(
    'Deployment to ACI hangs forever\n\nI am running the deploy notebook. Model.deploy() never completes and after an hour I get: Error: deployment timed out.',
  );
  assert.equal(deploy.topic?.id, 'v1/DockerLogs');
});
