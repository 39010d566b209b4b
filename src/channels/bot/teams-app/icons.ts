/**
 * The Teams app icons, drawn in code: a 192×192 colour icon and a 32×32 white-on-transparent
 * outline icon, both a three-step staircase (Stepwise). Run `tsx src/channels/bot/teams-app/icons.ts`
 * to rewrite color.png and outline.png; the committed files are what the package script zips.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const ACCENT: Rgba = [0x0f, 0x6c, 0xbd, 0xff];
const WHITE: Rgba = [0xff, 0xff, 0xff, 0xff];
const CLEAR: Rgba = [0, 0, 0, 0];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes an RGBA pixel function as a PNG (8-bit RGBA, no interlace). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** True inside a three-step staircase drawn in the unit square [0,1)². */
function onStairs(u: number, v: number): boolean {
  if (u < 0.2 || u >= 0.8 || v >= 0.8) return false;
  const column = Math.floor((u - 0.2) / 0.2); // 0, 1, 2 from left to right
  const top = 0.6 - column * 0.2; // each step one fifth higher
  return v >= top;
}

/** The 192×192 full-colour icon: white stairs on the accent colour. */
export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => (onStairs((x + 0.5) / size, (y + 0.5) / size) ? WHITE : ACCENT));
}

/** The 32×32 outline icon: white stairs on transparency, as Teams requires. */
export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => (onStairs((x + 0.5) / size, (y + 0.5) / size) ? WHITE : CLEAR));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('./color.png', import.meta.url), colorIcon());
  writeFileSync(new URL('./outline.png', import.meta.url), outlineIcon());
  console.log('teams-app: wrote color.png (192×192) and outline.png (32×32)');
}
