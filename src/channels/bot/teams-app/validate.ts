/** Offline validation of the Teams manifest and its localizations against the schemas @microsoft/app-manifest bundles. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Resolved through @microsoft/app-manifest, whose own validator uses the same ajv build for draft-04.
const fromAppManifest = createRequire(require.resolve('@microsoft/app-manifest/package.json'));
const Ajv04 = fromAppManifest('ajv-draft-04') as typeof import('ajv').default;
const addFormats = fromAppManifest('ajv-formats') as typeof import('ajv-formats').default;

/** Reads a bundled Teams schema by its published URL (no network: the package ships the files). */
export function bundledSchema(url: string): Record<string, unknown> {
  const match = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v[\w.]+)\/([\w.]+\.schema\.json)$/.exec(url);
  if (!match) throw new Error(`teams-app: "${url}" is not a Teams schema URL`);
  const file = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/${match[1]}/${match[2]}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Schema problems of one document (manifest or localization file), checked against its own `$schema`. */
export function schemaProblems(document: Record<string, unknown>): string[] {
  const url = document.$schema;
  if (typeof url !== 'string') return ['$schema is missing'];
  // Same options as ManifestUtil.validateManifestAgainstSchema, except unicodeRegExp: the
  // localization schema has patterns (`\b…\b]`) that only compile without the `u` flag.
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(bundledSchema(url));
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
