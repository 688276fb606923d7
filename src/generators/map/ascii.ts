/** ASCII map: one character per 10-ft cell, doors by type, room numbers, stairs. */
import type { Dungeon, DoorType } from '../dungeon/types.ts';
import { CORRIDOR, DOOR, FLOOR, WALL, dungeonGrid, labelCell, mapMarks } from './grid.ts';

export const ASCII_DOOR_SYMBOLS: Readonly<Record<DoorType, string>> = {
  open: "'",
  wooden: '+',
  locked: 'L',
  stuck: '=',
  trapped: 'T',
  secret: 'S',
  portcullis: 'P',
};

export const ASCII_LEGEND =
  "# wall  . floor  , corridor  ' open  + wooden  L locked  = stuck  T trapped door\n" +
  'S secret  P portcullis  < up  > down  ^ trap  * feature';

/** Render the map as lines of text, a title line first and the legend last. */
export function renderAsciiMap(d: Dungeon, options: { legend?: boolean } = {}): string {
  const { width, height, cells } = dungeonGrid(d);
  // the open cells (floor, corridor, door) in a grid with a closed border one cell wide, so
  // that a cell's eight neighbours are read without bounds checks
  const stride = width + 2;
  const open = new Uint8Array(stride * (height + 2));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const k = cells[y * width + x];
      if (k === FLOOR || k === CORRIDOR || k === DOOR) open[(y + 1) * stride + x + 1] = 1;
    }
  const chars: string[][] = [];
  for (let y = 0; y < height; y++) {
    const row: string[] = [];
    for (let x = 0; x < width; x++) {
      const kind = cells[y * width + x];
      // a wall is drawn where it faces an open cell (the rock inside a cave stays blank)
      const c = (y + 1) * stride + x + 1;
      const wall =
        kind === WALL &&
        (open[c - stride - 1]! |
          open[c - stride]! |
          open[c - stride + 1]! |
          open[c - 1]! |
          open[c + 1]! |
          open[c + stride - 1]! |
          open[c + stride]! |
          open[c + stride + 1]!) !==
          0;
      row.push(
        kind === FLOOR ? '.' : wall ? '#' : kind === CORRIDOR ? ',' : kind === DOOR ? '?' : ' ',
      );
    }
    chars.push(row);
  }
  for (const door of d.doors) chars[door.y]![door.x] = ASCII_DOOR_SYMBOLS[door.type];
  for (const m of mapMarks(d)) {
    const row = chars[m.y];
    if (row && (row[m.x] === '.' || row[m.x] === ',')) row[m.x] = m.kind === 'trap' ? '^' : '*';
  }
  for (const r of d.rooms) {
    const label = String(r.number);
    const [lx, ly] = labelCell(r);
    for (let i = 0; i < label.length; i++) chars[ly]![lx + i] = label[i]!;
  }
  for (const s of d.stairs) chars[s.y]![s.x] = s.direction === 'up' ? '<' : '>';
  const lines = chars.map((row) => row.join('').trimEnd());
  const title = `Dungeon level ${d.options.level}, ${d.theme.name} (seed ${d.seed}, ${d.rooms.length} rooms, 1 square = 10 ft)`;
  return (
    [title, ...lines, ...(options.legend === false ? [] : ['', ASCII_LEGEND])].join('\n') + '\n'
  );
}
