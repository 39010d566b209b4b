/**
 * `npm run teams:package`: writes dist/stepwise-teams-app.zip, the Teams app package with the bot id
 * filled in. The bot id comes from `--bot-id <guid>` or MicrosoftAppId; optional TEAMS_APP_ID,
 * TEAMS_APP_WEBSITE_URL, TEAMS_APP_PRIVACY_URL, TEAMS_APP_TERMS_URL. The manifest is checked
 * against its bundled JSON schema before anything is written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildTeamsPackage, localizations, renderManifest, type TeamsPackageOptions } from '../channels/bot/teams-app/package.ts';
import { schemaProblems } from '../channels/bot/teams-app/validate.ts';

const { values } = parseArgs({ options: { 'bot-id': { type: 'string' }, out: { type: 'string' } } });
const out = values.out ?? fileURLToPath(new URL('../../dist/stepwise-teams-app.zip', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const env = process.env;
const botId = values['bot-id'] ?? env.MicrosoftAppId;
if (!botId) {
  console.error('teams:package: give the bot id with --bot-id <MicrosoftAppId> or the MicrosoftAppId environment variable');
  process.exit(1);
}

const options: TeamsPackageOptions = {
  botId,
  version: pkg.version,
  ...(env.TEAMS_APP_ID ? { appId: env.TEAMS_APP_ID } : {}),
  ...(env.TEAMS_APP_WEBSITE_URL ? { websiteUrl: env.TEAMS_APP_WEBSITE_URL } : {}),
  ...(env.TEAMS_APP_PRIVACY_URL ? { privacyUrl: env.TEAMS_APP_PRIVACY_URL } : {}),
  ...(env.TEAMS_APP_TERMS_URL ? { termsUrl: env.TEAMS_APP_TERMS_URL } : {}),
};

try {
  const manifest = renderManifest(options);
  const problems = [
    ...schemaProblems(manifest).map((p) => `manifest.json ${p}`),
    ...Object.entries(localizations()).flatMap(([file, doc]) => schemaProblems(doc).map((p) => `${file} ${p}`)),
  ];
  if (problems.length > 0) {
    console.error(`teams:package: the package does not match its schema:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const zip = await buildTeamsPackage(options);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  console.log(`teams:package: wrote ${out} (${zip.length} bytes): app ${String(manifest.id)}, bot ${botId}, manifest ${String(manifest.manifestVersion)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
