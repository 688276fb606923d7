/** World Designer: world.dungeon.generate (see wed.ts). */
import { createRng } from '../core/rng.ts';
import type { RequestMessage } from '../contracts/bus/envelope.ts';
import { generateDungeon } from '../generators/dungeon/index.ts';
import type { Dungeon, DungeonOptions, DungeonSize } from '../generators/dungeon/types.ts';
import { seedFromKey, type HandlerTable } from './runtime.ts';
import { dungeonBatch, dungeonName, storeBatch } from './wed.ts';

type DungeonPayload = RequestMessage<'world.dungeon.generate'>['payload'];

function dungeonOptionsOf(p: DungeonPayload): DungeonOptions {
  return {
    level: p.level ?? Math.min(10, p.party_level ?? 1),
    ...(p.rooms === undefined ? {} : { rooms: p.rooms }),
    ...(p.size === undefined ? {} : { size: p.size as DungeonSize }),
    ...(p.party_level === undefined ? {} : { partyLevel: p.party_level }),
    ...(p.theme === undefined ? {} : { theme: p.theme }),
    ...(p.party_size === undefined ? {} : { partySize: p.party_size }),
    ...(p.key_rooms === undefined ? {} : { keyRooms: p.key_rooms }),
  };
}

export interface DungeonLocal {
  dungeon: Dungeon;
  id: string | null;
}

/** The full dungeon of an answered world.dungeon.generate run elsewhere (see npcLocalOf). */
export function dungeonLocalOf(payload: DungeonPayload, result: unknown): DungeonLocal {
  const r = result as { seed: number; id?: string };
  return {
    dungeon: generateDungeon(dungeonOptionsOf(payload), createRng(r.seed)),
    id: r.id ?? null,
  };
}

export const wedDungeonHandlers: HandlerTable = {
  'world.dungeon.generate': async (msg: RequestMessage<'world.dungeon.generate'>, ctx) => {
    const p = msg.payload;
    const seed = p.seed ?? seedFromKey(msg.idempotency_key);
    const d = generateDungeon(dungeonOptionsOf(p), createRng(seed));
    let id: string | undefined;
    if (p.save) id = (await storeBatch(ctx, msg, dungeonBatch(d)))[0];
    return {
      result: {
        ...(id === undefined ? {} : { id }),
        name: dungeonName(d),
        rooms: d.rooms.length,
        level: d.options.level,
        party_level: d.options.party_level,
        theme: d.options.theme,
        seed,
        dungeon: {
          schema_version: d.schema_version,
          generator: d.generator,
          theme: d.theme,
          width: d.width,
          height: d.height,
          totals: d.totals,
          difficulty: d.difficulty,
          rooms: d.rooms.map((r) => ({ number: r.number, description: r.description })),
        },
      },
      local: { dungeon: d, id: id ?? null } satisfies DungeonLocal,
    };
  },
};
