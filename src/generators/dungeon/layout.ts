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
/** widest map (cells) for dungeons of up to MAX_ASCII_ROOMS rooms: 96 + 2 of margin < 100 columns */
const MAX_WIDTH = 96;
const MAX_ASCII_ROOMS = 40;
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

/** the cost of a step, by what it enters (see findPath) */
const STEP_OLD_CORRIDOR = 1;
const STEP_NEW = 3;
/** a new cell beside an old corridor: corridors merge rather than run side by side */
const BESIDE_CORRIDOR = 2;
/** a new cell two cells from an old corridor: no parallel corridors a rock apart either */
const NEAR_CORRIDOR = 1;
/** a new cell beside a room's wall: corridors keep a cell of rock from walls they pass */
const BESIDE_WALL = 3;
/** a change of direction: corridors run straight and turn once or twice, never in staircases */
const TURN = 4;
const BUCKETS = 32; // more than the largest rise of a key: step cost (3 + 2 + 3 + 4) + 1 of heuristic

/** findPath's reusable arrays, sized for the map: per state, and per cell (the entry costs). */
interface PathScratch {
  dist: Int32Array;
  prev: Int32Array;
  /** the cost of stepping onto a rock cell, valid where `stamp` holds the current search */
  enter: Uint8Array;
  stamp: Int32Array;
  /** the number of the current search (the map changes between searches) */
  search: number;
}

/**
 * Cheapest path between two rock/corridor cells that never crosses a room or wall:
 * Dial's algorithm over (cell, direction of arrival) states. A step onto an old corridor
 * costs 1, onto new rock 3 (more beside an old corridor or a room wall), and every turn
 * costs more again, so corridors are orthogonal runs with few bends, never staircases.
 * Searches inside `box` (x0, y0, x1, y1 inclusive).
 */
function findPath(
  cells: Uint8Array,
  width: number,
  start: number,
  goal: number,
  box: [number, number, number, number],
  scratch: PathScratch,
): number[] | undefined {
  const [x0, y0, x1, y1] = box;
  const { dist, prev, enter, stamp } = scratch;
  // a rock cell's entry cost depends on the map and the goal only: computed once a search
  // (a cell is entered from up to 16 states), not on every step onto it
  const search = ++scratch.search;
  const touched: number[] = [];
  const buckets: number[][] = [];
  for (let i = 0; i < BUCKETS; i++) buckets.push([]);
  // A*: keys are cost so far + Manhattan distance to the goal (every step costs at least 1)
  const gx = goal % width;
  const gy = (goal - gx) / width;
  // state = cell * 4 + direction of arrival (0 +x, 1 -x, 2 +y, 3 -y)
  const sx = start % width;
  const h0 = Math.abs(sx - gx) + Math.abs((start - sx) / width - gy);
  for (let k = 0; k < 4; k++) {
    dist[start * 4 + k] = 0;
    prev[start * 4 + k] = -1;
    touched.push(start * 4 + k);
    buckets[h0 % BUCKETS]!.push(start * 4 + k);
  }
  let pending = 4;
  let d = h0;
  let found = -1;
  while (pending > 0 && found < 0) {
    const bucket = buckets[d % BUCKETS]!;
    while (bucket.length > 0) {
      const s = bucket.pop()!;
      pending--;
      const c = s >> 2;
      const cx = c % width;
      const cy = (c - cx) / width;
      const ds = dist[s]!;
      if (ds + Math.abs(cx - gx) + Math.abs(cy - gy) !== d) continue;
      if (c === goal) {
        found = s;
        break;
      }
      const dir = s & 3;
      for (let k = 0; k < 4; k++) {
        const nx = k === 0 ? cx + 1 : k === 1 ? cx - 1 : cx;
        const ny = k === 2 ? cy + 1 : k === 3 ? cy - 1 : cy;
        if (nx < x0 || nx > x1 || ny < y0 || ny > y1) continue;
        const n = ny * width + nx;
        const kind = cells[n]!;
        if (kind !== ROCK && kind !== CORRIDOR) continue;
        let cost = STEP_OLD_CORRIDOR;
        if (kind === ROCK && stamp[n] === search) cost = enter[n]!;
        else if (kind === ROCK) {
          cost = STEP_NEW;
          const e = cells[n + 1];
          const w = cells[n - 1];
          const so = cells[n + width];
          const no = cells[n - width];
          if (e === CORRIDOR || w === CORRIDOR || so === CORRIDOR || no === CORRIDOR)
            cost += BESIDE_CORRIDOR;
          else if (
            cells[n + 2] === CORRIDOR ||
            cells[n - 2] === CORRIDOR ||
            cells[n + 2 * width] === CORRIDOR ||
            cells[n - 2 * width] === CORRIDOR
          )
            cost += NEAR_CORRIDOR;
          if (n !== goal && (e === WALL || w === WALL || so === WALL || no === WALL))
            cost += BESIDE_WALL;
          enter[n] = cost;
          stamp[n] = search;
        }
        if (c !== start && k !== dir) cost += TURN;
        const ns = n * 4 + k;
        const nd = ds + cost;
        if (dist[ns] === -1 || nd < dist[ns]!) {
          if (dist[ns] === -1) touched.push(ns);
          dist[ns] = nd;
          prev[ns] = s;
          buckets[(nd + Math.abs(nx - gx) + Math.abs(ny - gy)) % BUCKETS]!.push(ns);
          pending++;
        }
      }
    }
    d++;
  }
  let path: number[] | undefined;
  if (found >= 0) {
    path = [];
    for (let s = found; s !== -1; s = prev[s]!) path.push(s >> 2);
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
  doorTable: string,
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
  const scratch: PathScratch = {
    dist: new Int32Array(width * height * 4).fill(-1),
    prev: new Int32Array(width * height * 4),
    enter: new Uint8Array(width * height),
    stamp: new Int32Array(width * height),
    search: 0,
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
      type: roller.roll(doorTable) as DoorType,
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
export function generateLayout(
  count: number,
  rng: Rng,
  roller: TableRoller,
  options: { caves?: boolean } = {},
): Layout {
  const caves = options.caves === true;
  let side = Math.ceil(Math.sqrt(count * 130)) + 6;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // up to MAX_ASCII_ROOMS rooms the map grows downwards past MAX_WIDTH cells, so that the
    // ASCII map (one character a cell) fits a 100-column terminal
    const wide = Math.round(side * 1.4);
    const width = count <= MAX_ASCII_ROOMS ? Math.min(wide, MAX_WIDTH) : wide;
    const height = Math.ceil((side * wide) / width);
    const mark = roller.log.length;
    const layout = tryLayout(
      count,
      width,
      height,
      rng,
      roller,
      caves ? 'cave_opening' : 'door_type',
    );
    if (
      layout &&
      layout.checks.no_overlap &&
      layout.checks.all_reachable &&
      layout.checks.doors_valid
    ) {
      const cropped = cropLayout(layout);
      return caves ? shapeCaves(cropped, rng) : cropped;
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

/**
 * Natural caves: each room's rectangle becomes an irregular blob (floor likelier near the
 * middle, one smoothing pass of the 3×3 majority rule, the cells inside doors and under
 * stairs kept open and joined to the middle), and passages get ragged side pockets. The
 * shape is recorded per room (`shape`, rows of '.' floor and '#' rock) and the pockets per
 * corridor (`extra_cells`), so the map can be rebuilt from the JSON.
 */
function shapeCaves(layout: Layout, rng: Rng): Layout {
  const { width, cells } = layout;
  const rooms = layout.rooms.map((r) => {
    const { w, h } = r;
    const floor = new Uint8Array(w * h);
    const cx = (w - 1) / 2;
    const cy = (h - 1) / 2;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const dx = (x - cx) / (w / 2);
        const dy = (y - cy) / (h / 2);
        floor[y * w + x] = dx * dx + dy * dy < 0.45 + rng.int(0, 70) / 100 ? 1 : 0;
      }
    }
    const smooth = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let n = 0;
        for (let j = -1; j <= 1; j++)
          for (let i = -1; i <= 1; i++) {
            const xx = x + i;
            const yy = y + j;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h) n += floor[yy * w + xx]!;
          }
        smooth[y * w + x] = n >= 5 ? 1 : 0;
      }
    }
    // cells that must stay open: the middle, inside each door, under stairs
    const [mx, my] = [Math.floor(w / 2), Math.floor(h / 2)];
    const required: [number, number][] = [[mx, my]];
    for (const e of r.exits) {
      const [ox, oy] = OUTWARD[e.wall];
      required.push([e.x - ox - r.x, e.y - oy - r.y]);
    }
    for (const st of layout.stairs) if (st.room === r.id) required.push([st.x - r.x, st.y - r.y]);
    for (const [x, y] of required) {
      // an L-shaped cut from the middle to the required cell
      let px = mx;
      let py = my;
      smooth[py * w + px] = 1;
      while (px !== x) {
        px += Math.sign(x - px);
        smooth[py * w + px] = 1;
      }
      while (py !== y) {
        py += Math.sign(y - py);
        smooth[py * w + px] = 1;
      }
    }
    // keep only the floor joined to the middle
    const seen = new Uint8Array(w * h);
    const stack = [my * w + mx];
    seen[my * w + mx] = 1;
    while (stack.length > 0) {
      const c = stack.pop()!;
      const x = c % w;
      const y = (c - x) / w;
      for (const [nx, ny] of [
        [x + 1, y],
        [x - 1, y],
        [x, y + 1],
        [x, y - 1],
      ] as const) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const n = ny * w + nx;
        if (seen[n] || !smooth[n]) continue;
        seen[n] = 1;
        stack.push(n);
      }
    }
    const shape: string[] = [];
    for (let y = 0; y < h; y++) {
      let row = '';
      for (let x = 0; x < w; x++) {
        const open = seen[y * w + x] === 1;
        row += open ? '.' : '#';
        if (!open) cells[(r.y + y) * width + r.x + x] = WALL;
      }
      shape.push(row);
    }
    return { ...r, shape };
  });
  // ragged passages: now and then a pocket of rock beside a passage is dug out, where it
  // touches nothing but rock and that passage
  const corridors = layout.corridors.map((c) => {
    const extra: [number, number][] = [];
    for (let i = 1; i < c.path.length; i++) {
      const [ax, ay] = c.path[i - 1]!;
      const [bx, by] = c.path[i]!;
      const steps = Math.abs(bx - ax) + Math.abs(by - ay);
      const horizontal = ay === by;
      for (let k = 1; k < steps; k++) {
        if (rng.die(4) !== 1) continue;
        const x = ax + Math.sign(bx - ax) * k;
        const y = ay + Math.sign(by - ay) * k;
        const side = rng.die(2) === 1 ? 1 : -1;
        const px = horizontal ? x : x + side;
        const py = horizontal ? y + side : y;
        if (px < 1 || py < 1 || px >= width - 1 || py >= layout.height - 1) continue;
        if (cells[py * width + px] !== ROCK) continue;
        let clear = true;
        for (let j = -1; j <= 1 && clear; j++)
          for (let i2 = -1; i2 <= 1 && clear; i2++) {
            const k2 = cells[(py + j) * width + px + i2];
            if (k2 === WALL || k2 === FLOOR || k2 === DOOR) clear = false;
          }
        if (!clear) continue;
        cells[py * width + px] = CORRIDOR;
        extra.push([px, py]);
      }
    }
    return extra.length > 0 ? { ...c, extra_cells: extra } : c;
  });
  return { ...layout, rooms, corridors };
}
