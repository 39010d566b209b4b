import { LANGS } from '../../engine/types.ts';
import { COMMENT_MAX, STEP_MAX } from './routes/feedback.ts';
import { QUESTION_READ_CHARS, TOPIC_MAX } from './routes/ask.ts';
import { BODY_LIMIT_BYTES } from './problem.ts';
import { CHANNEL_HEADER, HTTP_CHANNELS } from './channel.ts';
import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX, SEARCH_Q_MAX } from './routes/search.ts';
import { ticketPaths, ticketSchemas } from './openapi-tickets.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;
const topicRefs = { type: 'array', items: ref('TopicRef') } as const;

const langParam = {
  name: 'lang',
  in: 'query',
  required: false,
  description: 'Answer language; wins over Accept-Language.',
  schema: ref('Lang'),
};
const acceptLanguage = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  description: 'Used when `lang` is absent (ko-KR → ko, zh-TW → zh); unsupported languages are ignored.',
  schema: str,
};
const clientRequestId = {
  name: 'x-ms-client-request-id',
  in: 'header',
  required: false,
  description: 'Your own id for the call: reduced to letters, digits, - and _, cut to 40 characters, echoed and logged.',
  schema: str,
};
const channelHeader = {
  name: CHANNEL_HEADER,
  in: 'header',
  required: false,
  description: 'Which client is calling, recorded with the answer or feedback (the web widget sends `widget`). Other values are ignored (recorded as `http`).',
  schema: { type: 'string', enum: [...HTTP_CHANNELS] },
};
const common = {
  '400': problem('Malformed JSON, URL or query string (`badQuery`: each query parameter once, as name=value in percent-encoded UTF-8, no name[] arrays).'),
  '401': problem('API keys are configured and none (or a wrong one) was sent.'),
  '429': { ...problem('Rate limited; see Retry-After.'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  '500': problem('Server fault (never caused by input); quote requestId.'),
  '503': {
    ...problem('The knowledge base is still loading, or the store cannot take writes (nothing was stored); see Retry-After.'),
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
};
const adminDisabled = { '403': problem('`adminDisabled`: the server has no ADMIN_KEYS, so no key can open this admin route.') };
const withBody = {
  '413': problem('Body over 64 KB.'),
  '415': problem('Body is not application/json.'),
  '422': problem('A field is missing or invalid; `errors` says which and why.'),
};

const schemas = {
  Lang: { type: 'string', enum: [...LANGS] },
  TopicRef: { type: 'object', required: ['id', 'title'], additionalProperties: false, properties: { id: str, title: str } },
  CodeBlock: {
    type: 'object',
    required: ['kind', 'lang', 'text'],
    additionalProperties: false,
    properties: {
      kind: {
        type: 'string',
        enum: ['command', 'code', 'output'],
        description:
          '`command`: shell lines to run; `code`: a snippet to put in a file or a Python session; `output`: example output or a traceback (read, not run).',
      },
      lang: { ...str, description: "The code block's language as the content tags it (`python`, `json`, `text` …); empty when untagged." },
      text: str,
    },
  },
  Step: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    description: 'One action, in order.',
    properties: {
      text: str,
      command: { ...str, description: 'Shell command(s) this step runs.' },
      code: { ...ref('CodeBlock'), description: 'Snippet (or example output) this step uses; not a shell command.' },
    },
  },
  TextLink: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    description: 'A link inside the answer text: to a web page (`href`) or to another topic (`topic`, an id for `topic` in POST /ask or GET /topics/{id}).',
    properties: { text: { ...str, description: 'The words of the answer text the link covers.' }, href: { type: 'string', format: 'uri' }, topic: str },
  },
  Table: {
    type: 'object',
    required: ['header', 'rows'],
    additionalProperties: false,
    properties: { header: strings, rows: { type: 'array', items: strings } },
  },
  Source: {
    type: 'object',
    required: ['title', 'url', 'section', 'anchor', 'license', 'attribution'],
    additionalProperties: false,
    properties: { title: str, url: { type: 'string', format: 'uri' }, section: str, anchor: str, license: str, attribution: str },
  },
  Evidence: {
    type: 'object',
    required: ['kind', 'text', 'inOutput'],
    additionalProperties: false,
    properties: {
      kind: {
        type: 'string',
        enum: ['code', 'signature', 'alias', 'text'],
        description: '`code`: an error code; `signature`: a known error message; `alias`: a catalog phrase; `text`: words of the topic.',
      },
      text: { ...str, description: 'What matched, as the catalog or the question has it (not cut; renderings cut it).' },
      inOutput: { type: 'boolean', description: "Found in pasted output (an error statement) rather than in the user's own words." },
    },
  },
  Answer: {
    type: 'object',
    required: [
      'id',
      'status',
      'lang',
      'requestedLang',
      'summary',
      'causes',
      'steps',
      'commands',
      'code',
      'tables',
      'notes',
      'links',
      'related',
      'alternatives',
      'suggestions',
      'confidence',
      'notices',
      'evidence',
      'markdown',
      'html',
    ],
    additionalProperties: false,
    properties: {
      id: { type: 'string', format: 'uuid', description: 'Refer to this answer in POST /feedback.' },
      status: { type: 'string', enum: ['answered', 'clarify', 'not_found'] },
      lang: { ...ref('Lang'), description: 'Language of the text (differs from requestedLang only on fallback).' },
      requestedLang: ref('Lang'),
      topic: {
        type: 'object',
        required: ['id', 'title', 'codes', 'legacy'],
        additionalProperties: false,
        properties: { id: str, title: str, codes: strings, legacy: { type: 'boolean' } },
      },
      summary: str,
      causes: { ...strings, description: 'Why the error happens, one cause each (not actions).' },
      steps: { type: 'array', items: ref('Step'), description: 'What to do, one action each, with the command or snippet it uses.' },
      commands: { ...strings, description: "Every shell command of the answer (the steps' included): lines a user runs." },
      code: { type: 'array', items: ref('CodeBlock'), description: 'Snippets and example output no step carries: never shell commands.' },
      tables: { type: 'array', items: ref('Table') },
      notes: strings,
      links: { type: 'array', items: ref('TextLink'), description: 'Links inside summary, causes, steps and notes, by the text they cover.' },
      source: ref('Source'),
      related: topicRefs,
      alternatives: { ...topicRefs, description: 'For `clarify`: ask again with `topic` set to one of these ids.' },
      suggestions: { ...topicRefs, description: 'For `not_found`: topics worth trying.' },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      notices: {
        type: 'array',
        items: { type: 'string', enum: ['input_truncated', 'language_fallback', 'legacy_topic', 'first_step', 'not_placed'] },
        description:
          "`input_truncated`: only the first part of a long question was read; `language_fallback`: no content in requestedLang; `legacy_topic`: a v1 (SDK v1, ACI, AKS web service) topic; `first_step`: no topic matched the failure exactly and the answer is the v1 first step (read the service's logs, or an image's build log when the image does not build); `not_placed`: not found, and the question, a long post with a title, never names Azure Machine Learning (its name, SDK, CLI, score.py, online or batch endpoints, or what its containers print) nor an error code or message of its own: it may be about another product.",
      },
      evidence: {
        type: 'array',
        maxItems: 3,
        items: ref('Evidence'),
        description: 'Why this topic was picked, strongest first; empty for `not_found`. Shown in `markdown` and `html` as one line.',
      },
      markdown: { ...str, description: 'The whole answer as Markdown, labels in requestedLang.' },
      html: { ...str, description: 'The whole answer as HTML (an <article>) built from escaped text: safe to insert.' },
      content: { ...ref('ContentVersion'), description: 'The knowledge base this answer came from (changes when content is reloaded).' },
    },
  },
  ContentVersion: {
    type: 'object',
    required: ['hash', 'loadedAt'],
    additionalProperties: false,
    properties: {
      hash: { type: 'string', pattern: '^[0-9a-f]{16}$', description: 'Digest of the content files (catalog.yaml and every <lang>/*.md).' },
      loadedAt: { type: 'string', format: 'date-time', description: 'When this process loaded it.' },
    },
  },
  ReloadResult: {
    type: 'object',
    required: ['status', 'content', 'ms'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['reloaded', 'unchanged', 'refused'] },
      content: { ...ref('ContentVersion'), description: 'What serves after the reload (the previous content when refused).' },
      errors: {
        type: 'array',
        description: 'Why the content was refused, each naming its file and line.',
        items: {
          type: 'object',
          required: ['file', 'line', 'message'],
          additionalProperties: false,
          properties: { file: str, line: { type: 'integer', minimum: 1 }, message: str },
        },
      },
      ms: { type: 'integer', minimum: 0, description: 'Time spent parsing, validating and indexing.' },
    },
  },
  AskRequest: {
    type: 'object',
    required: ['question'],
    properties: {
      question: {
        type: 'string',
        minLength: 1,
        description:
          `Free text: an error code, message, description or a pasted log. No length limit of its own (only the ${BODY_LIMIT_BYTES / 1024} KB body limit, 413): ` +
          `a question the body can carry is read whole, its error statements wherever they are; past the first ${QUESTION_READ_CHARS} characters (other channels) the answer carries the notice \`input_truncated\` (also said in markdown and html).`,
      },
      lang: ref('Lang'),
      topic: { type: 'string', maxLength: TOPIC_MAX, description: 'A topic id from an earlier clarify answer.' },
    },
  },
  AskResponse: { type: 'object', required: ['answer'], additionalProperties: false, properties: { answer: ref('Answer') } },
  SearchHit: {
    type: 'object',
    required: ['topicId', 'title', 'lang', 'anchor', 'score', 'snippet'],
    additionalProperties: false,
    properties: {
      topicId: str,
      title: str,
      lang: ref('Lang'),
      anchor: str,
      score: { type: 'number' },
      snippet: { ...str, description: 'Escaped text; matches wrapped in <mark>.' },
    },
  },
  SearchResponse: {
    type: 'object',
    required: ['query', 'lang', 'hits'],
    additionalProperties: false,
    properties: { query: str, lang: ref('Lang'), hits: { type: 'array', items: ref('SearchHit') } },
  },
  TopicSummary: {
    type: 'object',
    required: ['id', 'title', 'codes', 'legacy'],
    additionalProperties: false,
    properties: { id: str, title: str, codes: strings, parent: str, legacy: { type: 'boolean' } },
  },
  TopicList: {
    type: 'object',
    required: ['lang', 'topics'],
    additionalProperties: false,
    properties: { lang: ref('Lang'), topics: { type: 'array', items: ref('TopicSummary') } },
  },
  Article: {
    type: 'object',
    required: ['id', 'lang', 'requestedLang', 'title', 'codes', 'markdown', 'html', 'source', 'related', 'children'],
    additionalProperties: false,
    properties: {
      id: str,
      lang: ref('Lang'),
      requestedLang: ref('Lang'),
      title: str,
      codes: strings,
      markdown: str,
      html: { ...str, description: 'The article Markdown as HTML: raw HTML in it escaped, links only to http(s), mailto and same-site URLs.' },
      source: ref('Source'),
      related: topicRefs,
      children: topicRefs,
    },
  },
  ArticleResponse: { type: 'object', required: ['article'], additionalProperties: false, properties: { article: ref('Article') } },
  FeedbackRequest: {
    type: 'object',
    required: ['answerId', 'helpful'],
    properties: {
      answerId: { type: 'string', maxLength: 100 },
      helpful: { type: 'boolean' },
      step: {
        type: 'integer',
        minimum: 1,
        maximum: STEP_MAX,
        description: '1-based index into answer.steps: at most its length (422 `stepOutOfRange`), and only on an answer with steps (422 `noSteps`).',
      },
      comment: { type: 'string', maxLength: COMMENT_MAX },
    },
  },
  FeedbackAccepted: {
    type: 'object',
    required: ['id', 'answerId', 'status'],
    additionalProperties: false,
    properties: { id: { type: 'string', format: 'uuid' }, answerId: str, status: { const: 'accepted' } },
  },
  Insights: {
    type: 'object',
    required: ['generatedAt', 'totals', 'gaps'],
    additionalProperties: false,
    properties: {
      generatedAt: { type: 'string', format: 'date-time' },
      totals: {
        type: 'object',
        required: ['answers', 'notFound', 'feedback', 'unhelpful'],
        additionalProperties: false,
        properties: {
          answers: { type: 'integer' },
          notFound: { type: 'integer' },
          feedback: { type: 'integer' },
          unhelpful: { type: 'integer' },
        },
      },
      gaps: {
        type: 'array',
        items: {
          type: 'object',
          required: ['topicId', 'lang', 'notFound', 'unhelpful', 'helpful', 'examples'],
          additionalProperties: false,
          properties: {
            topicId: { type: ['string', 'null'], description: 'null: the question matched no topic.' },
            lang: ref('Lang'),
            notFound: { type: 'integer' },
            unhelpful: { type: 'integer' },
            helpful: { type: 'integer' },
            examples: {
              type: 'array',
              items: {
                type: 'object',
                required: ['answerId', 'at', 'status'],
                additionalProperties: false,
                properties: {
                  answerId: str,
                  at: { type: 'string', format: 'date-time' },
                  status: { type: 'string', enum: ['answered', 'clarify', 'not_found'] },
                  question: str,
                  helpful: { type: 'boolean' },
                  step: { type: 'integer' },
                  comment: str,
                },
              },
            },
          },
        },
      },
    },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; title and detail in the request language.',
    required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', pattern: '^urn:stepwise:problem:[A-Za-z]+$' },
      title: str,
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: str,
      instance: str,
      requestId: str,
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'code', 'message'],
          additionalProperties: false,
          properties: {
            field: str,
            code: {
              type: 'string',
              enum: ['required', 'type', 'empty', 'enum', 'range', 'maxLength', 'unknownTopic', 'unknownAnswer', 'needQuestion', 'stepOutOfRange', 'noSteps'],
            },
            message: str,
          },
        },
      },
    },
  },
  Health: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { const: 'ok' } } },
  Ready: {
    type: 'object',
    required: ['status'],
    additionalProperties: false,
    properties: { status: { type: 'string', enum: ['ready', 'loading', 'store_unavailable'] }, topics: { type: 'integer' }, content: ref('ContentVersion') },
  },
  ...ticketSchemas,
};

const headers = [acceptLanguage, clientRequestId];

/** The OpenAPI 3.1 description of the HTTP API; tests validate real responses against it. */
export function openApiDocument(version = '0.1.0') {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Stepwise Q&A API',
      version,
      description:
        'Troubleshooting answers for Azure Machine Learning deployment errors in English, Korean and Chinese. ' +
        'Every response carries x-request-id; errors are application/problem+json (RFC 9457). ' +
        'A method an address does not answer is a 405 problem (`methodNotAllowed`) with an Allow header listing the ones it does.',
    },
    servers: [{ url: '/' }],
    security: [{}, { apiKey: [] }, { bearer: [] }],
    paths: {
      '/api/v1/ask': {
        post: {
          operationId: 'ask',
          summary: 'Answer a question',
          description: 'Language: `lang` > Accept-Language > detected from the question. Content-Language names the answer language.',
          parameters: [...headers, channelHeader],
          requestBody: { required: true, content: json(ref('AskRequest')) },
          responses: { '200': { description: 'The answer.', content: json(ref('AskResponse')) }, ...common, ...withBody },
        },
      },
      '/api/v1/search': {
        get: {
          operationId: 'search',
          summary: 'Ranked topic hits with highlighted snippets',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: SEARCH_Q_MAX } },
            langParam,
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT_MAX, default: SEARCH_LIMIT_DEFAULT } },
            ...headers,
          ],
          responses: { '200': { description: 'Hits, best first.', content: json(ref('SearchResponse')) }, ...common, '422': withBody['422'] },
        },
      },
      '/api/v1/topics': {
        get: {
          operationId: 'listTopics',
          summary: 'The topic catalog',
          parameters: [langParam, ...headers],
          responses: { '200': { description: 'Every topic.', content: json(ref('TopicList')) }, ...common, '422': withBody['422'] },
        },
      },
      '/api/v1/topics/{id}': {
        get: {
          operationId: 'getTopic',
          summary: 'One topic article',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              description: 'Topic id such as `OutOfQuota/cpu`; send `/` raw or as %2F. Case-insensitive.',
              schema: str,
            },
            langParam,
            ...headers,
          ],
          responses: {
            '200': { description: 'The article.', content: json(ref('ArticleResponse')) },
            '404': problem('No topic has this id.'),
            ...common,
            '422': withBody['422'],
          },
        },
      },
      '/api/v1/feedback': {
        post: {
          operationId: 'feedback',
          summary: 'Rate an answer (or one of its steps)',
          description:
            'One vote per answer, the last: a later vote on the same answer (👎 then 👎 with a comment, or 👎 changed to 👍) replaces the earlier one in /insights and the dashboard. Every vote is stored.',
          parameters: [...headers, channelHeader],
          requestBody: { required: true, content: json(ref('FeedbackRequest')) },
          responses: { '202': { description: 'Stored durably.', content: json(ref('FeedbackAccepted')) }, ...common, ...withBody },
        },
      },
      '/api/v1/insights': {
        get: {
          operationId: 'insights',
          summary: 'Content gaps: not_found answers and 👎 per topic and language (admin key)',
          security: [{ apiKey: [] }, { bearer: [] }],
          parameters: [langParam, { name: 'examples', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 100, default: 5 } }],
          responses: { '200': { description: 'Gaps, worst first.', content: json(ref('Insights')) }, ...common, ...adminDisabled, '422': withBody['422'] },
        },
      },
      '/api/v1/admin/reload': {
        post: {
          operationId: 'reloadContent',
          summary: 'Reload the knowledge base from the content folder (admin key)',
          description:
            'Parses and validates the content again; valid, changed content replaces the serving one atomically. Content with errors is refused (422, each error with file and line) and the loaded content keeps serving. SIGHUP does the same.',
          security: [{ apiKey: [] }, { bearer: [] }],
          responses: {
            '200': { description: 'Reloaded, or unchanged.', content: json(ref('ReloadResult')) },
            '422': { description: 'Refused: the content has errors; the previous content keeps serving.', content: json(ref('ReloadResult')) },
            ...common,
            ...adminDisabled,
          },
        },
      },
      // The expert actions need an admin key; the asker's routes never answer 403.
      ...ticketPaths({ common: { ...common, ...adminDisabled }, withBody, headers, channelHeader }),
      '/api/v1/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } },
      },
      '/healthz': {
        get: {
          operationId: 'healthz',
          summary: 'Process is alive',
          security: [{}],
          responses: { '200': { description: 'Alive.', content: json(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'Knowledge base loaded',
          security: [{}],
          responses: {
            '200': { description: 'Ready.', content: json(ref('Ready')) },
            '503': { description: 'Still loading, or the store cannot take writes.', content: json(ref('Ready')) },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          security: [{}],
          responses: { '200': { description: 'Text exposition format.', content: { 'text/plain': { schema: str } } } },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
