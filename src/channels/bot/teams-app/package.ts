/** Builds the Teams app package (manifest with the bot id filled in, localizations, icons) as a zip. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';

const here = (file: string) => new URL(`./${file}`, import.meta.url);

export const LOCALIZATION_FILES = ['ko-kr.json', 'zh-cn.json'] as const;
export const ICON_FILES = ['color.png', 'outline.png'] as const;

export interface TeamsPackageOptions {
  /** The bot's MicrosoftAppId (a GUID). */
  botId: string;
  /** Teams app id; by default derived from the bot id, so rebuilding keeps the same app. */
  appId?: string;
  /** App version, e.g. package.json's. */
  version: string;
  websiteUrl?: string;
  privacyUrl?: string;
  termsUrl?: string;
}

/** Defaults for the developer URLs the manifest requires; an operator publishing the app sets their own. */
export const DEFAULT_URLS = {
  websiteUrl: 'https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints',
  privacyUrl: 'https://privacy.microsoft.com/privacystatement',
  termsUrl: 'https://learn.microsoft.com/legal/termsofuse',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stable GUID (name-based, version 5 layout) for the Teams app of one bot. */
export function appIdFor(botId: string): string {
  const hash = createHash('sha1').update(`stepwise-teams-app:${botId.toLowerCase()}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The manifest template with every placeholder filled; throws when the bot id is not a GUID. */
export function renderManifest(options: TeamsPackageOptions): Record<string, unknown> {
  if (!GUID.test(options.botId)) throw new Error(`teams:package: the bot id must be the bot's MicrosoftAppId (a GUID), got "${options.botId}"`);
  const appId = options.appId ?? appIdFor(options.botId);
  if (!GUID.test(appId)) throw new Error(`teams:package: the Teams app id must be a GUID, got "${appId}"`);
  const values: Record<string, string> = {
    BOT_ID: options.botId,
    TEAMS_APP_ID: appId,
    VERSION: options.version,
    WEBSITE_URL: options.websiteUrl ?? DEFAULT_URLS.websiteUrl,
    PRIVACY_URL: options.privacyUrl ?? DEFAULT_URLS.privacyUrl,
    TERMS_URL: options.termsUrl ?? DEFAULT_URLS.termsUrl,
  };
  const template = readFileSync(here('manifest.template.json'), 'utf8');
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`teams:package: unknown placeholder {{${name}}} in manifest.template.json`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** The localization files as parsed JSON, by file name. */
export function localizations(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(LOCALIZATION_FILES.map((file) => [file, JSON.parse(readFileSync(here(file), 'utf8'))]));
}

/** The zip Teams accepts: manifest.json, the localizations and both icons at the root. */
export async function buildTeamsPackage(options: TeamsPackageOptions): Promise<Buffer> {
  const zip = new JSZip();
  // A fixed date keeps the zip byte-identical for identical inputs.
  const date = new Date('2026-01-01T00:00:00Z');
  zip.file('manifest.json', `${JSON.stringify(renderManifest(options), null, 2)}\n`, { date });
  for (const file of LOCALIZATION_FILES) zip.file(file, readFileSync(here(file)), { date });
  for (const file of ICON_FILES) zip.file(file, readFileSync(here(file)), { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
