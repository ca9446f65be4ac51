/**
 * Draws the toolbar icon (a white speech bubble on Parley's green) as PNGs at build time, so the
 * repository holds no binary icons and every size is sharp.
 */
import { deflateSync } from 'node:zlib';

const GREEN = [15, 122, 92] as const;
const SAMPLES = 4;

/** Coverage of the background (rounded square) and the bubble (circle with a tail) at a point in 0..1. */
function shapeAt(x: number, y: number): { background: boolean; bubble: boolean } {
  const corner = 0.22;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - corner), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - corner), 0);
  const background = dx * dx + dy * dy <= corner * corner;
  const inCircle = (x - 0.5) ** 2 + (y - 0.46) ** 2 <= 0.27 ** 2;
  // The tail: a triangle below-left of the circle.
  const inTail = y >= 0.6 && y <= 0.84 && x >= 0.24 && x <= 0.42 && x - 0.24 <= (0.84 - y) * 0.75;
  return { background, bubble: inCircle || inTail };
}

function rgba(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      let white = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const shape = shapeAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (shape.background) covered++;
          if (shape.background && shape.bubble) white++;
        }
      }
      const offset = (py * size + px) * 4;
      const whiteShare = covered === 0 ? 0 : white / covered;
      for (let channel = 0; channel < 3; channel++) {
        pixels[offset + channel] = Math.round(GREEN[channel]! * (1 - whiteShare) + 255 * whiteShare);
      }
      pixels[offset + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function iconPng(size: number): Buffer {
  const pixels = rgba(size);
  // Each scanline starts with filter type 0 (none).
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
