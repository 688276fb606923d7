/** Renderers of a generated dungeon: ASCII, SVG, PNG (lazy), room key, One Page Dungeon JSON, NDJSON. */
export { ASCII_DOOR_SYMBOLS, ASCII_LEGEND, renderAsciiMap } from './ascii.ts';
export { dungeonGrid, type DungeonGrid } from './grid.ts';
export { renderRoomEntry, renderRoomKey } from './key.ts';
export { toNdjson, toNdjsonAsync } from './ndjson.ts';
export { renderPngMap, type PngOptions } from './png.ts';
export { renderSvgMap, type SvgOptions } from './svg.ts';
export { toWatabou, WATABOU_DOOR_TYPES, type WatabouDungeon } from './watabou.ts';
