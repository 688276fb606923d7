/** NDJSON lines for a dungeon event stream: one JSON object per line, layout first. */
import type { DungeonEvent } from '../dungeon/types.ts';

export function* toNdjson(events: Iterable<DungeonEvent>): Generator<string, void, undefined> {
  for (const event of events) yield JSON.stringify(event) + '\n';
}

export async function* toNdjsonAsync(
  events: AsyncIterable<DungeonEvent>,
): AsyncGenerator<string, void, undefined> {
  for await (const event of events) yield JSON.stringify(event) + '\n';
}
