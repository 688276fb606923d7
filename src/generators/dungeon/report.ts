/** The text report of a dungeon: header, ASCII map and room key (pure). */
import { renderAsciiMap, renderRoomKey } from '../map/index.ts';
import type { Dungeon } from './types.ts';

export function dungeonReport(d: Dungeon, entityId: string | null): string {
  const saved = entityId
    ? `Saved to the campaign as dungeon ${entityId} (dma dungeon show ${entityId}).`
    : 'Not saved (reproduce it with the same --seed and options).';
  return [renderAsciiMap(d, { legend: true }), '', renderRoomKey(d), '', saved].join('\n');
}
