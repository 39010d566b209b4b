/**
 * Reads a post the way a support engineer does: the title, the error statements in the pasted
 * output (wherever they are in it), and the rest as narrative. Real posts are a title, a story and
 * a paste (code fences, JSON, tracebacks, CLI output, kubectl events, log lines); the line that
 * matters is often the last one of a long log.
 *
 * Every pattern here is a plain alternation or a bounded class run over one line (at most
 * MAX_LINE characters), so the whole reading is linear in the input.
 */

/** What a post says, split by where it says it. */
export interface Reading {
  /** The first line when the post has more than one (an issue title, a chat message's first line). */
  title: string;
  /** Error statements found anywhere in the text, in order, de-duplicated, at most MAX_STATEMENTS. */
  statements: string[];
  /** True when the post has pasted output (code fence, JSON, traceback, log lines) besides prose. */
  hasOutput: boolean;
  /** True when the post reports a failure: an error statement, or a title / one-line question that states one. */
  reportsFailure: boolean;
}

const MAX_LINE = 400;
const MAX_STATEMENTS = 24;

/** An exception or error name followed by its message; NAMED_FAILURE first, since most log lines hold no such name. */
const EXCEPTION_WITH_MESSAGE = /\b[A-Za-z_.]*(?:Error|Exception|Failure|Failed|BackOff)\b\s*[:(]/;
/** What every EXCEPTION_WITH_MESSAGE match contains: a line without it is answered without that regex's backtracking (~1 µs a log line). */
const NAMED_FAILURE = /Error|Exception|Failure|Failed|BackOff/;

/** A line that states an error: an exception, an error/message/reason field, a failure, a status. */
const STATEMENT: Array<{ test(line: string): boolean }> = [
  // Python/.NET/Java exceptions and error names followed by their message: "ModuleNotFoundError: No module…"
  { test: (line) => NAMED_FAILURE.test(line) && EXCEPTION_WITH_MESSAGE.test(line) },
  // Field-style lines of CLI/SDK output and JSON bodies.
  /^\s*(?:[>*#-]\s*)*"?(?:error|message|reason|code|details?|exception details|status|state|warning)"?\s*[:=]/i,
  // Log levels.
  /(?:^|[\s|\]])(?:ERROR|FATAL|CRITICAL|Error|Warning|WARN)\b\s*[:|\]-]/,
  // Kubernetes events and states.
  /\b(?:CrashLoopBackOff|ImagePullBackOff|ErrImagePull|OOMKilled|FailedScheduling|Unhealthy|BackOff|Evicted)\b/,
  // Failure words of CLI and service messages.
  /\b(?:failed|failure|denied|refused|forbidden|unauthorized|not found|not exist|cannot|can ?not|could not|unable to|timed? ?out|exceed(?:s|ed|ing)?|quota|crash(?:ed|es|ing)?|terminated|invalid|not enough|insufficient|already exists|unhealthy|not ready|no module named|not permitted|no such file)\b|\[errno \d+\]/i,
  // HTTP status lines.
  /\b(?:status(?: ?code)?|http\/\d(?:\.\d)?|response code)\s*[:=]?\s*[1-5]\d\d\b/i,
];

/** A title or one-line question that reports a failure in the user's own words (any language). */
const FAILURE_WORDS =
  /\b(?:errors?|fail(?:s|ed|ing|ure)?|exceptions?|crash\w*|unhealthy|time ?outs?|timed out|not working|doesn't work|does not work|can'?t|cannot|can not|unable to|not found|stuck|hangs?|hanging|no ready|cancell?ed|never (?:finish(?:es)?|completes?|ends?|starts?)|(?:doesn't|does not|didn't|did not|won't|will not) (?:finish|complete|start))\b|[a-z](?:Failed|Failure|Error|Exception)\b|실패|오류|에러|안 ?돼|안 ?됨|못 |멈춰|멈춤|끝나(?:지|질) ?않|취소(?:됐|되었|됨)|안 ?떠|안 ?끝나|끝이 안|失败|错误|报错|异常|超时|无法|不能|找不到|卡住|一直在运行|已取消|被取消|取消了|起不来|不下来|没有结束|不结束|跑不完/i;

/** Lines that are output rather than prose (CLI, logs, JSON, tracebacks, stack frames). */
const OUTPUT_LINE = /^\s{4,}\S|^\s*[{}[\]"]|^\s*(?:at |File "|Traceback|\$ |> |#\d+ |\d{4}-\d\d-\d\d[T ])|^\s*[A-Za-z_.]+(?:Error|Exception)\b/;

/**
 * An issue title that starts like output: a quoted message that is no JSON key (`"List index out of range" from
 * input_schema`), a tag (`[AML] Prompt flow …`, `[BUG] …`), an exception's name in a sentence (`HttpResponseError
 * when deploying …`). It is the title when a blank line follows it, as an issue's title is followed by its body.
 */
const TITLE_DESPITE_OUTPUT =
  /^\s*(?:"[^"\n]+"(?!\s*:)\s*\S|\[(?!(?:error|warn\w*|info|debug|trace|fatal|critical|stderr|stdout)\])[A-Za-z][^\]\n]{0,40}\]\s*\S|[A-Za-z_.]+(?:Error|Exception)\s+[A-Za-z])/i;

/** A whole fenced block on one line: ```output``` (not the opening ```lang of a block). */
const ONE_LINE_FENCE = /^`{3,}\s*(\S.*?)\s*`{3,}$/;

/** Questions in prose: a line that is mostly asking, not quoting the output. */
const PROSE_QUESTION = /\?\s*$|[？까요죠]\s*$/;

function clip(line: string): string {
  return line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
}

/** True when a line states an error (see STATEMENT); a log's lines mostly state none, so that is asked first. */
function isStatement(line: string): boolean {
  const l = clip(line);
  return STATEMENT.some((re) => re.test(l)) && !PROSE_QUESTION.test(l);
}

/** Per ASCII code unit: 2 a digit, 1 a letter, 0 neither (a code unit past ASCII is neither). */
const ASCII_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_KIND[c] = 2;
for (let c = 65; c <= 90; c++) ASCII_KIND[c] = ASCII_KIND[c + 32] = 1;

/**
 * A hash of the template of the line `text.slice(start, end)`: each run of ASCII letters and digits with a digit in it
 * (a timestamp's parts, a duration, a request id, a hex hash or GUID piece) counts as one "0", except a three-digit
 * number from 100 to 599, which may be the HTTP status that tells one request's line from another's. Hashed as it is
 * read, not built as a string: a log's every line is read. 32 bits of FNV-1a and 21 of the template's length: two
 * templates of one length share a hash about once in 4·10^9 pairs (then a line that repeats neither could be dropped).
 */
function templateHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  let length = 0;
  for (let i = start; i < end;) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ASCII_KIND[c] === 0) {
      h = Math.imul(h ^ c, 0x01000193);
      length++;
      i++;
      continue;
    }
    // A run of letters and digits: hashed as written while it is read to its end (one pass), then as "0" instead when
    // it is one to mask.
    const run = i;
    let digits = 0;
    let written = h;
    for (; i < end; i++) {
      const d = text.charCodeAt(i);
      const kind = d < 128 ? ASCII_KIND[d] : 0;
      if (kind === 0) break;
      if (kind === 2) digits++;
      written = Math.imul(written ^ d, 0x01000193);
    }
    if (digits !== 0 && !(i - run === 3 && digits === 3 && c >= 49 && c <= 53)) {
      h = Math.imul(h ^ 48, 0x01000193);
      length++;
    } else {
      h = written;
      length += i - run;
    }
  }
  // The line's end counts as a character (0), as a line break would.
  h = Math.imul(h, 0x01000193);
  length++;
  return (h >>> 0) * 0x200000 + (length & 0x1fffff);
}

/** True when the line `text.slice(start, end)` is one the reading follows whatever it repeats: blank, a code fence or a traceback header. */
function isStructure(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
  return i === end || text.startsWith('```', i) || text.startsWith('Traceback', i);
}

/** The first line of a template, how many of its lines were read, and whether it states an error (asked once it repeats past KEPT_REPEATS). */
interface Template {
  line: string;
  count: number;
  statement?: boolean;
}

/**
 * Lines of one template kept before the rest are dropped: a post's own few look-alike lines (two screenshots, a
 * command run twice) each count, as they did before; a template printed over and over is a log.
 */
const KEPT_REPEATS = 3;

/**
 * The post without the lines that repeat an earlier line's template (see templateHash): a pasted log is mostly one
 * line printed over and over with other timestamps, ids and durations, and its words say nothing more the second
 * time; reading, matching and searching it once per line was most of the cost of a long paste. The first
 * KEPT_REPEATS lines of each template are kept as written. Kept whatever they repeat: blank lines, code fences and
 * traceback headers (the structure readPost follows), and the lines of a template whose first line states an error
 * (isStatement's tests read words, not the digit-bearing runs a template leaves out: an error repeated with another
 * id is still an error statement).
 */
export function distinctLines(text: string): string {
  const templates = new Map<number, Template>();
  const kept: string[] = [];
  let dropped = false;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const key = templateHash(text, start, end);
    const template = templates.get(key);
    if (!template || ++template.count <= KEPT_REPEATS || isStructure(text, start, end) || (template.statement ??= isStatement(template.line.trim()))) {
      const line = text.slice(start, end);
      if (!template) templates.set(key, { line, count: 1 });
      kept.push(line);
    } else dropped = true;
    start = end + 1;
  }
  return dropped ? kept.join('\n') : text;
}

/** A line that holds a log as one escaped string: two or more written-out line breaks (`\n`, `\\n`, `\r\n`). */
const ESCAPED_BREAKS = /(?:\\{1,3}r)?\\{1,3}n/g;
const TWO_ESCAPED_BREAKS = /\\n.*\\n/;
/** A JSON field written inside a JSON string (`\"code\":\"OutOfQuota\"`): an error body nested in another's message. */
const ESCAPED_FIELD = /\\+"(?:code|message|error|details)\\+"\s*:/;

/**
 * The text with each line that holds an escaped log broken into the lines it holds: a log printed as a string
 * (`service.get_logs()` shown by a notebook, R's print of `get_webservice_logs()`, a JSON "message" with a whole log
 * in it) is one line with `\n` between its lines, so its last line (the failure) would be read as part of the first.
 * Escaped quotes in such a line become quotes (`\"message\": \"…\"` is a message field), and so do those of a line
 * with an error body nested as a string in another's message: its fields are then read as nested (the deeper code is
 * the more specific one).
 */
export function unfoldEscapedLines(text: string): string {
  if (!text.includes('\\n') && !text.includes('\\"')) return text;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (!TWO_ESCAPED_BREAKS.test(lines[i]) && !ESCAPED_FIELD.test(lines[i])) continue;
    lines[i] = lines[i].replace(ESCAPED_BREAKS, '\n').replace(/\\+"/g, '"');
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}

/**
 * A line that only greets or announces a question (`Hi team,`, `Hello all!`, `안녕하세요`, `질문 드립니다`, `你好`,
 * `请教一个问题`): a chat message's first line, often, and no title — the question is on the lines after it.
 */
const GREETING =
  /^\s*(?:(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day))(?: (?:team|all|everyone|guys|folks|there|experts?|support))?|안녕하세요|안녕하십니까|수고(?: 많으)?십니다|질문(?: ?있습니다| ?드립니다| ?드려요)|문의 ?드립니다|문의 ?드려요|你好|您好|大家好|各位好|请教(?:一下|一个问题)?|求助)\s*[,.!~:;，。！：、…]*\s*$/i;

/** The post without a first line that only greets (see GREETING). */
export function withoutGreeting(text: string): string {
  const start = text.search(/\S/);
  const end = start < 0 ? -1 : text.indexOf('\n', start);
  return end > 0 && GREETING.test(text.slice(start, end)) ? text.slice(end + 1) : text;
}

/** Splits a post into its title, its error statements and whether it carries pasted output. */
export function readPost(text: string): Reading {
  const lines = text.split('\n');
  const nonEmpty = lines.findIndex((l) => l.trim());
  // A post whose first line is already output (a log line, JSON) has no title.
  const first = nonEmpty >= 0 ? lines[nonEmpty] : '';
  const multiline = nonEmpty >= 0 && lines.slice(nonEmpty + 1).some((l) => l.trim());
  const issueTitle = !lines[nonEmpty + 1]?.trim() && TITLE_DESPITE_OUTPUT.test(first);
  const titled = multiline && (issueTitle || (!OUTPUT_LINE.test(first) && !/^\s*\d{4}-\d\d-\d\d/.test(first) && !first.trimStart().startsWith('```')));
  const title = titled ? clip(first.trim()) : '';
  const statements: string[] = [];
  const seen = new Set<string>();
  let inFence = false;
  let hasOutput = false;
  let traceback = false;
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    let line = clip(raw.trim());
    if (line.startsWith('```')) {
      hasOutput = true;
      // A one-line fence (```Conflict of operation, …```) quotes one line of output: read it as such.
      const quoted = ONE_LINE_FENCE.exec(line);
      if (!quoted) {
        inFence = !inFence;
        continue;
      }
      raw = line = quoted[1];
    }
    if (!line) continue;
    // Each test is asked only while its answer can matter: output once found, frames inside a traceback.
    if (!hasOutput && (inFence || OUTPUT_LINE.test(raw))) hasOutput = true;
    // The last line of a traceback is its exception, whatever it says.
    if (line.startsWith('Traceback (most recent call last)')) {
      traceback = true;
      continue;
    }
    const frame = traceback && (/^(?:File "|at |\.\.\.|\^)/.test(line) || /^\s{2,}/.test(raw));
    // A one-line question is the user's own words; the first line of a paste is output.
    const take = (traceback && !frame) || ((i !== nonEmpty || (multiline && !titled)) && isStatement(line));
    if (traceback && !frame) traceback = false;
    if (!take) continue;
    const key = line.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    statements.push(line);
  }
  // Keep the first and the last statements of a long log: the first failure and the final verdict.
  const kept = statements.length > MAX_STATEMENTS ? [...statements.slice(0, MAX_STATEMENTS / 2), ...statements.slice(-MAX_STATEMENTS / 2)] : statements;
  const own = title || (multiline ? '' : first.trim());
  return { title, statements: kept, hasOutput, reportsFailure: kept.length > 0 || isStatement(own) || FAILURE_WORDS.test(own) };
}

/** A traceback frame in an installed library or the standard library (not the user's own code). */
const LIBRARY_FRAME = /(?:site-packages|dist-packages|[\\/]lib[\\/]python\d)/;
/** A one-line dump of HTTP response headers, as the v1 SDK and `requests` print them. */
const HEADER_DUMP = /^\s*(?:response )?headers\s*[:=]\s*\{\s*['"]/im;
/** IPython's frame header ("~/…/site-packages/azureml/core/webservice/aks.py in run(self, input_data)"). */
const IPYTHON_FRAME = /\.py in \S/;
/** A numbered source line IPython prints around a frame's current line ("    330  …", "--> 332  …"). */
const NUMBERED_SOURCE = /^\s*(?:-+>\s*)?\d+\s/;

/** A Python traceback's frame line: its file's path, then the function (`File "…/x.py", line 12, in init`). */
const FRAME_PATH = /^(\s*)File "[^"\n]*", line \d+/gm;

/**
 * The text with each traceback frame's file path taken out (its function kept), or undefined when it
 * has no frame. A frame's path names the packages the call went through
 * (`…/azureml_inference_server_http/server/user_script.py`), in every traceback from the container
 * whatever the error: a topic's phrase found only there is no evidence; the function it failed in is.
 */
export function withoutFramePaths(text: string): string | undefined {
  if (!text.includes('File "')) return undefined;
  const out = text.replace(FRAME_PATH, '$1File');
  return out === text ? undefined : out;
}

/**
 * Drops what a paste carries that is neither the user's words nor the error: the library source code a
 * traceback quotes under each frame of an installed package (the SDK's own `def update(self,
 * autoscale_min_replicas=None, …)`), and HTTP response header dumps (`Headers: {'Date': …,
 * 'Content-Type': …, 'Connection': 'keep-alive'}`), which share words with any section that quotes
 * such output. The frame headers (file, function) and the user's own frames stay.
 */
export function dropBoilerplate(text: string): string {
  if (!LIBRARY_FRAME.test(text) && !HEADER_DUMP.test(text)) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (HEADER_DUMP.test(line) && line.trimEnd().endsWith('}')) continue;
    out.push(line);
    if (line.length > MAX_LINE || !LIBRARY_FRAME.test(line)) continue;
    if (/^\s*File "/.test(line)) {
      // Standard traceback: one source line under the frame, then an optional ^^^^ marker line.
      if (i + 1 < lines.length && !/^\s*(?:File "|Traceback|\w+(?:Error|Exception)\b)/.test(lines[i + 1])) i++;
      if (i + 1 < lines.length && /^\s*[~^]+\s*$/.test(lines[i + 1])) i++;
    } else if (IPYTHON_FRAME.test(line)) {
      while (i + 1 < lines.length && NUMBERED_SOURCE.test(lines[i + 1])) i++;
    }
  }
  return out.join('\n');
}
