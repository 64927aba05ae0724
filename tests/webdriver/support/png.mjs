// Crops a PNG (8-bit RGB or RGBA, not interlaced: what WebKitWebDriver's window screenshots are)
// without an image library: inflate the pixel rows, undo each row's filter, keep the rectangle and
// write it back unfiltered. Used for element pictures taller than WebKit's element screenshot
// draws (it leaves the part beyond about 2,400 px black).
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunks(png) {
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += length + 12;
  }
  return out;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function paeth(a, b, c) {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The rectangle (x, y, width, height in pixels) of a PNG, as a new PNG. */
export function cropPng(png, { x, y, width, height }) {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const parts = chunks(png);
  const ihdr = parts.find((c) => c.type === 'IHDR').data;
  const [w, h, depth, colour, interlace] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[12]];
  if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error('only 8-bit RGB/RGBA, not interlaced');
  const bpp = colour === 6 ? 4 : 3;
  const stride = w * bpp;
  const raw = inflateSync(Buffer.concat(parts.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const rows = [];
  let previous = Buffer.alloc(stride);
  for (let r = 0; r < h; r++) {
    const filter = raw[r * (stride + 1)];
    const line = Buffer.from(raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const left = i >= bpp ? line[i - bpp] : 0;
      const up = previous[i];
      const upLeft = i >= bpp ? previous[i - bpp] : 0;
      const add = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      line[i] = (line[i] + add) & 0xff;
    }
    rows.push(line);
    previous = line;
  }
  const [x0, y0] = [Math.max(0, Math.round(x)), Math.max(0, Math.round(y))];
  const cw = Math.min(Math.round(width), w - x0);
  const ch = Math.min(Math.round(height), h - y0);
  const out = [];
  for (let r = y0; r < y0 + ch; r++) out.push(Buffer.from([0]), rows[r].subarray(x0 * bpp, (x0 + cw) * bpp));
  const header = Buffer.from(ihdr);
  header.writeUInt32BE(cw, 0);
  header.writeUInt32BE(ch, 4);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(out))), chunk('IEND', Buffer.alloc(0))]);
}
