/**
 * Dungeon layout on a grid of 10-ft cells: rooms that never overlap, corridors dug
 * between them, typed doors in room walls, stairs. The checks (no overlap, every room
 * reachable, doors valid) are computed from the finished grid, not assumed.
 *
 * Geometry: a room's interior is [x, x+w) × [y, y+h); its walls are the ring of cells
 * around the interior. Interiors keep at least MARGIN cells apart (wall, corridor
 * space, wall), and one cell of rock from the edge of the map outside their walls.
 */
import type { Rng } from '../../core/rng.ts';
import type { TableRoller } from '../tables.ts';
import type { Corridor, Door, DoorType, DungeonChecks, RoomLayout, Stairs, Wall } from './types.ts';

export const ROCK = 0;
export const FLOOR = 1;
export const WALL = 2;
export const CORRIDOR = 3;
export const DOOR = 4;

/** cells between two room interiors: wall, at least one cell for a corridor, wall */
const MARGIN = 3;
const MIN_W = 3;
const MAX_W = 8;
const MIN_H = 3;
const MAX_H = 7;
/** placement tries per room before the map is enlarged */
const PLACE_TRIES = 150;
/** enlargements before giving up (an iteration cap, not a time limit) */
const MAX_ATTEMPTS = 8;

export interface Layout {
  width: number;
  height: number;
  /** cell kinds, row-major (ROCK, FLOOR, WALL, CORRIDOR, DOOR) */
  cells: Uint8Array;
  rooms: RoomLayout[];
  corridors: Corridor[];
  doors: Door[];
  stairs: Stairs[];
  checks: DungeonChecks;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlapsWithMargin(a: Rect, b: Rect, margin: number): boolean {
  return (
    a.x < b.x + b.w + margin &&
    b.x < a.x + a.w + margin &&
    a.y < b.y + b.h + margin &&
    b.y < a.y + a.h + margin
  );
}

function center(r: Rect): [number, number] {
  return [r.x + Math.floor(r.w / 2), r.y + Math.floor(r.h / 2)];
}

function placeRooms(count: number, width: number, height: number, rng: Rng): Rect[] | undefined {
  const rects: Rect[] = [];
  for (let i = 0; i < count; i++) {
    let placed = false;
    for (let t = 0; t < PLACE_TRIES && !placed; t++) {
      const w = rng.int(MIN_W, MAX_W);
      const h = rng.int(MIN_H, MAX_H);
      const r = { x: rng.int(2, width - 2 - w), y: rng.int(2, height - 2 - h), w, h };
      if (rects.every((o) => !overlapsWithMargin(r, o, MARGIN))) {
        rects.push(r);
        placed = true;
      }
    }
    if (!placed) return undefined;
  }
  return rects;
}

/** Prim's minimum spanning tree over room centres (Manhattan distance), plus a few loops. */
function connections(rects: Rect[], rng: Rng): [number, number][] {
  const n = rects.length;
  const centres = rects.map(center);
  const dist = (a: number, b: number): number =>
    Math.abs(centres[a]![0] - centres[b]![0]) + Math.abs(centres[a]![1] - centres[b]![1]);
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const edges: [number, number][] = [];
  best[0] = 0;
  for (let k = 0; k < n; k++) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!inTree[i] && (u === -1 || best[i]! < best[u]!)) u = i;
    inTree[u] = 1;
    if (parent[u]! >= 0) edges.push([parent[u]!, u]);
    for (let v = 0; v < n; v++) {
      if (!inTree[v] && dist(u, v) < best[v]!) {
        best[v] = dist(u, v);
        parent[v] = u;
      }
    }
  }
  // loops: about one room in six also links to its nearest room it is not yet linked to
  const linked = new Set(edges.map(([a, b]) => `${Math.min(a, b)},${Math.max(a, b)}`));
  for (let a = 0; a < n; a++) {
    if (rng.die(6) !== 1) continue;
    let nearest = -1;
    for (let b = 0; b < n; b++) {
      if (b === a || linked.has(`${Math.min(a, b)},${Math.max(a, b)}`)) continue;
      if (nearest === -1 || dist(a, b) < dist(a, nearest)) nearest = b;
    }
    if (nearest === -1) continue;
    linked.add(`${Math.min(a, nearest)},${Math.max(a, nearest)}`);
    edges.push([a, nearest]);
  }
  return edges;
}

function facingWall(from: Rect, to: Rect): Wall {
  const [fx, fy] = center(from);
  const [tx, ty] = center(to);
  const dx = tx - fx;
  const dy = ty - fy;
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? 'east' : 'west';
  return dy >= 0 ? 'south' : 'north';
}

const OUTWARD: Record<Wall, [number, number]> = {
  north: [0, -1],
  south: [0, 1],
  east: [1, 0],
  west: [-1, 0],
};

/** the door cell for a wall: somewhere along it, never a corner */
function doorCell(r: Rect, wall: Wall, rng: Rng): [number, number] {
  switch (wall) {
    case 'north':
      return [rng.int(r.x, r.x + r.w - 1), r.y - 1];
    case 'south':
      return [rng.int(r.x, r.x + r.w - 1), r.y + r.h];
    case 'west':
      return [r.x - 1, rng.int(r.y, r.y + r.h - 1)];
    case 'east':
      return [r.x + r.w, rng.int(r.y, r.y + r.h - 1)];
  }
}

/**
 * Cheapest path between two rock/corridor cells that never crosses a room or wall:
 * Dial's algorithm, 1 per cell already dug, 3 per new cell (5 beside an old corridor),
 * so corridors merge rather than run side by side.
 * Searches inside `box` (x0, y0, x1, y1 inclusive).
 */
function findPath(
  cells: Uint8Array,
  width: number,
  start: number,
  goal: number,
  box: [number, number, number, number],
  scratch: { dist: Int32Array; prev: Int32Array },
): number[] | undefined {
  const [x0, y0, x1, y1] = box;
  const { dist, prev } = scratch;
  const touched: number[] = [];
  const buckets: number[][] = [[], [], [], [], [], []];
  dist[start] = 0;
  touched.push(start);
  buckets[0]!.push(start);
  let pending = 1;
  let d = 0;
  let found = false;
  while (pending > 0 && !found) {
    const bucket = buckets[d % 6]!;
    while (bucket.length > 0) {
      const c = bucket.pop()!;
      pending--;
      if (dist[c] !== d) continue;
      if (c === goal) {
        found = true;
        break;
      }
      const cx = c % width;
      const cy = (c - cx) / width;
      // try the direction we came in first: on equal cost the straighter path wins
      const step = c === start ? 1 : c - prev[c]!;
      const first = step === 1 ? 0 : step === -1 ? 1 : step === width ? 2 : 3;
      for (let j = 0; j < 4; j++) {
        const k = (first + j) % 4;
        const nx = k === 0 ? cx + 1 : k === 1 ? cx - 1 : cx;
        const ny = k === 2 ? cy + 1 : k === 3 ? cy - 1 : cy;
        if (nx < x0 || nx > x1 || ny < y0 || ny > y1) continue;
        const n = ny * width + nx;
        const kind = cells[n]!;
        if (kind !== ROCK && kind !== CORRIDOR) continue;
        // a new cell beside an old corridor costs more, so corridors do not run side by side
        const nd =
          d +
          (kind === CORRIDOR
            ? 1
            : cells[n + 1] === CORRIDOR ||
                cells[n - 1] === CORRIDOR ||
                cells[n + width] === CORRIDOR ||
                cells[n - width] === CORRIDOR
              ? 5
              : 3);
        if (dist[n] === -1 || nd < dist[n]!) {
          if (dist[n] === -1) touched.push(n);
          dist[n] = nd;
          prev[n] = c;
          buckets[nd % 6]!.push(n);
          pending++;
        }
      }
    }
    d++;
  }
  let path: number[] | undefined;
  if (found) {
    path = [];
    for (let c = goal; c !== start; c = prev[c]!) path.push(c);
    path.push(start);
    path.reverse();
  }
  for (const t of touched) dist[t] = -1;
  return path;
}

/** corner points of a 4-connected cell path */
function corners(path: number[], width: number): [number, number][] {
  const pts = path.map((c): [number, number] => [c % width, Math.floor(c / width)]);
  const out: [number, number][] = [pts[0]!];
  for (let i = 1; i < pts.length - 1; i++) {
    const [ax, ay] = pts[i - 1]!;
    const [bx, by] = pts[i]!;
    const [cx, cy] = pts[i + 1]!;
    if (bx - ax !== cx - bx || by - ay !== cy - by) out.push(pts[i]!);
  }
  if (pts.length > 1) out.push(pts[pts.length - 1]!);
  return out;
}

function tryLayout(
  count: number,
  width: number,
  height: number,
  rng: Rng,
  roller: TableRoller,
): Layout | undefined {
  const placed = placeRooms(count, width, height, rng);
  if (!placed) return undefined;
  // number rooms in reading order (top to bottom, left to right); room 1 is the entrance
  const rects = [...placed].sort((a, b) => a.y - b.y || a.x - b.x);
  const cells = new Uint8Array(width * height);
  const owner = new Int32Array(width * height).fill(-1);
  rects.forEach((r, i) => {
    for (let y = r.y - 1; y <= r.y + r.h; y++) {
      for (let x = r.x - 1; x <= r.x + r.w; x++) {
        const inside = x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
        cells[y * width + x] = inside ? FLOOR : WALL;
        owner[y * width + x] = i;
      }
    }
  });
  const rooms: RoomLayout[] = rects.map((r, i) => ({
    id: `R${i + 1}`,
    number: i + 1,
    ...r,
    exits: [],
  }));
  const doors: Door[] = [];
  const doorOnWall = new Map<string, Door>();
  const corridors: Corridor[] = [];
  const scratch = {
    dist: new Int32Array(width * height).fill(-1),
    prev: new Int32Array(width * height),
  };

  const doorFor = (i: number, wall: Wall): Door => {
    const key = `${i}:${wall}`;
    const existing = doorOnWall.get(key);
    if (existing) return existing;
    const [x, y] = doorCell(rects[i]!, wall, rng);
    const door: Door = {
      id: `D${doors.length + 1}`,
      room: rooms[i]!.id,
      wall,
      x,
      y,
      type: roller.roll('door_type') as DoorType,
    };
    doors.push(door);
    doorOnWall.set(key, door);
    cells[y * width + x] = DOOR;
    return door;
  };

  for (const [a, b] of connections(rects, rng)) {
    const ra = rects[a]!;
    const rb = rects[b]!;
    const da = doorFor(a, facingWall(ra, rb));
    const db = doorFor(b, facingWall(rb, ra));
    const [oax, oay] = OUTWARD[da.wall];
    const [obx, oby] = OUTWARD[db.wall];
    const start = (da.y + oay) * width + (da.x + oax);
    const goal = (db.y + oby) * width + (db.x + obx);
    const pad = 8;
    const box: [number, number, number, number] = [
      Math.max(0, Math.min(da.x, db.x) - pad),
      Math.max(0, Math.min(da.y, db.y) - pad),
      Math.min(width - 1, Math.max(da.x, db.x) + pad),
      Math.min(height - 1, Math.max(da.y, db.y) + pad),
    ];
    const path =
      findPath(cells, width, start, goal, box, scratch) ??
      findPath(cells, width, start, goal, [0, 0, width - 1, height - 1], scratch);
    if (!path) return undefined;
    let newCells = 0;
    for (const c of path) {
      if (cells[c] === ROCK) newCells++;
      cells[c] = CORRIDOR;
    }
    const id = `C${corridors.length + 1}`;
    corridors.push({
      id,
      from: rooms[a]!.id,
      to: rooms[b]!.id,
      path: corners([da.y * width + da.x, ...path, db.y * width + db.x], width),
      new_cells: newCells,
    });
    rooms[a]!.exits.push({
      wall: da.wall,
      x: da.x,
      y: da.y,
      door: da.type,
      door_id: da.id,
      to: rooms[b]!.id,
    });
    rooms[b]!.exits.push({
      wall: db.wall,
      x: db.x,
      y: db.y,
      door: db.type,
      door_id: db.id,
      to: rooms[a]!.id,
    });
  }

  const reach = distancesFrom(cells, width, height, center(rects[0]!));
  const stairs = placeStairs(rects, rooms, reach, width);
  const checks: DungeonChecks = {
    no_overlap: checkNoOverlap(rooms),
    all_reachable: rects.every((r) => reach[center(r)[1] * width + center(r)[0]]! >= 0),
    doors_valid: doors.every((d) => doorIsValid(d, rooms, cells, width, height)),
  };
  return { width, height, cells, rooms, corridors, doors, stairs, checks };
}

/** Walking distance in cells from `from` to every cell (-1 where unreachable); doors of any kind pass. */
export function distancesFrom(
  cells: Uint8Array,
  width: number,
  height: number,
  from: [number, number],
): Int32Array {
  const dist = new Int32Array(width * height).fill(-1);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  const s = from[1] * width + from[0];
  dist[s] = 0;
  queue[tail++] = s;
  while (head < tail) {
    const c = queue[head++]!;
    const cx = c % width;
    const cy = (c - cx) / width;
    const neighbours = [
      cx + 1 < width ? c + 1 : -1,
      cx > 0 ? c - 1 : -1,
      cy + 1 < height ? c + width : -1,
      cy > 0 ? c - width : -1,
    ];
    for (const n of neighbours) {
      if (n < 0 || dist[n] !== -1) continue;
      const kind = cells[n];
      if (kind === FLOOR || kind === CORRIDOR || kind === DOOR) {
        dist[n] = dist[c]! + 1;
        queue[tail++] = n;
      }
    }
  }
  return dist;
}

function placeStairs(
  rects: Rect[],
  rooms: RoomLayout[],
  reach: Int32Array,
  width: number,
): Stairs[] {
  const first = rects[0]!;
  const [ux, uy] = center(first);
  if (rects.length === 1) {
    // one room: up stairs at the centre, down stairs beside it (rooms are at least 3 wide)
    const dx = ux + 1 < first.x + first.w ? ux + 1 : ux - 1;
    return [
      { direction: 'up', room: rooms[0]!.id, x: ux, y: uy },
      { direction: 'down', room: rooms[0]!.id, x: dx, y: uy },
    ];
  }
  // down stairs in the room farthest to walk from the entrance (lowest number on a tie)
  let far = 1;
  for (let i = 1; i < rects.length; i++) {
    const [cx, cy] = center(rects[i]!);
    const [fx, fy] = center(rects[far]!);
    if (reach[cy * width + cx]! > reach[fy * width + fx]!) far = i;
  }
  const [dx, dy] = center(rects[far]!);
  return [
    { direction: 'up', room: rooms[0]!.id, x: ux, y: uy },
    { direction: 'down', room: rooms[far]!.id, x: dx, y: dy },
  ];
}

/** No two rooms share a cell, walls included (interiors expanded by their wall ring). */
export function checkNoOverlap(rooms: readonly Rect[]): boolean {
  for (let i = 0; i < rooms.length; i++) {
    for (let j = i + 1; j < rooms.length; j++) {
      const a = rooms[i]!;
      const b = rooms[j]!;
      if (
        overlapsWithMargin(
          { x: a.x - 1, y: a.y - 1, w: a.w + 2, h: a.h + 2 },
          { x: b.x - 1, y: b.y - 1, w: b.w + 2, h: b.h + 2 },
          0,
        )
      ) {
        return false;
      }
    }
  }
  return true;
}

/**
 * A door is valid when it stands in a wall of its room (not a corner), the cell inside
 * it is the room's floor, and the cell outside is corridor, floor or another door.
 */
export function doorIsValid(
  door: Door,
  rooms: readonly RoomLayout[],
  cells: Uint8Array,
  width: number,
  height: number,
): boolean {
  const r = rooms.find((room) => room.id === door.room);
  if (!r) return false;
  const alongX = door.x >= r.x && door.x < r.x + r.w;
  const alongY = door.y >= r.y && door.y < r.y + r.h;
  const onWall =
    (door.wall === 'north' && door.y === r.y - 1 && alongX) ||
    (door.wall === 'south' && door.y === r.y + r.h && alongX) ||
    (door.wall === 'west' && door.x === r.x - 1 && alongY) ||
    (door.wall === 'east' && door.x === r.x + r.w && alongY);
  if (!onWall) return false;
  const [ox, oy] = OUTWARD[door.wall];
  const inside = [door.x - ox, door.y - oy] as const;
  const outside = [door.x + ox, door.y + oy] as const;
  if (outside[0] < 0 || outside[1] < 0 || outside[0] >= width || outside[1] >= height) return false;
  const inKind = cells[inside[1] * width + inside[0]];
  const outKind = cells[outside[1] * width + outside[0]];
  return (
    cells[door.y * width + door.x] === DOOR &&
    inKind === FLOOR &&
    (outKind === CORRIDOR || outKind === FLOOR || outKind === DOOR)
  );
}

/**
 * Lay out `count` rooms. The map starts at about 130 cells per room and grows by a
 * sixth whenever the rooms do not fit or a check fails, at most MAX_ATTEMPTS times.
 */
export function generateLayout(count: number, rng: Rng, roller: TableRoller): Layout {
  let side = Math.ceil(Math.sqrt(count * 130)) + 6;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const width = Math.round(side * 1.4);
    const height = side;
    const mark = roller.log.length;
    const layout = tryLayout(count, width, height, rng, roller);
    if (
      layout &&
      layout.checks.no_overlap &&
      layout.checks.all_reachable &&
      layout.checks.doors_valid
    ) {
      return cropLayout(layout);
    }
    roller.log.length = mark; // the door rolls of a discarded map are not part of the dungeon
    side = Math.ceil(side * 1.17);
  }
  throw new Error(`could not lay out ${count} rooms in ${MAX_ATTEMPTS} attempts`);
}

/** Cut the map down to what was built plus one cell of rock on each side. */
function cropLayout(layout: Layout): Layout {
  const { width, height, cells } = layout;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (cells[y * width + x] === ROCK) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const dx = Math.max(0, x0 - 1);
  const dy = Math.max(0, y0 - 1);
  const w = Math.min(width, x1 + 2) - dx;
  const h = Math.min(height, y1 + 2) - dy;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    out.set(cells.subarray((y + dy) * width + dx, (y + dy) * width + dx + w), y * w);
  return {
    width: w,
    height: h,
    cells: out,
    rooms: layout.rooms.map((r) => ({
      ...r,
      x: r.x - dx,
      y: r.y - dy,
      exits: r.exits.map((e) => ({ ...e, x: e.x - dx, y: e.y - dy })),
    })),
    corridors: layout.corridors.map((c) => ({
      ...c,
      path: c.path.map(([x, y]): [number, number] => [x - dx, y - dy]),
    })),
    doors: layout.doors.map((d) => ({ ...d, x: d.x - dx, y: d.y - dy })),
    stairs: layout.stairs.map((s) => ({ ...s, x: s.x - dx, y: s.y - dy })),
    checks: layout.checks,
  };
}
