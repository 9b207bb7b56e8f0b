// Draws the Teams app icons (a magnifier): color.png 192x192 on the accent colour, outline.png 32x32 white on
// transparent, as Teams requires. Plain node: PNG = signature + IHDR + zlib-compressed RGBA rows + IEND.
// Run: node deploymentTemplates/teams/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
};

/** `coverage(x, y)` in 0..1 says how much of the magnifier covers a pixel centre (in units of the icon size). */
function magnifier(x, y) {
  const ring = Math.abs(Math.hypot(x - 0.42, y - 0.42) - 0.22) - 0.055;
  // The handle: a thick segment from the ring towards the bottom-right corner.
  const [ax, ay, bx, by] = [0.58, 0.58, 0.8, 0.8];
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  const handle = Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) - 0.07;
  return Math.min(ring, handle);
}

function png(size, background) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let px = 0; px < size; px++) {
      const d = magnifier((px + 0.5) / size, (py + 0.5) / size) * size;
      const cover = Math.max(0, Math.min(1, 0.5 - d)); // one-pixel anti-aliased edge
      const [r, g, b, a] = background
        ? [...background.map((c) => Math.round(c + (255 - c) * cover)), 255]
        : [255, 255, 255, Math.round(255 * cover)];
      row.set([r, g, b, a], 1 + px * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(new URL('./color.png', import.meta.url), png(192, [0x46, 0x47, 0x75]));
writeFileSync(new URL('./outline.png', import.meta.url), png(32));
