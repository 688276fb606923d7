/**
 * Printable SVG map: floor on a faint 10-ft grid, walls as heavy lines, doors by type
 * (secret doors marked S), stairs, room numbers, a title and a legend.
 */
import type { Dungeon, DoorType, EncounterRating, Wall } from '../dungeon/types.ts';
import { CORRIDOR, DOOR, FLOOR, dungeonGrid, labelCell, mapMarks, type MapMark } from './grid.ts';

export interface SvgOptions {
  /** pixels per 10-ft cell; default 20 */
  cell?: number;
  title?: string;
}

const INK = '#222';
const LEGEND_DOORS: readonly DoorType[] = [
  'open',
  'wooden',
  'locked',
  'stuck',
  'trapped',
  'secret',
  'portcullis',
];

function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** One door symbol centred at (cx, cy); `vertical` when the door stands in an east or west wall. */
function doorSymbol(type: DoorType, cx: number, cy: number, c: number, vertical: boolean): string {
  const long = c * 0.7;
  const short = c * 0.3;
  const w = vertical ? short : long;
  const h = vertical ? long : short;
  const rect = (fill: string): string =>
    `<rect x="${cx - w / 2}" y="${cy - h / 2}" width="${w}" height="${h}" fill="${fill}" stroke="${INK}" stroke-width="1.5"/>`;
  const letter = (t: string): string =>
    `<text x="${cx}" y="${cy + c * 0.2}" font-size="${c * 0.6}" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="${INK}">${t}</text>`;
  switch (type) {
    case 'open': {
      // an open doorway: the gap in the wall between two door jambs
      const jamb = (ox: number, oy: number): string =>
        vertical
          ? `<line x1="${cx - c * 0.3}" y1="${cy + oy}" x2="${cx + c * 0.3}" y2="${cy + oy}" stroke="${INK}" stroke-width="2.5"/>`
          : `<line x1="${cx + ox}" y1="${cy - c * 0.3}" x2="${cx + ox}" y2="${cy + c * 0.3}" stroke="${INK}" stroke-width="2.5"/>`;
      return vertical
        ? jamb(0, -c * 0.42) + jamb(0, c * 0.42)
        : jamb(-c * 0.42, 0) + jamb(c * 0.42, 0);
    }
    case 'wooden':
      return rect('#fff');
    case 'stuck':
      return (
        rect('#fff') +
        (vertical
          ? `<line x1="${cx}" y1="${cy - h / 2}" x2="${cx}" y2="${cy + h / 2}" stroke="${INK}" stroke-width="1.5"/>`
          : `<line x1="${cx - w / 2}" y1="${cy}" x2="${cx + w / 2}" y2="${cy}" stroke="${INK}" stroke-width="1.5"/>`)
      );
    case 'locked':
      return rect(INK);
    case 'trapped':
      return rect('#fff') + letter('T');
    case 'secret':
      return letter('S');
    case 'portcullis': {
      let dots = '';
      for (let i = -1; i <= 1; i++) {
        const x = vertical ? cx : cx + i * c * 0.25;
        const y = vertical ? cy + i * c * 0.25 : cy;
        dots += `<circle cx="${x}" cy="${y}" r="${c * 0.08}" fill="${INK}"/>`;
      }
      return dots;
    }
  }
}

/** difficulty colours of inhabited rooms' numbers */
export const DIFFICULTY_COLOURS: Readonly<Record<EncounterRating['rating'], string>> = {
  easy: '#2e7d32',
  fair: '#1f5fa8',
  hard: '#d9822b',
  deadly: '#c62828',
};

/** a trap: a red triangle; a feature: a star */
function markSymbol(kind: MapMark['kind'], x: number, y: number, c: number): string {
  if (kind === 'trap') {
    const h = c * 0.62;
    return `<path d="M${x + c / 2} ${y + (c - h) / 2}l${h * 0.58} ${h}h${-h * 1.16}z" fill="#fff" stroke="#c62828" stroke-width="1.6"/><text x="${x + c / 2}" y="${y + c * 0.75}" font-size="${c * 0.42}" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#c62828">!</text>`;
  }
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? c * 0.38 : c * 0.16;
    const a = (Math.PI / 5) * i - Math.PI / 2;
    pts.push(
      `${(x + c / 2 + r * Math.cos(a)).toFixed(1)},${(y + c / 2 + r * Math.sin(a)).toFixed(1)}`,
    );
  }
  return `<polygon points="${pts.join(' ')}" fill="#7b3fa0" stroke="${INK}" stroke-width="0.6"/>`;
}

function stairsSymbol(direction: 'up' | 'down', x: number, y: number, c: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const inset = direction === 'up' ? i * c * 0.1 : (3 - i) * c * 0.1;
    const ly = y + c * 0.2 + i * c * 0.2;
    s += `<line x1="${x + c * 0.1 + inset}" y1="${ly}" x2="${x + c * 0.9 - inset}" y2="${ly}" stroke="${INK}" stroke-width="1.5"/>`;
  }
  return s;
}

export function renderSvgMap(d: Dungeon, options: SvgOptions = {}): string {
  const c = options.cell ?? 20;
  const { width, height, cells } = dungeonGrid(d);
  const top = 50;
  const legendH = 100;
  const mapW = width * c;
  const mapH = height * c;
  const W = Math.max(mapW, 760) + 20;
  const H = top + mapH + legendH;
  const ox = 10;
  const title = options.title ?? `Dungeon level ${d.options.level} — ${d.theme.name}`;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${ox}" y="26" font-size="20" font-family="serif" font-weight="bold" fill="${INK}">${escapeXml(title)}</text>`,
    `<text x="${ox}" y="44" font-size="12" font-family="serif" fill="${INK}">${d.rooms.length} rooms · seed ${d.seed} · ${escapeXml(d.theme.description)} · 1 square = 10 ft</text>`,
    `<g transform="translate(${ox},${top})">`,
    `<rect width="${mapW}" height="${mapH}" fill="#d8d4cc"/>`,
  );
  // floor cells, merged into horizontal runs
  let floor = '';
  let grid = '';
  const isOpen = (x: number, y: number): boolean => {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const k = cells[y * width + x];
    return k === FLOOR || k === CORRIDOR || k === DOOR;
  };
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      if (!isOpen(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && isOpen(x, y)) x++;
      floor += `M${start * c} ${y * c}h${(x - start) * c}v${c}h${-(x - start) * c}z`;
    }
  }
  // faint grid lines inside the floor
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!isOpen(x, y)) continue;
      if (isOpen(x + 1, y)) grid += `M${(x + 1) * c} ${y * c}v${c}`;
      if (isOpen(x, y + 1)) grid += `M${x * c} ${(y + 1) * c}h${c}`;
    }
  }
  // walls: every edge between an open cell and rock
  let walls = '';
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!isOpen(x, y)) continue;
      if (!isOpen(x, y - 1)) walls += `M${x * c} ${y * c}h${c}`;
      if (!isOpen(x, y + 1)) walls += `M${x * c} ${(y + 1) * c}h${c}`;
      if (!isOpen(x - 1, y)) walls += `M${x * c} ${y * c}v${c}`;
      if (!isOpen(x + 1, y)) walls += `M${(x + 1) * c} ${y * c}v${c}`;
    }
  }
  parts.push(
    `<path d="${floor}" fill="#fff"/>`,
    `<path d="${grid}" stroke="#b8c8e0" stroke-width="0.6" fill="none"/>`,
    `<path d="${walls}" stroke="${INK}" stroke-width="2.5" stroke-linecap="square" fill="none"/>`,
  );
  const vertical = (wall: Wall): boolean => wall === 'east' || wall === 'west';
  const caves = new Set(d.rooms.filter((r) => r.shape !== undefined).map((r) => r.id));
  for (const door of d.doors) {
    // a natural opening in a cave is just the gap in the rock
    if (door.type === 'open' && caves.has(door.room)) continue;
    parts.push(
      doorSymbol(door.type, door.x * c + c / 2, door.y * c + c / 2, c, vertical(door.wall)),
    );
  }
  for (const s of d.stairs) parts.push(stairsSymbol(s.direction, s.x * c, s.y * c, c));
  for (const m of mapMarks(d)) parts.push(markSymbol(m.kind, m.x * c, m.y * c, c));
  for (const r of d.rooms) {
    const cx = (r.x + r.w / 2) * c;
    const cy = (r.y + r.h / 2) * c;
    const stairsHere = d.stairs.some(
      (s) =>
        s.room === r.id && Math.abs(s.x * c + c / 2 - cx) < c && Math.abs(s.y * c + c / 2 - cy) < c,
    );
    let tx = cx;
    let ty = stairsHere ? r.y * c + c * 0.85 : cy + c * 0.35;
    if (stairsHere && r.shape !== undefined) {
      // a cave's top row may be rock: write the number where the ASCII map does
      const [lx, ly] = labelCell(r);
      tx = (lx + String(r.number).length / 2) * c;
      ty = ly * c + c * 0.85;
    }
    const rating = r.contents.encounter?.rating;
    const fill = rating ? DIFFICULTY_COLOURS[rating] : INK;
    parts.push(
      `<text x="${tx}" y="${ty}" font-size="${c * 0.9}" font-family="serif" font-weight="bold" text-anchor="middle" fill="${fill}" stroke="#fff" stroke-width="${c * 0.12}" paint-order="stroke">${r.number}</text>`,
    );
  }
  parts.push('</g>');
  // legend
  const ly = top + mapH + 20;
  let lx = ox;
  parts.push(`<g font-family="sans-serif" font-size="12" fill="${INK}">`);
  for (const type of LEGEND_DOORS) {
    parts.push(
      `<rect x="${lx}" y="${ly}" width="${c}" height="${c}" fill="#fff" stroke="${INK}" stroke-width="1"/>`,
      doorSymbol(type, lx + c / 2, ly + c / 2, c, false),
      `<text x="${lx + c + 4}" y="${ly + c * 0.7}">${type}</text>`,
    );
    lx += c + 12 + type.length * 7;
  }
  for (const dir of ['up', 'down'] as const) {
    parts.push(
      `<rect x="${lx}" y="${ly}" width="${c}" height="${c}" fill="#fff" stroke="${INK}" stroke-width="1"/>`,
      stairsSymbol(dir, lx, ly, c),
      `<text x="${lx + c + 4}" y="${ly + c * 0.7}">stairs ${dir}</text>`,
    );
    lx += c + 70;
  }
  // second legend row: marks and the difficulty colours of inhabited rooms
  lx = ox;
  const ly2 = ly + c + 12;
  for (const kind of ['trap', 'feature'] as const) {
    parts.push(
      `<rect x="${lx}" y="${ly2}" width="${c}" height="${c}" fill="#fff" stroke="${INK}" stroke-width="1"/>`,
      markSymbol(kind, lx, ly2, c),
      `<text x="${lx + c + 4}" y="${ly2 + c * 0.7}">${kind}</text>`,
    );
    lx += c + 12 + kind.length * 7;
  }
  parts.push(`<text x="${lx}" y="${ly2 + c * 0.7}">inhabited rooms:</text>`);
  lx += 104;
  for (const [rating, colour] of Object.entries(DIFFICULTY_COLOURS)) {
    parts.push(
      `<text x="${lx}" y="${ly2 + c * 0.75}" font-family="serif" font-weight="bold" font-size="${c * 0.9}" fill="${colour}">7</text>`,
      `<text x="${lx + c * 0.7}" y="${ly2 + c * 0.7}">${rating}</text>`,
    );
    lx += c + 12 + rating.length * 7;
  }
  parts.push(`</g>`, '</svg>');
  return parts.join('\n') + '\n';
}
