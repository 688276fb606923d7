import { Resvg } from '@resvg/resvg-js';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { generateDungeon, streamDungeon } from '../../src/generators/dungeon/index.ts';
import {
  ASCII_DOOR_SYMBOLS,
  renderAsciiMap,
  renderPngMap,
  renderRoomKey,
  renderSvgMap,
  toNdjson,
  toWatabou,
  WATABOU_DOOR_TYPES,
} from '../../src/generators/map/index.ts';
import { encodeOpaquePng } from '../../src/generators/map/png.ts';

/** A PNG's chunks (each CRC checked) and its pixels: 8-bit RGBA, every row filter undone. */
function decodePng(png: Uint8Array) {
  const b = Buffer.from(png);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const types: string[] = [];
  const idat: Buffer[] = [];
  let header = Buffer.alloc(0);
  for (let at = 8; at < b.length;) {
    const len = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    const data = b.subarray(at + 8, at + 8 + len);
    expect(b.readUInt32BE(at + 8 + len)).toBe(zlib.crc32(b.subarray(at + 4, at + 8 + len)));
    types.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  expect([header[8], header[9], header[12]]).toEqual([8, 6, 0]); // 8-bit RGBA, not interlaced
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? out[y * stride + i - 4]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= 4 ? out[(y - 1) * stride + i - 4]! : 0;
      const p = a + up - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - up), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      const predictor = [0, a, up, (a + up) >> 1, paeth][filter]!;
      out[y * stride + i] = (row[i]! + predictor) & 0xff;
    }
  }
  return { types, width, height, pixels: out };
}

const d = generateDungeon({ rooms: 15, level: 4 }, createRng(99));

describe('dungeon renderers', () => {
  it('ASCII map shows every door by its type, room numbers and stairs', () => {
    const lines = renderAsciiMap(d, { legend: false }).split('\n').slice(1);
    for (const door of d.doors) expect(lines[door.y]![door.x]).toBe(ASCII_DOOR_SYMBOLS[door.type]);
    for (const r of d.rooms)
      expect(lines[r.y]!.slice(r.x, r.x + String(r.number).length)).toBe(String(r.number));
    const [up, down] = d.stairs;
    expect(lines[up!.y]![up!.x]).toBe('<');
    expect(lines[down!.y]![down!.x]).toBe('>');
    expect(lines).toHaveLength(d.height + 1); // rows plus the final newline
  });

  it('SVG map has a title, a legend, every room number and S for each secret door', () => {
    const svg = renderSvgMap(d);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Dungeon level 4');
    for (const label of ['secret', 'portcullis', 'stairs up', 'stairs down'])
      expect(svg).toContain(`>${label}</text>`);
    for (const r of d.rooms) expect(svg).toMatch(new RegExp(`>${r.number}</text>`));
    const secret = d.doors.filter((x) => x.type === 'secret').length;
    expect(svg.match(/>S<\/text>/g)?.length ?? 0).toBe(secret + 1); // + the legend
  });

  it('PNG map is a PNG', async () => {
    const png = await renderPngMap(d, { width: 400 });
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(400);
    const { types, width, pixels } = decodePng(png);
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(width).toBe(400);
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 255) expect.fail(`alpha at ${i}`);
  });

  it("PNG encoder: the same pixels as resvg's own PNG of the rendered map", () => {
    const image = new Resvg(renderSvgMap(d), {
      background: '#ffffff',
      fitTo: { mode: 'width', value: 500 },
    }).render();
    const ours = decodePng(encodeOpaquePng(image, zlib)!);
    const theirs = decodePng(image.asPng());
    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    expect(ours.pixels.equals(theirs.pixels)).toBe(true);
    expect(ours.pixels.equals(image.pixels)).toBe(true);
  });

  it('room key has an entry per room with its monsters and exits', () => {
    const key = renderRoomKey(d);
    for (const r of d.rooms) expect(key).toContain(`\n${r.number}. ${r.description}`);
    for (const r of d.rooms)
      for (const g of r.contents.monsters) expect(key).toContain(`${g.count} × ${g.name}`);
    expect(key).toContain(`Totals: ${d.totals.xp} XP`);
  });

  it('One Page Dungeon export has rooms, corridor rects, typed doors and notes', () => {
    const w = toWatabou(d);
    expect(w.rects.slice(0, d.rooms.length)).toEqual(
      d.rooms.map((r) => ({ x: r.x, y: r.y, w: r.w, h: r.h })),
    );
    expect(w.rects.length).toBeGreaterThan(d.rooms.length);
    expect(w.doors.map((x) => x.type)).toEqual(d.doors.map((x) => WATABOU_DOOR_TYPES[x.type]));
    expect(w.notes.map((n) => n.ref)).toEqual(d.rooms.map((r) => String(r.number)));
    for (const rect of w.rects)
      expect(rect.w === 1 || rect.h === 1 || w.rects.indexOf(rect) < d.rooms.length).toBe(true);
  });

  it('NDJSON: one parseable line per event, layout first, summary last', () => {
    const lines = [...toNdjson(streamDungeon({ rooms: 15, level: 4 }, createRng(99)))];
    expect(lines).toHaveLength(17);
    const events = lines.map((l) => JSON.parse(l) as { type: string; data: unknown });
    expect(events[0]!.type).toBe('layout');
    expect(events[16]!.type).toBe('summary');
    expect(events.slice(1, 16).map((e) => e.data)).toEqual(JSON.parse(JSON.stringify(d.rooms)));
  });
});

describe('dungeons saved before schema 2', () => {
  it('still render: key, ASCII and SVG (no specials, traps or budget to show)', async () => {
    const { readFileSync } = await import('node:fs');
    const old = JSON.parse(
      readFileSync(new URL('../fixtures/dungeon-schema1.json', import.meta.url), 'utf8'),
    ) as Parameters<typeof renderRoomKey>[0];
    expect(old.schema_version).toBe(1);
    const key = renderRoomKey(old);
    expect(key).toContain('Wandering monsters');
    expect(key).not.toContain('undefined');
    expect(renderAsciiMap(old)).toContain('# wall');
    expect(renderSvgMap(old)).toContain('</svg>');
  });
});
