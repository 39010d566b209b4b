import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { SEARCH_COMMAND } from '../../../src/channels/bot/bot.ts';
import { colorIcon, outlineIcon } from '../../../src/channels/bot/teams-app/icons.ts';
import { appIdFor, localizations, renderManifest } from '../../../src/channels/bot/teams-app/package.ts';
import { schemaProblems } from '../../../src/channels/bot/teams-app/validate.ts';

const BOT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const appDir = new URL('../../../src/channels/bot/teams-app/', import.meta.url);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

type Manifest = {
  id: string;
  manifestVersion: string;
  bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
  composeExtensions: Array<{ botId: string; commands: Array<{ id: string; type: string; parameters: Array<{ name: string }> }> }>;
};

test('the manifest with a bot id filled in validates offline against the bundled Teams 1.30 schema', async () => {
  const manifest = renderManifest({ botId: BOT_ID, version: '0.1.0' });
  assert.deepEqual(schemaProblems(manifest), []);
  // The package's own validator agrees (it loads the schema from its bundle for developer.microsoft.com URLs).
  assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest as never), []);
  const m = manifest as unknown as Manifest;
  assert.equal(m.manifestVersion, '1.30');
  assert.equal(m.id, appIdFor(BOT_ID));
  assert.equal(m.bots[0].botId, BOT_ID);
  assert.deepEqual(m.bots[0].scopes, ['personal', 'team', 'groupChat']);
  assert.equal(m.composeExtensions[0].botId, BOT_ID);
  assert.equal(m.composeExtensions[0].commands[0].id, SEARCH_COMMAND);
  assert.equal(m.composeExtensions[0].commands[0].type, 'query');
  assert.equal(m.composeExtensions[0].commands[0].parameters[0].name, 'query');
});

test('the Korean and Chinese localizations validate and only name manifest entries that exist', () => {
  const manifest = renderManifest({ botId: BOT_ID, version: '0.1.0' });
  for (const [file, doc] of Object.entries(localizations())) {
    assert.deepEqual(schemaProblems(doc), [], file);
    for (const key of Object.keys(doc).filter((k) => k.includes('['))) {
      const path = key.replace(/\[(\d+)\]/g, '.$1').split('.');
      const target = path.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], manifest);
      assert.equal(typeof target, 'string', `${file}: ${key} has no counterpart in the manifest`);
    }
  }
});

test('a bot id that is not a GUID is refused with a clear message', () => {
  assert.throws(() => renderManifest({ botId: 'my-bot', version: '0.1.0' }), {
    message: 'teams:package: the bot id must be the bot\'s MicrosoftAppId (a GUID), got "my-bot"',
  });
});

function readPng(bytes: Buffer): { width: number; height: number; colorType: number; pixels: Buffer } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const width = header!.readUInt32BE(0);
  const height = header!.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter type none');
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, colorType: header![9], pixels };
}

test('the committed icons are real PNGs: 192×192 colour and 32×32 white-on-transparent outline, as the generator draws them', () => {
  const color = readFileSync(new URL('color.png', appDir));
  const outline = readFileSync(new URL('outline.png', appDir));
  assert.ok(color.equals(colorIcon()), 'color.png is what icons.ts draws');
  assert.ok(outline.equals(outlineIcon()), 'outline.png is what icons.ts draws');
  const c = readPng(color);
  assert.deepEqual([c.width, c.height, c.colorType], [192, 192, 6]);
  assert.deepEqual([...c.pixels.subarray(0, 4)], [0x0f, 0x6c, 0xbd, 0xff], 'accent background');
  const o = readPng(outline);
  assert.deepEqual([o.width, o.height, o.colorType], [32, 32, 6]);
  const kinds = new Set<string>();
  for (let i = 0; i < o.pixels.length; i += 4) kinds.add([...o.pixels.subarray(i, i + 4)].join(','));
  assert.deepEqual([...kinds].sort(), ['0,0,0,0', '255,255,255,255']);
});

test('npm run teams:package writes the zip with the bot id from MicrosoftAppId filled in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-teams-'));
  try {
    const out = join(dir, 'app.zip');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/tools/teams-package.ts', '--out', out], {
      cwd: root,
      env: { ...process.env, MicrosoftAppId: BOT_ID },
    });
    assert.match(stdout, new RegExp(`^teams:package: wrote ${out} \\(\\d+ bytes\\): app ${appIdFor(BOT_ID)}, bot ${BOT_ID}, manifest 1.30\\n$`));
    const zip = await JSZip.loadAsync(readFileSync(out));
    assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'ko-kr.json', 'manifest.json', 'outline.png', 'zh-cn.json']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    assert.equal(manifest.bots[0].botId, BOT_ID);
    assert.equal(manifest.composeExtensions[0].botId, BOT_ID);
    assert.ok((await zip.file('color.png')!.async('nodebuffer')).equals(colorIcon()));

    const failed = await run(process.execPath, ['--import', 'tsx', 'src/tools/teams-package.ts', '--out', out], {
      cwd: root,
      env: { ...process.env, MicrosoftAppId: '' },
    }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((failed as { code: number }).code, 1);
    assert.equal(
      (failed as { stderr: string }).stderr,
      'teams:package: give the bot id with --bot-id <MicrosoftAppId> or the MicrosoftAppId environment variable\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
