import { scan } from '../text/tokenize.ts';
import { prepareQuestion, FULL_TEXT_CHARS } from '../text/normalize.ts';
import { detectLang } from '../text/script.ts';
import { createFoldedNeedleFinder, fold } from '../text/needles.ts';
import { createStartFilter } from '../search/term-filter.ts';
import { readPost, dropBoilerplate, distinctLines, unfoldEscapedLines, withoutGreeting } from './reading.ts';
import type { Lang, PreparedQuestion, Query, Topic } from '../types.ts';

/**
 * A pattern given as its Latin alternatives and its Korean and Chinese ones, tested one after the other (the same test
 * as one pattern of both): V8 matches a case-insensitive pattern with Hangul or Han in it several times slower on any
 * text with such a character (a two-byte string: a whole log pasted after a Korean or Chinese question).
 */
function eitherOf(latin: RegExp, cjk: RegExp): { test(text: string): boolean } {
  return { test: (text) => latin.test(text) || cjk.test(text) };
}

// Product context: which generation of the service, which kind of endpoint, or another product.
// LEGACY_MESSAGE (below) counts as well. Real posts name the v1 SDK by its classes and messages far more often than by "v1" or "ACI"; "v1" in a
// path, an image tag or a model name (/api/v1/endpoint, :20220616.v1, diffusion-v1-5) is not the SDK. AKS alone (aks, AKS에, 部署到AKS) is the v1 web
// service's compute (an AKS node's or pool's name, aks-nodepool1-…, in any kubectl output is not); v2 reaches AKS as Kubernetes compute through the AzureML extension or Arc, which CURRENT names (a post naming both is not v1).
const LEGACY = eitherOf(
  /\b(?:aci|sdk\s*v1|v1\s*sdk|webservice|localwebservice|aciwebservice|akswebservice|aci_?config|azureml-core|azure-cli-ml|azureml-sdk|deploy_configuration|inference_?config|model\.deploy|az ml model (?:deploy|profile|package)|az ml service|az ml image|az ml computetarget|az ml folder attach|image_build_log_uri|get_model_path|service\.get_logs|get_logs\(\)|wait_for_deployment|containerimage|image\.create|deploy_from_model|deploy_from_image|service\.run|service\.reload|aks_target|model management service|web service|(?:azure )?container instances?|\baks\b(?!-)|azureml[./](?:_\w+|core)|azureml\.(?:train|pipeline|exceptions|contrib|data|monitoring|widgets|interpret)|register_model|best_run|run\.get_context|serviceprincipalauthentication|interactiveloginauthentication|workspace\.get|deployment_config|model\.register|workspace\.from_config|condadependencies|from_conda_specification|computetarget|akscompute|scriptrunconfig|runconfiguration|az ml run|az ml model register|deploymenttimedout|image creation failed|entry_script|aks_service|aci_service|service\.state|model\.package|how-to-use-azureml|machinelearningnotebooks|dotnetcore2|azureml-contrib|azureml-pipeline|azureml-widgets|azureml-train-core|pythonscriptstep|azureml(?:-sdk|-core)?(?: version)? ?(?:==|:|v)? ?1\.\d+)\b|\(v1\)|machine-learning\/service\/|view=azureml-api-1|(?<![./:-])\bv1\b(?![/-]|\.\d)|deploy\w* (?:\S+ ){0,3}(?:to|on|in|into) (?:an? |the )?(?:azure )?kubernetes service\b/i,
  /웹 ?서비스|컨테이너 인스턴스|web ?服务|容器实例/i,
);
/** Messages only the v1 SDK and its web services print: pasted, they settle the generation as a v1 topic's own message does. */
const LEGACY_MESSAGE =
  /webserviceexception|acideploymentfailed|kubernetesdeploymentfailed|polling reached non-successful terminal state|received bad response from (?:model management )?service|image creation (?:operation|polling)/i;
const BATCH = eitherOf(
  /batch[-_ ]?(?:endpoints?|deployments?|scor\w*|inferenc\w*|jobs?|predict\w*|invoke)|parallel_?run|parallelrunstep|mini_batch|70_driver_log|job_progress_overview/i,
  /일괄|배치|批处理|批量|批次/i,
);
const CURRENT = eitherOf(
  /online[- ]?(?:endpoint|deployment)|managed endpoint|(?:managed|kubernetes)online(?:endpoint|deployment)|az ml online|ml_client|k8s-extension|azureml extension|kubernetes compute|azure arc|arc-enabled|instance_?types?\b|azure-ai-ml|sdk\s*v2|v2\s*sdk|cli\s*v2|view=azureml-api-2/i,
  /온라인 ?(?:엔드포인트|배포)|관리형 ?(?:온라인 ?)?엔드포인트|联机(?:终结点|部署)|托管终结点/i,
);
const OFF_DOMAIN = eitherOf(
  /openai|chatcompletion|\bgpt-?[345o]|tokens? per minute|\btpm\b|token rate limit|sagemaker|\baws\b|amazon|vertex ai|google cloud|\bgcp\b|modelarts|pai-eas|app service|azure functions?|function app|mlflow models (?:build-docker|serve)\b|kubeflow|seldon|kserve|bentoml|ray serve|bedrock|google cloud run|aws lambda|heroku|(?:ml|machine learning) workbench|desktop-workbench|services\.azureml\.net|studio \(classic\)|machine-learning\/studio\/|predictive (?:web service|experiment)|ai builder|power apps|(?:vm|azure) image builder|microsoft\.virtualmachineimages|\baz vm (?:create|image)\b|(?:studio|web services?) classic|classic (?:studio|web services?)|az ml service create realtime|az ml env setup|az ml account modelmanagement/i,
  /华为云|阿里云|腾讯云|화웨이|알리바바/i,
);
/** An error named by its class or status: `TypeError`, `WebserviceException`, `ServiceModelConflict`, 403 (408 and 504 are time-outs, told by what they say). */
const NAMED_ERROR = /\b[A-Z][A-Za-z]*(?:Error|Exception|Conflict|Failed|Failure)\b|\b(?:40[0-79]|50[0-3])\b/;
/**
 * Other parts of Azure ML than deploying and scoring models (training jobs, compute instances, data assets, creating
 * an AKS cluster) and of the Kubernetes cluster a model runs on (upgrading it or its node pools).
 */
const OTHER_FEATURE = eitherOf(
  /training (?:job|run|script)|(?:command|sweep|automl|pipeline) job|compute instance|compute cluster|train(?:ing)? (?:a |the )?model|gpu oom|create (?:an? |the )?(?:aks|kubernetes) (?:compute|cluster)|akscompute\.provisioning_configuration|data assets?|(?:cluster|node ?pool) (?:version )?upgrade|upgrad\w* (?:the |my )?(?:aks |kubernetes )?(?:cluster|node ?pool)/i,
  /학습 ?(?:작업|job)|훈련 ?(?:작업|job)|컴퓨팅 인스턴스|컴퓨팅 클러스터|训练作业|训练任务|训练 ?job|计算实例|计算群集|计算集群|데이터 ?자산|数据资产|(?:클러스터|노드 ?풀) (?:버전 )?업그레이드|(?:集群|节点池) ?升级/i,
);
/** Deploying or calling a model: the product's own ground, whatever else the question mentions. */
const DEPLOYING = eitherOf(
  /deploy|endpoint|scor(?:e|ing)|inferenc|webservice|web service|instance_type|azureml-fe|batch (?:job|inference|prediction)/i,
  /배포|엔드포인트|스코어링|채점|추론|웹 ?서비스|배치|部署|终结点|评分|推理|web ?服务|批处理/i,
);
/** Building an image or an environment (in a post's title or first lines). */
const BUILDING = eitherOf(
  /\b(?:image|environment|env|docker)\b[^\n]{0,40}\bbuild|\bbuild\w*\b[^\n]{0,40}\b(?:image|environment|env)\b|env\.build|image_build/i,
  /이미지 ?(?:빌드|생성)|환경 ?빌드|映像(?:生成|构建)|镜像(?:生成|构建)|环境构建|构建镜像/,
);
/** A question about logs or what a script prints, in any language: what the "read the logs" topics answer. */
const LOG_WORDS = eitherOf(/\blogs?\b|logging|\bprint|stdout|stderr/i, /로그|출력|日志|输出|打印/);
/** Words that place a question in this product at all (a plain Flask app's register() error does not). */
const IN_DOMAIN = eitherOf(
  /azure ?ml|azure machine learning|\baml\b|endpoint|deploy|workspace|score\.py|scoring|entry script|inferenc|webservice|image build|\baci\b|\baks\b/i,
  /엔드포인트|배포|작업 ?영역|머신 ?러닝|이미지 ?빌드|(?:항목|엔트리|스코어링|채점) ?스크립트|入口脚本|评分脚本|终结点|部署|工作区|推理|机器学习|映像生成|生成映像|镜像生成|构建镜像/i,
);
/**
 * Names Azure Machine Learning, or something only it has: its SDKs' and CLI's names, the v1 web service classes,
 * score.py, ParallelRunStep, the paths and names its containers print (azureml-app, azmlinfsrv), its docs, Azure AI
 * projects, and ACI (where the v1 SDK deploys models). IN_DOMAIN's endpoint, deploy and workspace are every
 * platform's words; this is the product itself (CURRENT and LEGACY_MESSAGE count too).
 */
const PRODUCT_NAMED = eitherOf(
  /azure ?ml|azureml|azure machine learning|machine learning (?:workspace|studio|service)\b|\baml\b|azmlinfsrv|\baz ml\b|mlclient|azure[./]ai[./]ml|score\.py|(?:aci|aks|local)webservice|webservice\.|model\.(?:deploy|register|get_model_path|package)|inferenceconfig|inference_config|deploy_configuration|\bcontainerimage\b|parallelrunstep|akscompute|automated machine learning|\bautoml\b|real-?time endpoint|batch[-_ ](?:endpoint|deployment)|aka\.ms\/(?:oe-tsg|amlarc)|ml\.azure\.com|\/azure\/machine-learning\/|machinelearningservices|machinelearningnotebooks|azure ai (?:studio|foundry|projects?|templates?|hub)|ai foundry|azure container instances?|\baci\b/i,
  /(?:azure|애저) ?머신 ?러닝|azure ?机器学习|배치 ?엔드포인트|批处理终结点|쿠버네티스 ?컴퓨트|kubernetes ?计算|(?:스코어링|채점|항목|엔트리) ?스크립트|评分脚本|入口脚本/i,
);
/** Serving a model (where the inference server's Flask and Jinja2 errors mean our topics, not any Flask app's). */
const SERVING = eitherOf(
  /score\.py|scoring|azureml|inference|deploy|endpoint|container|docker|image|webservice|web service|\baci\b|\baks\b|kubernetes/i,
  /이미지|镜像|映像|배포|엔드포인트|컨테이너|추론|스코어링|部署|终结点|容器|推理|评分/i,
);
/** The user's own Flask app ("deploying my flask application in a Docker container"): SERVING's deploy, container and image are then its. */
const OWN_FLASK_APP = eitherOf(
  /\bflask (?:app|application|api|project)\b|\bapp\.py\b|from flask import|\bflask\(__name__\)|\bapp\.(?:run|register_blueprint)\(/i,
  /flask ?(?:앱|애플리케이션|应用|程序)/i,
);
/** What only a model served by Azure ML says, whoever wrote the app around it. */
const MODEL_SERVING = eitherOf(
  /score\.py|scoring|azureml|\baml\b|inference|endpoint|webservice|web service|\baci\b|\baks\b|kubernetes/i,
  /엔드포인트|추론|스코어링|终结点|推理|评分/i,
);
const CODE_IN_JSON = /"code"\s*:\s*"([A-Za-z0-9_.-]{2,80})"/g;
const MAX_WINDOW = 4;

/** Finds catalog codes and signatures in questions; built once from the catalog. */
export interface Understander {
  /** `prepared` is `prepareQuestion(raw)` when the caller has it. */
  understand(raw: string, lang?: Lang, prepared?: PreparedQuestion): Query;
}

function codeKey(code: string): string {
  return code.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Brace depth of every `"code": "X"` value in JSON-ish text, deepest first (most specific). */
function jsonCodeDepths(text: string): Map<string, number> {
  const depths = new Map<string, number>();
  if (!text.includes('"code"')) return depths;
  let depth = 0;
  let pos = 0;
  for (const m of text.matchAll(CODE_IN_JSON)) {
    for (; pos < m.index; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) depth--;
    }
    const key = codeKey(m[1]);
    depths.set(key, Math.max(depths.get(key) ?? -Infinity, depth));
  }
  return depths;
}

/** A source line's number before it: `line 502`, `link.py:502`, conda's `conda.core.link:_execute(502)`. */
const LINE_NUMBER_BEFORE = /(?:\bline |\.py:|:[A-Za-z_][\w.]*\()$/i;

/** Whether a three-digit number occurs, as a whole number, at least once other than as a source line's number. */
function printedAsStatus(text: string, status: string): boolean {
  const alphanumeric = (i: number) => i >= 0 && i < text.length && /[0-9A-Za-z]/.test(text[i]);
  for (let at = text.indexOf(status); at >= 0; at = text.indexOf(status, at + 3)) {
    if (alphanumeric(at - 1) || alphanumeric(at + 3)) continue;
    if (LINE_NUMBER_BEFORE.test(text.slice(Math.max(0, at - 40), at))) continue;
    return true;
  }
  return false;
}

/** Builds the understand stage over the catalog's codes and signatures. */
export function createUnderstander(topics: Topic[]): Understander {
  const codes = new Map<string, string>(); // key → canonical code
  for (const t of topics) for (const c of t.codes) codes.set(codeKey(c), c);
  // Every beginning of a code's key: a window of words that is none stops growing at once.
  const prefixes = new Set([...codes.keys()].flatMap((k) => Array.from({ length: k.length }, (_, i) => k.slice(0, i + 1))));
  // Most words of a paste start no code: two characters tell, before the Set hashes the word.
  const mayBePrefix = createStartFilter(prefixes);
  const legacyTopics = new Set(topics.filter((t) => t.legacy).map((t) => t.id));
  // A message that a v1 topic and a current one both own (the model missing from its folder in the container) says nothing of the generation.
  const ownedBy = (legacy: boolean) => new Set(topics.filter((t) => t.legacy === legacy).flatMap((t) => t.signatures));
  const [legacySignatures, currentSignatures] = [ownedBy(true), ownedBy(false)];
  const signatures = topics.flatMap((t) =>
    t.signatures.map((s) => ({
      topic: t.id,
      text: s,
      shared: legacySignatures.has(s) && currentSignatures.has(s),
      outcome: t.outcomes.includes(s),
      needle: fold(s),
    })),
  );
  const findSignatures = createFoldedNeedleFinder(signatures.map((s) => s.needle));

  return {
    understand(raw, lang, prepared) {
      const given = prepared ?? prepareQuestion(raw);
      // A log's repeated lines go first: boilerplate is then looked for in its distinct lines only.
      const text = dropBoilerplate(distinctLines(unfoldEscapedLines(withoutGreeting(given.text))));
      const truncated = given.truncated;
      const reading = readPost(text);
      // Past its beginning, a long paste contributes its error statements, not every word of it:
      // codes, messages and product words are looked for in what is searched, once.
      const searchText = text.length > FULL_TEXT_CHARS ? `${text.slice(0, FULL_TEXT_CHARS)}\n${reading.statements.join('\n')}` : text;
      const { words: ws, tokens } = scan(searchText);
      const found = new Map<string, number>(); // code → first position
      const asToken = new Set<string>(); // codes seen as one word, not only spelled out
      const isStatus = (w: string | undefined) => w !== undefined && /^\d{3}$/.test(w) && codes.has(w);
      for (let i = 0; i < ws.length; i++) {
        if (!mayBePrefix(ws[i])) continue;
        let key = '';
        for (let n = 0; n < MAX_WINDOW && i + n < ws.length; n++) {
          key += ws[i + n];
          if (!prefixes.has(key)) break;
          const code = codes.get(key);
          // "500 Internal Server Error" is an HTTP status with its reason phrase, not the InternalServerError code.
          if (code && n > 0 && (isStatus(ws[i - 1]) || isStatus(ws[i + n + 1]))) continue;
          if (!code) continue;
          if (!found.has(code)) found.set(code, i);
          if (n === 0) asToken.add(code);
        }
      }
      // conda.core.link:_execute(502), "line 502": a source line's number, not an HTTP status.
      for (const code of found.keys()) if (/^\d{3}$/.test(code) && !printedAsStatus(searchText, code)) found.delete(code);
      const depths = jsonCodeDepths(searchText);
      const ordered = [...found.keys()].sort((a, b) => {
        const da = depths.get(codeKey(a)) ?? -1;
        const db = depths.get(codeKey(b)) ?? -1;
        if (da !== db) return db - da;
        const sa = /^\d+$/.test(a) ? 1 : 0;
        const sb = /^\d+$/.test(b) ? 1 : 0;
        if (sa !== sb) return sa - sb; // a named code says more than an HTTP status
        return found.get(a)! - found.get(b)!;
      });
      const inText = findSignatures(searchText);
      const printed = signatures.filter((_, i) => inText[i]);
      const legacyMessage = printed.some((h) => legacyTopics.has(h.topic) && !h.shared) || LEGACY_MESSAGE.test(searchText);
      const currentHint = CURRENT.test(searchText);
      // A failed stage's outcome ("polling reached non-successful terminal state") beside its cause's message is no
      // evidence of its own: the cause is the answer. The cause must be stated (in the title or an error statement):
      // a name that any working file or log carries (azureml-inference-server-http in a conda file) is no cause.
      const stated = printed.length ? fold([reading.title, ...reading.statements].join('\n')) : '';
      const causes = new Set(printed.filter((s) => !s.outcome && stated.includes(s.needle)).map((s) => s.topic));
      const signatureHits = printed
        .filter((s) => !s.outcome || !causes.size || causes.has(s.topic))
        .map((s) => ({ topic: s.topic, text: s.text, shared: s.shared }));
      const signatureTopics = [...new Set(signatureHits.map((s) => s.topic))];
      // A one-line question is all focus.
      const focus = [reading.title, ...reading.statements].join('\n') || text.slice(0, FULL_TEXT_CHARS);
      return {
        text: searchText,
        title: reading.title,
        statements: reading.statements,
        reportsFailure: reading.reportsFailure,
        namesError: NAMED_ERROR.test(focus),
        focus,
        lang: lang ?? detectLang(given.text),
        langDetected: !lang,
        codes: ordered,
        signatureTopics,
        signatureHits,
        truncated,
        spelledCodes: ordered.filter((c) => !asToken.has(c)),
        legacyHint: legacyMessage || LEGACY.test(searchText),
        legacyMessage,
        currentHint,
        batchHint: BATCH.test(searchText),
        offDomainHint: OFF_DOMAIN.test(searchText),
        inDomainHint: IN_DOMAIN.test(searchText),
        // The whole text: the product may be named only past what is searched of a long paste (a log's last lines).
        productNamed: legacyMessage || currentHint || PRODUCT_NAMED.test(text) || (text !== searchText && CURRENT.test(text)),
        servingHint: SERVING.test(searchText) && (!OWN_FLASK_APP.test(searchText) || MODEL_SERVING.test(searchText)),
        ownAppHint: OWN_FLASK_APP.test(searchText) && !MODEL_SERVING.test(searchText),
        logsHint: LOG_WORDS.test(searchText),
        buildHint: BUILDING.test(reading.title || text.slice(0, 300)),
        otherFeatureHint: OTHER_FEATURE.test(searchText) && !DEPLOYING.test(searchText),
        words: ws,
        tokens,
      };
    },
  };
}
