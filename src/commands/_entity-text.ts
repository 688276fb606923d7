/**
 * A stored entity as `dma ask` prints it: an NPC as its stat block, anything else as
 * `entity show` does (`lazy(ctx, '_entity-text')`, only for an entity.retrieve answer).
 */
import { npcStatBlock } from '../generators/npc/stat-block.ts';
import { entityText } from '../store/render.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

export function storedEntityText(e: Rec): string {
  const data = isRec(e['data']) ? e['data'] : {};
  if (e['type'] === 'npc' && Array.isArray(data['weapons']) && isRec(data['saves'])) {
    return npcStatBlock({ ...(data as Rec), name: String(e['name']) } as never, String(e['id']));
  }
  return entityText(e as never);
}
