/**
 * What each part of the ranking policy does, on a tiny synthetic knowledge base (three topics, one
 * language) and the hand-set default policy: a test changes one kind of evidence at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledgeBase, createEngine, createPipeline } from '../../src/engine/index.ts';
import { defaultPolicy, rankScore, answerProbability, FEATURES, type RankPolicy } from '../../src/engine/policy.ts';
import { decide, decisionFeatures } from '../../src/engine/decide.ts';
import { readPost, dropBoilerplate } from '../../src/engine/understand/reading.ts';

function tinyKb() {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-policy-'));
  mkdirSync(join(dir, 'en'));
  const front = (doc: string) =>
    `---\ntitle: ${doc}\ndoc: ${doc}\nlang: en\nsource: https://example.com/${doc}\nlicense: CC BY 4.0\nattribution: test\narea: x\n---\n`;
  writeFileSync(
    join(dir, 'en', 'current.md'),
    `${front('current')}## Quota {#quota}\n\nThe deployment ran out of quota for virtual cores.\n\n- Delete unused deployments.\n- Request a quota increase.\n\n` +
      `## Crash {#crash}\n\nThe container crashes on start because score.py fails in init.\n\n- Read the container logs.\n- Fix init in score.py.\n`,
  );
  writeFileSync(
    join(dir, 'en', 'legacy.md'),
    `${front('legacy')}## Legacy crash {#v1-crash}\n\nThe web service container crashes on start because score.py fails in init.\n\n- Call service.get_logs() to read the Docker log.\n`,
  );
  writeFileSync(
    join(dir, 'catalog.yaml'),
    [
      'families: { current: online, legacy: v1 }',
      'topics:',
      '  - id: Quota',
      '    doc: current',
      '    codes: [OutOfQuota]',
      '    aliases: { en: [not enough cores] }',
      '    signatures: ["exceeding approved Total Regional Cores quota"]',
      '  - id: Crash',
      '    doc: current',
      '    codes: [ResourceNotReady]',
      '    aliases: { en: [container crashes on start] }',
      '    diagnostic: true',
      '  - id: v1/Crash',
      '    doc: legacy',
      '    aliases: { en: [webservice crashes] }',
      // The v1 SDK's end of every failed deployment: it names the failed stage, not the cause.
      '    outcomes: ["Service deployment polling reached non-successful terminal state"]',
    ].join('\n'),
  );
  return loadKnowledgeBase(dir).kb;
}

const kb = tinyKb();
const policy: RankPolicy = { ...defaultPolicy };
const engine = createEngine(kb, { policy });
const { understander, ranker } = createPipeline(kb, { policy });
const rank = (q: string) => ranker.rank(understander.understand(q));

test('the tiny knowledge base loads three topics', () => {
  assert.deepEqual(
    kb.topics.map((t) => t.id),
    ['Quota', 'Crash', 'v1/Crash'],
  );
});

test('a code in pasted output is shown as found in the output', () => {
  const top = rank('Deploy failed\n\nERROR: (ResourceNotReady) User container has crashed or terminated').hits[0];
  assert.deepEqual(top.evidence[0], { kind: 'code', text: 'ResourceNotReady', inOutput: true });
});

test('a code the question names gives its topic the firstCode feature and wins', () => {
  const top = rank('deployment failed with ResourceNotReady').hits[0];
  assert.equal(top.topicId, 'Crash');
  assert.equal(top.features.firstCode, 1);
  // One line is the user's own words, not pasted output.
  assert.deepEqual(top.evidence[0], { kind: 'code', text: 'ResourceNotReady', inOutput: false });
});

test('a signature (a message the service prints) picks its topic even without the code', () => {
  const r = rank('Operation could not be completed as it results in exceeding approved Total Regional Cores quota.');
  assert.equal(r.hits[0].topicId, 'Quota');
  assert.equal(r.hits[0].features.signature, 1);
  assert.equal(r.hits[0].evidence[0].kind, 'signature');
});

test('an alias in an error statement of the pasted output counts beyond the same words in the title: aliasOutput', () => {
  const quota = (q: string) => rank(q).hits.find((h) => h.topicId === 'Quota')?.features;
  assert.deepEqual(
    [quota('Deploy failed\n\nERROR: not enough cores in the region')?.alias, quota('Deploy failed\n\nERROR: not enough cores in the region')?.aliasOutput],
    [1, 1],
  );
  assert.deepEqual([quota('not enough cores\n\nI tried again today')?.alias, quota('not enough cores\n\nI tried again today')?.aliasOutput], [1, 0]);
});

test('a signature printed in the pasted output counts beyond one quoted in the question: signatureOutput', () => {
  const quota = (q: string) => rank(q).hits.find((h) => h.topicId === 'Quota')?.features;
  const pasted = quota('Deploy failed\n\nERROR: Operation results in exceeding approved Total Regional Cores quota');
  assert.deepEqual([pasted?.signature, pasted?.signatureOutput], [1, 1]);
  const asked = quota('what does exceeding approved Total Regional Cores quota mean');
  assert.deepEqual([asked?.signature, asked?.signatureOutput], [1, 0]);
});

test("a wrapper code named first, around another topic's message: the message's topic wins (codeUnderSignature)", () => {
  const r = rank(
    'Endpoint create fails\n\nCode: ResourceNotReady\nMessage: Operation could not be completed as it results in exceeding approved Total Regional Cores quota.\nThe container crashes on start.',
  );
  assert.equal(r.hits[0].topicId, 'Quota');
  const wrapper = r.hits.find((h) => h.topicId === 'Crash')!;
  assert.deepEqual([wrapper.features.firstCode, wrapper.features.codeUnderSignature], [1, 1]);
});

test('the v1 context moves the same words to the legacy topic (legacyFit vs currentUnderLegacy)', () => {
  assert.equal(rank('the container crashes on start, score.py init fails').hits[0].topicId, 'Crash');
  const legacy = rank('the container crashes on start, score.py init fails after Model.deploy with an ACI webservice');
  assert.equal(legacy.hits[0].topicId, 'v1/Crash');
  assert.equal(legacy.hits[0].features.legacyFit, 1);
});

test('a v1 topic takes the legacyUnsaid share of legacyMiss when the question names neither generation, all of it twice over when it names v2', () => {
  const miss = (q: string) => rank(q).hits.find((h) => h.topicId === 'v1/Crash')?.features.legacyMiss;
  assert.equal(miss('the container crashes on start and its docker log is empty'), policy.legacyUnsaid);
  assert.equal(miss('the online endpoint container crashes on start and its docker log is empty'), 2);
});

test('a v1 topic that wins a question which never names v1 is weaker evidence for the decision: legacyUnsaid', () => {
  const features = (q: string) => decisionFeatures(rank(q), understander.understand(q));
  assert.equal(rank('its docker log is empty').hits[0].topicId, 'v1/Crash');
  assert.equal(features('its docker log is empty').legacyUnsaid, 1);
  assert.equal(features('the ACI webservice docker log is empty').legacyUnsaid, 0);
});

test("a failure with no telling words makes the area's diagnostic topic (its logs) a candidate: diagnosticFit", () => {
  const post = 'Model deployment does not work\n\nI followed the tutorial.\nERROR: something went wrong';
  const crash = rank(post).hits.find((h) => h.topicId === 'Crash');
  assert.equal(crash?.features.diagnosticFit, 1);
  // A question that reports no failure (no error statement) does not get it.
  assert.equal(rank('where is the tutorial').hits.find((h) => h.topicId === 'Crash')?.features.diagnosticFit ?? 0, 0);
  // Nor does it outside its area: a v1 question's diagnostic topic would be a legacy one.
  assert.equal(
    rank('Webservice.deploy does not work\n\nERROR: something went wrong in Model.deploy').hits.find((h) => h.topicId === 'Crash')?.features.diagnosticFit ?? 0,
    0,
  );
});

test("another topic's symptom phrase (alias) is something specific known: the diagnostic topic gets no diagnosticFit", () => {
  const post = 'Model deployment does not work\n\nI followed the tutorial.\nERROR: not enough cores';
  assert.equal(rank(post).hits[0].topicId, 'Quota');
  assert.equal(rank(post).hits.find((h) => h.topicId === 'Crash')?.features.diagnosticFit ?? 0, 0);
});

test('a failure reported in the area of the best candidate raises the decision: areaFailure', () => {
  const features = (q: string) => decisionFeatures(rank(q), understander.understand(q));
  const failed = features('Webservice deploy failed\n\nThe web service container crashes on start, score.py init');
  assert.equal(rank('Webservice deploy failed\n\nThe web service container crashes on start, score.py init').hits[0].topicId, 'v1/Crash');
  assert.equal(failed.areaFailure, 1);
  // The same area without a reported failure, or a failure outside any named area, does not.
  assert.equal(features('how does the web service container start, score.py init').areaFailure, 0);
  assert.equal(features('the container crashes on start, score.py init fails').areaFailure, 0);
});

test('a training job or a compute instance, never deployed or scored, lowers the decision: otherFeature', () => {
  const job = understander.understand('my training job ran out of quota for virtual cores');
  const own = understander.understand('my deployment ran out of quota for virtual cores');
  assert.equal(job.otherFeatureHint, true);
  assert.equal(own.otherFeatureHint, false);
  // A post that trains and then deploys is about deploying.
  assert.equal(understander.understand('the training job worked, but deploying the model to the endpoint fails').otherFeatureHint, false);
  const p = (q: typeof own) => answerProbability(decisionFeatures(ranker.rank(q), q), { ...policy, decision: { ...policy.decision, otherFeature: -2 } });
  assert.ok(p(job) < p(own));
});

test('the score is the dot product of features and weights', () => {
  const hit = rank('ResourceNotReady').hits[0];
  const expected = FEATURES.reduce((s, f) => s + hit.features[f] * policy.weights[f], 0);
  assert.equal(rankScore(hit.features, policy), expected);
  assert.equal(hit.score, expected);
});

test('the score reads every feature once, in FEATURES order, with its own weight', () => {
  // Distinct fractions: a feature left out, read twice, paired with another's weight or added in another order changes the sum.
  let x = 0.1234567;
  const next = () => (x = (x * 9301 + 0.49297) % 1) - 0.3;
  for (let round = 0; round < 20; round++) {
    const features = Object.fromEntries(FEATURES.map((f) => [f, next()])) as Record<(typeof FEATURES)[number], number>;
    const weights = Object.fromEntries(FEATURES.map((f) => [f, next() * 4])) as RankPolicy['weights'];
    let expected = 0;
    for (const f of FEATURES) expected += features[f] * weights[f];
    assert.equal(rankScore(features, { ...policy, weights }), expected);
  }
  for (const f of FEATURES) {
    const features = Object.fromEntries(FEATURES.map((g) => [g, g === f ? 1 : 0])) as Record<(typeof FEATURES)[number], number>;
    assert.equal(rankScore(features, { ...policy, weights: { ...policy.weights, [f]: 7 } }), 7, f);
  }
});

test('a long post is read by its error statement: a story and a log do not dilute the line that matters', () => {
  const story = 'We have been using this workspace for months and everything worked well until last week. '.repeat(30);
  const log = Array.from({ length: 400 }, (_, i) => `2024-01-01 12:00:${String(i % 60).padStart(2, '0')} INFO worker heartbeat ok`).join('\n');
  const a = engine.ask(
    `Deployment stopped working\n\n${story}\n${log}\nERROR: Operation could not be completed as it results in exceeding approved Total Regional Cores quota`,
  );
  assert.equal(a.status, 'answered');
  assert.equal(a.topic?.id, 'Quota');
});

test('an error on the last line of a 60 KB paste is read (past the first 20,000 characters)', () => {
  const log = 'INFO step finished\n'.repeat(3200);
  assert.ok(log.length > 60_000);
  const a = engine.ask(`${log}ResourceNotReady: User container has crashed`);
  assert.equal(a.topic?.id, 'Crash');
  assert.ok(!a.notices.includes('input_truncated'));
});

test('with no evidence the decision model says not_found; the bias alone decides an empty question', () => {
  const r = rank('how do I bake sourdough bread at home');
  const q = understander.understand('how do I bake sourdough bread at home');
  assert.equal(decide(r, q, new Map(kb.topics.map((t) => [t.id, t])), policy).status, 'not_found');
  const p = answerProbability(
    decisionFeatures({ hits: [], textTop: 0, focusTop: 0 }, { ...q, statements: [], offDomainHint: false, inDomainHint: false }),
    policy,
  );
  assert.equal(p, 1 / (1 + Math.exp(-policy.decision.bias)));
});

test('a long post that never names Azure ML is answered only on a code or a message of its own (unplacedPostChars)', () => {
  const story =
    'Container crashes on start\n\nI built an image, pushed it and deployed it yesterday. Every time the container starts it crashes on start ' +
    'and restarts again a minute later, over and over. I checked the image locally and it runs there; I changed the port and the ' +
    'memory and redeployed twice, and the container crashes on start all the same. What should I look at next? Thanks in advance.';
  assert.ok(story.length > policy.unplacedPostChars);
  assert.equal(understander.understand(story).productNamed, false);
  const unplaced = engine.ask(story);
  assert.equal(unplaced.status, 'not_found');
  // The reply says why: the post never named the product.
  assert.deepEqual(unplaced.notices, ['not_placed']);
  // The same story on an Azure ML online endpoint, or with the service's own code in it, is ours.
  const placed = story.replace('deployed it yesterday', 'deployed it to an Azure ML online endpoint yesterday');
  assert.equal(understander.understand(placed).productNamed, true);
  assert.equal(engine.ask(placed).topic?.id, 'Crash');
  assert.ok(!engine.ask('how do I bake bread').notices.includes('not_placed'));
  const withCode = `${story}\nDeployment failed: (ResourceNotReady) User container has crashed`;
  assert.equal(engine.ask(withCode).topic?.id, 'Crash');
  // Unless every platform prints that code too (Resource Manager's InternalServerError, the kubelet's OOMKilled).
  const platform = createEngine(kb, { policy: { ...policy, platformCodes: ['ResourceNotReady'] } });
  assert.deepEqual(platform.ask(withCode).notices, ['not_placed']);
  // A Korean or Chinese character counts as two Latin ones: the same length of Hangul makes a post long sooner.
  const short = 'Crash on start\n\nThe container crashes on start because the scoring script fails in init, every time since yesterday.';
  const latin = `${short} ${'x'.repeat(150)}`;
  const hangul = `${short} ${'가'.repeat(150)}`;
  assert.ok(latin.length === hangul.length && latin.length < policy.unplacedPostChars);
  assert.equal(understander.understand(hangul).productNamed, false);
  assert.equal(engine.ask(latin).topic?.id, 'Crash');
  assert.deepEqual(engine.ask(hangul).notices, ['not_placed']);
  // A long question typed in a chat (no title over a story, as an issue has) is asked of this bot: about Azure ML.
  assert.equal(engine.ask(story.replace('\n\n', ' ')).topic?.id, 'Crash');
  // A short question asked of this bot is about Azure ML without saying so.
  assert.equal(engine.ask('the container crashes on start because the scoring script fails in init').topic?.id, 'Crash');
  // What only Azure ML prints places a paste that never says the name: its container's app path, its CLI.
  assert.equal(understander.understand(`${story}\n  File "/var/azureml-app/score.py", line 3, in init`).productNamed, true);
  assert.equal(understander.understand(`${story}\n$ az ml online-deployment get-logs -n blue`).productNamed, true);
  assert.equal(understander.understand(`${story}\n  File "/opt/py/site-packages/azure/ai/ml/_ml_client.py", line 9`).productNamed, true);
});

test('another product (SageMaker) lowers the decision: offDomain', () => {
  const own = understander.understand('my endpoint container crashes on start');
  const other = understander.understand('my SageMaker endpoint container crashes on start');
  assert.equal(other.offDomainHint, true);
  const p = (q: typeof own) => answerProbability(decisionFeatures(ranker.rank(q), q), policy);
  assert.ok(p(other) < p(own));
  // MLflow's own serving commands build and run containers outside Azure ML, unless the post names an online endpoint.
  assert.equal(understander.understand('mlflow models build-docker fails: Failed to create model environment').offDomainHint, true);
  // The Workbench preview (2017-2018) and its CLI are retired products, not today's service.
  assert.equal(understander.understand('Azure ML Workbench: error during service creation with az ml service create realtime').offDomainHint, true);
  // Its CLI's own commands name it without the word.
  assert.equal(understander.understand('Step 7 에서 az ml service create realtime --image-id <id> 가 500 으로 실패해요').offDomainHint, true);
  assert.equal(understander.understand('az ml env setup -n myenv --cluster 报错').offDomainHint, true);
  // Studio (classic) and its web services (services.azureml.net) are the retired predecessor, not today's endpoints.
  assert.equal(understander.understand('Score error 401 from https://ussouthcentral.services.azureml.net/workspaces/x/services/y/jobs').offDomainHint, true);
  assert.equal(understander.understand('Machine Learning Studio (classic) web service returns 401').offDomainHint, true);
  // Its own words (a predictive web service, a predictive experiment) and its docs' path name it too.
  assert.equal(understander.understand('Updating predictive web service not working after retraining').offDomainHint, true);
  assert.equal(
    understander.understand('following docs.microsoft.com/azure/machine-learning/studio/retrain-model the model does not update').offDomainHint,
    true,
  );
  // Other Azure and Microsoft products with builds, images and deployments of their own.
  for (const q of [
    'VM Image Builder: during the image build a failure has occurred',
    'az vm create fails with the image',
    'AI Builder sample: incorrect parameters',
  ])
    assert.equal(understander.understand(q).offDomainHint, true, q);
  // Other model-serving stacks on Kubernetes (Kubeflow, Seldon, KServe) are not Azure ML's inference router.
  assert.equal(understander.understand('Kubeflow seldon-serve liveness probe kills my model container').offDomainHint, true);
  const both = understander.understand('mlflow models serve works, the online endpoint container crashes on start');
  assert.equal(both.offDomainHint && !both.currentHint, false);
});

test('reading a post: title, error statements anywhere (traceback last line, Message: lines), narrative left out', () => {
  const r = readPost(
    [
      'Deploy fails on AKS',
      '',
      'I followed the tutorial and it worked yesterday.',
      '```',
      'Traceback (most recent call last):',
      '  File "/var/azureml-server/aml_blueprint.py", line 29, in <module>',
      '    import main',
      "ModuleNotFoundError: No module named 'main'",
      '```',
      'Message: The request is invalid.',
      'Any idea?',
    ].join('\n'),
  );
  assert.equal(r.title, 'Deploy fails on AKS');
  assert.deepEqual(r.statements, ["ModuleNotFoundError: No module named 'main'", 'Message: The request is invalid.']);
  assert.equal(r.hasOutput, true);
});

test('a failure told only in the title or in one line counts as a reported failure; a how-to question does not', () => {
  const titled = (title: string) => readPost(`${title}\n\nHere is my entry script and my environment, see the screenshots.`);
  for (const t of [
    'deploy to AKS with tensorflow 2.0 failed',
    'Error "AciDeploymentFailed" when trying to deploy a model',
    '웹 서비스 배포가 실패해요',
    '调用终结点超时',
    // What the user cannot do, or what never comes, is a failure too.
    "AKS Deployment Can't find model file but ACI and Local Deployments are fine",
    'Deployment stuck in Transitioning for an hour',
    'AKS 배포만 모델 파일을 못 찾아요',
    '部署一直卡住，找不到模型文件',
  ]) {
    assert.equal(titled(t).statements.length, 0, t);
    assert.equal(titled(t).reportsFailure, true, t);
  }
  assert.equal(readPost('my online endpoint keeps crashing').reportsFailure, true);
  assert.equal(titled('How do I set the number of replicas for a deployment?').reportsFailure, false);
  assert.equal(readPost('어떻게 인스턴스 수를 늘리나요').reportsFailure, false);
});

test('reading is linear: a 200 KB adversarial line set finishes and keeps at most 24 statements', () => {
  const nasty = `${'Error: '.repeat(20_000)}\n${'"message": "'.repeat(5000)}\n${'> - '.repeat(20_000)}x\n` + 'failed\n'.repeat(10_000);
  const r = readPost(nasty);
  assert.ok(r.statements.length <= 24);
});

test('the v1 SDK is recognised by its own words, not only by "v1" or "ACI"', () => {
  for (const q of [
    'Deploy model on AKS fails with ModuleNotFoundError',
    'Test model on Azure Container Instance times out',
    'model = Model.register(ws, "m.pkl")',
    'web service state is Unhealthy',
    '웹 서비스 배포가 실패해요',
    '容器实例部署失败',
    'StatusCode: 400 KubernetesDeploymentFailed',
    'AKS에 배포했는데 503이 나요',
    '模型部署到 AKS 以后一直失败',
    'we pinned azureml-sdk==1.38.0 and the deployment still fails',
    'I deployed a model in Azure Kubernetes Service and it returns 503',
    'Image creation failed with StatusCode: 400',
    '"code": "DeploymentTimedOut", "statusCode": 504',
    'WebserviceException: Received bad response from service: Response Code: 502',
    'I am still on v1 and the deployment fails',
    'the AKS cluster returns 503 after the deployment',
    'model = best_run.register_model(model_name="automl")',
    'File "/azureml-envs/lib/python3.8/site-packages/azureml/_restclient/models.py"',
    'moving a pipeline from SDK v1 to SDK v2',
    'az ml image create -n myimage --model-file model.pkl fails',
    'az ml computetarget attach aks returns an error',
    // Packages only the v1 SDK installs, in a pip or conda error.
    'could not find a version that satisfies the requirement dotnetcore2>=2.1.9',
    'ERROR: azureml-pipeline-core 1.2.0 has requirement azureml-core~=1.2.0',
  ]) {
    assert.equal(understander.understand(q).legacyHint, true, q);
  }
  for (const q of [
    'attach an AKS cluster as Kubernetes compute',
    'installing the AzureML extension on AKS fails with k8s-extension 1.3.5',
    'managed online endpoint deployment fails',
    'Python SDK 1.12 deployment fails',
    // "v1" in a scoring URI's path, an image tag or a model's name is not the SDK.
    'scoringUri: http://10.0.227.236/api/v1/endpoint/dev-rec/score times out',
    'image: myacr.azurecr.io/inference:v1 fails to start',
    'base image mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:20220616.v1',
    'deploying runwayml-stable-diffusion-v1-5 fails',
  ]) {
    const read = understander.understand(q);
    assert.equal(read.legacyHint && !read.currentHint, false, q);
  }
});

test('a message only the v1 SDK prints makes the question v1 for certain: currentUnderLegacy counts twice (legacyMessage)', () => {
  const q = understander.understand(
    'the container crashes on start\nService deployment polling reached non-successful terminal state, current service state: Unhealthy',
  );
  assert.equal(q.legacyMessage, true);
  assert.equal(q.legacyHint, true);
  const r = ranker.rank(q);
  assert.equal(r.hits[0].topicId, 'v1/Crash');
  assert.equal(r.hits.find((h) => h.topicId === 'Crash')?.features.currentUnderLegacy, 2);
  // Named only by its words (Model.deploy), v1 is likely, not certain.
  const named = understander.understand('the container crashes on start after Model.deploy');
  assert.equal(named.legacyMessage, false);
  assert.equal(ranker.rank(named).hits.find((h) => h.topicId === 'Crash')?.features.currentUnderLegacy, 1);
  // So is a pasted message of the v1 SDK's own classes, though no topic owns it.
  for (const paste of ['WebserviceException: Received bad response from service: Response Code: 502', 'AciDeploymentFailed: container crashed']) {
    assert.equal(understander.understand(paste).legacyMessage, true, paste);
  }
});

test("a failed stage's outcome message beside another topic's message: the message's topic wins (outcomes)", () => {
  const alone = rank('Deploy failed\n\nService deployment polling reached non-successful terminal state, current service state: Unhealthy');
  assert.equal(alone.hits[0].topicId, 'v1/Crash');
  assert.equal(alone.hits[0].features.signature, 1);
  const q = understander.understand(
    'Deploy failed\n\nService deployment polling reached non-successful terminal state, current service state: Unhealthy\n' +
      'Operation results in exceeding approved Total Regional Cores quota',
  );
  assert.deepEqual(q.signatureTopics, ['Quota']);
  // The outcome still says which SDK printed it.
  assert.equal(q.legacyMessage, true);
  assert.equal(ranker.rank(q).hits.find((h) => h.topicId === 'v1/Crash')?.features.signature ?? 0, 0);
});

test('an OS error line ("[Errno 2] No such file or directory") is an error statement', () => {
  const r = readPost("deploying my model\n\n[Errno 2] No such file or directory: '/var/azureml-app/azureml-models/m/5/m.pkl'\n\nany idea?");
  assert.deepEqual(r.statements, ["[Errno 2] No such file or directory: '/var/azureml-app/azureml-models/m/5/m.pkl'"]);
  assert.equal(r.reportsFailure, true);
});

test("a paste's library source lines and HTTP header dumps are dropped; the user's frames, the frame headers and the error stay", () => {
  const paste = [
    'calling the service fails',
    'Traceback (most recent call last):',
    '  File "score.py", line 12, in run',
    '    result = model.predict(data)',
    '  File "/usr/lib/python3.8/site-packages/azureml/core/webservice/aks.py", line 330, in run',
    '    def update(self, autoscale_min_replicas=None, autoscale_max_replicas=None):',
    '~/anaconda3/envs/aml/lib/python3.6/site-packages/azureml/core/webservice/aks.py in run(self, input_data)',
    "    330                                       'Response Code: {}\\n'",
    "--> 332                                       'Content: {}'.format(resp.status_code, resp.headers, resp.content))",
    'WebserviceException: Received bad response from service:',
    'Response Code: 502',
    "Headers: {'Date': 'Tue, 25 Jun 2019 09:40:13 GMT', 'Content-Type': 'text/html', 'Connection': 'keep-alive'}",
  ].join('\n');
  const kept = dropBoilerplate(paste);
  assert.doesNotMatch(kept, /autoscale_min_replicas|Response Code: \{\}|keep-alive|format\(resp/);
  for (const line of [
    '    result = model.predict(data)',
    '  File "/usr/lib/python3.8/site-packages/azureml/core/webservice/aks.py", line 330, in run',
    'WebserviceException: Received bad response from service:',
    'Response Code: 502',
  ])
    assert.ok(kept.includes(line), line);
  const plain = 'no traceback here\nHeaders are fine to mention';
  assert.equal(dropBoilerplate(plain), plain);
});

test('a docs link of the v1 era (machine-learning/service/, view=azureml-api-1) says v1; the v2 view says v2', () => {
  for (const url of [
    'https://docs.microsoft.com/en-us/azure/machine-learning/service/how-to-deploy-and-where',
    'the docs at https://docs.microsoft.com/azure/machine-learning/service/ (the v1 pages)',
    'https://learn.microsoft.com/en-us/azure/machine-learning/how-to-deploy?view=azureml-api-1',
  ]) {
    const q = understander.understand(`the image does not build\n\nI followed ${url}`);
    assert.deepEqual([q.legacyHint, q.currentHint], [true, false], url);
  }
  const v2 = understander.understand(
    'the image does not build\n\nI followed https://learn.microsoft.com/en-us/azure/machine-learning/how-to-deploy?view=azureml-api-2',
  );
  assert.deepEqual([v2.legacyHint, v2.currentHint], [false, true]);
});
