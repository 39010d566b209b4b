/** Shared test fixtures: the real engine over content/, an app factory, captured logs and an OpenAPI checker. */
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Response } from 'supertest';
import { createEngine, loadKnowledgeBase } from '../../../src/engine/index.ts';
import type { Engine } from '../../../src/engine/types.ts';
import { createI18n } from '../../../src/i18n.ts';
import { createMemoryStore, type MemoryStore, type Store } from '../../../src/store/index.ts';
import { createLogger, createMetrics } from '../../../src/observability/index.ts';
import { createHttpApp, openApiDocument, type HttpAppDeps } from '../../../src/channels/http/index.ts';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

let engine: Engine | undefined;
/** The real engine over the real content/ directory, loaded once per test file. */
export function realEngine(): Engine {
  engine ??= createEngine(loadKnowledgeBase(root('content')).kb);
  return engine;
}

export const i18n = createI18n(root('locales'));

/** Log lines written by the app, parsed. */
export interface LogCapture {
  lines: Array<Record<string, unknown>>;
  text: () => string;
}

/** Builds an app over the real engine and a memory store; `overrides` replace any dependency. */
export function makeApp<S extends Store = MemoryStore>(overrides: Partial<Omit<HttpAppDeps, 'store'>> & { store?: S } = {}) {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (s: string) => void raw.push(s) });
  // The default is a memory store, whose dumps the tests read; a store passed in keeps its own type.
  const store = overrides.store ?? (createMemoryStore() as Store as S);
  const metrics = createMetrics();
  const app = createHttpApp({ engine: realEngine(), store, i18n, logger, metrics, ...overrides });
  const logs: LogCapture = { lines: [], text: () => raw.join('') };
  Object.defineProperty(logs, 'lines', { get: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) });
  return { app, store, logs, metrics };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const doc = openApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi');

type Method = 'get' | 'post';

/** Asserts the response status is documented for this operation and its body matches the documented schema. */
export function assertMatchesOpenApi(res: Response, path: string, method: Method): void {
  const op = (doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)[path]?.[method];
  assert.ok(op, `OpenAPI has no ${method.toUpperCase()} ${path}`);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `OpenAPI does not document ${res.status} for ${method.toUpperCase()} ${path}`);
  const type = String(res.headers['content-type'] ?? '').split(';')[0];
  assert.ok(documented.content?.[type], `OpenAPI does not document ${type} for ${res.status} ${method.toUpperCase()} ${path}`);
  const refs: Record<string, string> = { 'application/problem+json': 'Problem' };
  const schema = (documented.content[type] as { schema: { $ref?: string } }).schema;
  const name = schema.$ref?.split('/').pop() ?? refs[type];
  if (!name) return;
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  assert.ok(validate, `no schema ${name}`);
  const body = type.endsWith('json') && typeof res.body === 'object' && Object.keys(res.body).length ? res.body : JSON.parse(res.text);
  assert.ok(validate(body), `${method.toUpperCase()} ${path} ${res.status} does not match ${name}: ${ajv.errorsText(validate.errors)}`);
}

/** Asserts the body is a problem+json matching the documented Problem schema (for statuses no operation lists, such as 405). */
export function assertProblem(res: Response, code: string, status: number): void {
  assert.equal(res.status, status);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const validate = ajv.getSchema('openapi#/components/schemas/Problem')!;
  assert.ok(validate(res.body), ajv.errorsText(validate.errors));
  assert.equal(res.body.type, `urn:stepwise:problem:${code}`);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
