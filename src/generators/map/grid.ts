/** Rebuild the cell grid of a dungeon from its JSON (rooms, corridor paths, doors). */
import { CORRIDOR, DOOR, FLOOR, ROCK, WALL } from '../dungeon/layout.ts';
import type { Dungeon } from '../dungeon/types.ts';

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
        const inside = x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
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
  for (const door of d.doors) cells[door.y * width + door.x] = DOOR;
  return { width, height, cells, roomOf };
}
