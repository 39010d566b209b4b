/** Plain data passed between the engine's stages: content → Section → index; question → Query → Hit → Answer. */

export const LANGS = ['en', 'ko', 'zh'] as const;
/** A language the knowledge base is written in. */
export type Lang = (typeof LANGS)[number];

/** True when `value` is one of the supported languages. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** A Markdown table kept as rows of plain-text cells. */
export interface Table {
  header: string[];
  rows: string[][];
}

/**
 * A fenced code block, by what a reader does with it: `command` (shell lines to run: ```bash,
 * ```azurecli), `code` (a snippet to put in a file or run in Python: ```python, ```yaml, ```json) or
 * `output` (example output, a traceback or log: ```text, or an untagged block that is not a command).
 */
export interface CodeBlock {
  kind: 'command' | 'code' | 'output';
  /** The fence's info string (`python`, `json` …), empty when the block had none. */
  lang: string;
  text: string;
}

/** One fix step: an action; `command` is the shell line(s) it runs, `code` the snippet it uses. */
export interface Step {
  text: string;
  command?: string;
  code?: CodeBlock;
}

export interface Link {
  text: string;
  href: string;
}

/** A link inside answer text: to a web page (`href`) or to another topic of the knowledge base (`topic`). */
export interface TextLink {
  text: string;
  href?: string;
  topic?: string;
}

/** Front matter of one content document (one page in one language). */
export interface DocMeta {
  doc: string;
  lang: Lang;
  title: string;
  source: string;
  license: string;
  attribution: string;
  area: string;
  /** Our anchor → the same section's anchor on the source page (`sourceAnchors` in front matter). */
  sourceAnchors: Record<string, string>;
  /** Anchor → area of the topics under it, where it differs from `area` (`areas` in front matter). */
  areas: Record<string, string>;
  file: string;
}

/** One heading of one document and everything up to the next heading. */
export interface Section {
  /** `${lang}:${anchor}` — unique across the knowledge base. */
  id: string;
  anchor: string;
  lang: Lang;
  doc: string;
  depth: number;
  title: string;
  /** Titles of the enclosing headings, outermost first, ending with this one. */
  path: string[];
  /** Anchor of the enclosing section, if any. */
  parentAnchor?: string;
  /** Paragraph text in order (Markdown inline syntax removed). */
  paragraphs: string[];
  /** Why the error happens: a bullet list marked `<!-- causes -->` in the content. */
  causes: string[];
  steps: Step[];
  /** Every code block's and inline command's text (what search reads). */
  commands: string[];
  /** Every fenced code block of the section (in steps or not), classified, in order. */
  blocks: CodeBlock[];
  tables: Table[];
  links: Link[];
  /** Callouts such as [!NOTE] blocks, as plain text. */
  notes: string[];
  /** The section's original Markdown (for article pages). */
  markdown: string;
  file: string;
  line: number;
}

/** One catalog entry: a topic of TOPICS.md and how people name it. */
export interface Topic {
  id: string;
  anchor: string;
  doc: string;
  parent?: string;
  children: string[];
  codes: string[];
  aliases: Record<Lang, string[]>;
  /** Messages printed when the topic's failure happens: the catalog's `signatures` and `outcomes` together. */
  signatures: string[];
  /**
   * Those signatures that name the failed stage, not its cause ("Service deployment polling reached
   * non-successful terminal state"): every failure of the stage prints them, beside its cause's message.
   */
  outcomes: string[];
  related: string[];
  /** The product family of the topic's document (catalog `families`): online endpoints, batch endpoints, legacy v1. */
  family: Family;
  /** family === 'v1': the legacy SDK/CLI v1 (answers carry a notice). */
  legacy: boolean;
  /** Offered when a question matches nothing. */
  popular: boolean;
  /** Where to look first when a deployment in this topic's area fails without a telling error (the area's logs). */
  diagnostic: boolean;
  /** Where to look first when an image build in this topic's family fails without a telling error (its build log). */
  buildLog: boolean;
  /**
   * The topic's evidence is a third-party library's message (Flask, Jinja2) that apps which never touch
   * Azure ML print too: a post has to place itself in serving a model for it to apply.
   */
  library: boolean;
}

/** Product families a topic belongs to (content/catalog.yaml `families`). */
export const FAMILIES = ['online', 'batch', 'v1'] as const;
export type Family = (typeof FAMILIES)[number];

/** The loaded, validated knowledge base. */
export interface KnowledgeBase {
  docs: DocMeta[];
  sections: Section[];
  topics: Topic[];
}

/** A problem found in content, named by file and line. */
export interface ContentError {
  file: string;
  line: number;
  message: string;
}

/** What the understand stage makes of a question. */
export interface Query {
  text: string;
  /** The post's first line when it has several (an issue title, a chat message's first line). */
  title: string;
  /** Error statements found anywhere in the text (exceptions, message/code/reason lines, failures, statuses). */
  statements: string[];
  /** The post reports a failure (an error statement, or a title / one-line question stating one). */
  reportsFailure: boolean;
  /** The title or an error statement names an error (an exception or error class, an HTTP error status other than a time-out). */
  namesError: boolean;
  /** Title and statements: what the ranking reads first. */
  focus: string;
  lang: Lang;
  /** True when the language was detected from the text rather than given. */
  langDetected: boolean;
  /** Error codes / statuses found, most specific first. */
  codes: string[];
  /** Topic ids whose message signatures occur in the text. */
  signatureTopics: string[];
  /**
   * Each signature found, with the catalog text that matched (shown as evidence); `shared` when topics
   * of both generations (v1 and current) own the message, so it says nothing of the generation.
   */
  signatureHits: Array<{ topic: string; text: string; shared: boolean }>;
  truncated: boolean;
  /** Codes found only spelled out in words ("internal server error"), which say less than a code token. */
  spelledCodes: string[];
  /** Mentions of legacy v1 (ACI, AKS web service, SDK v1), or a message only the v1 SDK prints. */
  legacyHint: boolean;
  /** A message only the v1 SDK prints (a v1 topic's signature) is in the question: certainly v1. */
  legacyMessage: boolean;
  /** Mentions of current (v2) online endpoints: online endpoint/deployment, az ml online-…, 联机终结点, 온라인 엔드포인트. */
  currentHint: boolean;
  batchHint: boolean;
  /** Names of other services (Azure OpenAI) whose errors share HTTP statuses with ours. */
  offDomainHint: boolean;
  /** The post is about building an image or environment (image build, env.build(), 이미지 빌드, 镜像构建 …). */
  buildHint: boolean;
  /** The question asks about logs or what a script prints (logs, logging, print, stdout, 로그, 日志 …). */
  logsHint: boolean;
  /** The question is about another part of Azure ML (training jobs, compute instances) and never about deploying or scoring. */
  otherFeatureHint: boolean;
  /** Mentions Azure ML at all (Azure, endpoint, deployment, workspace, score.py, 엔드포인트, 终结点 …). */
  inDomainHint: boolean;
  /** Names Azure ML itself or something only it has (azureml, az ml, ml_client, AciWebservice, ParallelRunStep, 머신 러닝 …), not only words every platform shares. */
  productNamed: boolean;
  /** Places itself in serving a model: score.py, the inference server, a deployment, endpoint, container or web service. */
  servingHint: boolean;
  /** The post is about the user's own Flask app (`from flask import`, `python app.py`) and says nothing of a model served by Azure ML. */
  ownAppHint: boolean;
  /** `words(text)`, read once by the understand stage so ranking need not split a long paste again. */
  words?: string[];
  /** `tokenize(normalizeText(text))` from the same pass, when normalizing leaves `text` as it is (see text/tokenize.ts `scan`). */
  tokens?: string[];
}

/** A ranked topic candidate. */
export interface Hit {
  topicId: string;
  score: number;
  /** Why it matched: 'code' | 'signature' | 'alias' | 'text'. */
  reasons: string[];
}

export interface TopicRef {
  id: string;
  title: string;
}

export type AnswerStatus = 'answered' | 'clarify' | 'not_found';

/** Notices the renderers turn into localized text. */
export type Notice = 'input_truncated' | 'language_fallback' | 'legacy_topic' | 'first_step' | 'not_placed';

/**
 * Why an answered topic was chosen, shown to the user in one short line ("matched: `QuotaExceeded`
 * in your output"). `kind`: an error code, a known error message (signature), a phrase the topic is
 * known by (alias), or words of the question (text). `text` is what matched, as the user wrote it
 * where possible; `inOutput` is true when it was found in pasted output (log, traceback, JSON)
 * rather than in the user's own words.
 */
export interface Evidence {
  kind: 'code' | 'signature' | 'alias' | 'text';
  text: string;
  inOutput: boolean;
}

/** The engine's reply to one question. Channels render it; they never search. */
export interface Answer {
  status: AnswerStatus;
  /** Language of the answer's text. */
  lang: Lang;
  /** Language that was asked for; differs from `lang` only when content fell back. */
  requestedLang: Lang;
  topic?: { id: string; title: string; codes: string[]; legacy: boolean };
  summary: string;
  /** Why it happens ("this happens when…"), one cause each. */
  causes: string[];
  /** What to do, in order: one action each, with the shell command or snippet it uses. */
  steps: Step[];
  /** Shell lines a user runs (those of the steps included); shown with a copy button. */
  commands: string[];
  /** Snippets and example output outside the steps; never presented as commands. */
  code: CodeBlock[];
  tables: Table[];
  notes: string[];
  /** Links inside the answer's text (summary, causes, steps, notes), by the text they cover. */
  links: TextLink[];
  source?: { title: string; url: string; section: string; anchor: string; license: string; attribution: string };
  related: TopicRef[];
  alternatives: TopicRef[];
  /** Topic suggestions for a `not_found` answer. */
  suggestions: TopicRef[];
  confidence: number;
  notices: Notice[];
  /** What in the question picked the topic, strongest first (at most 3); empty for not_found. */
  evidence: Evidence[];
}

/** Plain text around a search's matches and the [start, end) ranges of `text` that match. */
export interface Snippet {
  text: string;
  marks: Array<[number, number]>;
}

/** One ranked search result with the text around its matches. */
export interface SearchResult {
  topicId: string;
  title: string;
  lang: Lang;
  anchor: string;
  score: number;
  snippet: Snippet;
}

/** A topic's full article in one language. */
export interface Article {
  id: string;
  lang: Lang;
  requestedLang: Lang;
  title: string;
  codes: string[];
  /** The topic's section and its sub-sections, one heading each, without their `{#anchor}`s. */
  markdown: string;
  /** The anchors of those headings, in order (the first is the topic's own). */
  anchors: string[];
  source: NonNullable<Answer['source']>;
  related: TopicRef[];
  children: TopicRef[];
}

export interface AskOptions {
  lang?: Lang;
  /** Pick this topic directly (a choice from an earlier `clarify`). */
  topic?: string;
  /** `prepareQuestion(question)`, when the caller has it already (the HTTP answer cache keys by it): not worked out again. */
  prepared?: PreparedQuestion;
}

/** A question as the engine reads it: cut, NFKC, invisible characters out, trimmed; `truncated` when it was cut. */
export interface PreparedQuestion {
  text: string;
  truncated: boolean;
}

/** The engine every channel uses. */
export interface Engine {
  ask(question: string, options?: AskOptions): Answer;
  /** The answer of one topic, as if the asker had picked it (a clarify choice, a related link, a card button); undefined for an unknown id. */
  answerTopic(id: string, lang: Lang): Answer | undefined;
  search(q: string, options?: { lang?: Lang; limit?: number }): SearchResult[];
  /** The catalog in one language; `area` groups topics for a reader (online-endpoints, kubernetes, scoring, batch-endpoints, sdk-v1). */
  topics(lang: Lang): Array<TopicRef & { codes: string[]; parent?: string; legacy: boolean; area: string; doc: string; anchor: string }>;
  article(id: string, lang: Lang): Article | undefined;
  /** Detects the language of a text (Hangul → ko, Han → zh, else en). */
  detectLang(text: string): Lang;
}
