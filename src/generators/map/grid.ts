/** Rebuild the cell grid of a dungeon from its JSON (rooms, corridor paths, doors). */
import { CORRIDOR, DOOR, FLOOR, ROCK, WALL } from '../dungeon/layout.ts';
import type { Dungeon, RoomLayout } from '../dungeon/types.ts';

export { CORRIDOR, DOOR, FLOOR, ROCK, WALL };

export interface DungeonGrid {
  width: number;
  height: number;
  /** row-major cell kinds */
  cells: Uint8Array;
  /** room number of each floor cell (0 elsewhere) */
  roomOf: Int32Array;
}

export function dungeonGrid(
  d: Pick<Dungeon, 'width' | 'height' | 'rooms' | 'corridors' | 'doors'>,
): DungeonGrid {
  const { width, height } = d;
  const cells = new Uint8Array(width * height);
  const roomOf = new Int32Array(width * height);
  for (const r of d.rooms) {
    for (let y = r.y - 1; y <= r.y + r.h; y++) {
      for (let x = r.x - 1; x <= r.x + r.w; x++) {
        const inside =
          x >= r.x &&
          x < r.x + r.w &&
          y >= r.y &&
          y < r.y + r.h &&
          (r.shape === undefined || r.shape[y - r.y]![x - r.x] === '.');
        cells[y * width + x] = inside ? FLOOR : WALL;
        if (inside) roomOf[y * width + x] = r.number;
      }
    }
  }
  for (const c of d.corridors) {
    for (let i = 1; i < c.path.length; i++) {
      const [ax, ay] = c.path[i - 1]!;
      const [bx, by] = c.path[i]!;
      const steps = Math.abs(bx - ax) + Math.abs(by - ay);
      for (let s = 0; s <= steps; s++) {
        const x = ax + Math.sign(bx - ax) * s;
        const y = ay + Math.sign(by - ay) * s;
        const k = y * width + x;
        if (cells[k] === ROCK || cells[k] === CORRIDOR) cells[k] = CORRIDOR;
      }
    }
  }
  for (const c of d.corridors)
    for (const [x, y] of c.extra_cells ?? []) cells[y * width + x] = CORRIDOR;
  for (const door of d.doors) cells[door.y * width + door.x] = DOOR;
  return { width, height, cells, roomOf };
}

/**
 * Where a room's number is written on a map: the first cell of the top row with room for
 * it (a cave's top row may be rock), else the room's middle.
 */
export function labelCell(r: RoomLayout): [number, number] {
  const label = String(r.number).length;
  if (r.shape === undefined) return [r.x, r.y];
  for (let y = 0; y < r.h; y++) {
    const at = r.shape[y]!.indexOf('.'.repeat(label));
    if (at >= 0) return [r.x + at, r.y + y];
  }
  return [r.x + Math.floor(r.w / 2), r.y + Math.floor(r.h / 2)];
}

export interface MapMark {
  kind: 'trap' | 'feature';
  x: number;
  y: number;
  /** room number or corridor id */
  where: string;
}

/** Traps and features with a place on the map (room traps, corridor traps, room features). */
export function mapMarks(d: Pick<Dungeon, 'rooms' | 'corridor_traps'>): MapMark[] {
  const marks: MapMark[] = [];
  for (const r of d.rooms) {
    const t = r.contents.trap;
    if (t?.x !== undefined && t.y !== undefined)
      marks.push({ kind: 'trap', x: t.x, y: t.y, where: String(r.number) });
    const f = r.contents.feature;
    if (f) marks.push({ kind: 'feature', x: f.x, y: f.y, where: String(r.number) });
  }
  for (const t of d.corridor_traps ?? [])
    marks.push({ kind: 'trap', x: t.x!, y: t.y!, where: t.corridor });
  return marks;
}
