/**
 * `--dry-run` of `npc create` and `dungeon gen`: what would be saved, checked against the
 * campaign's store and written nowhere (no bus messages either). Its own module, loaded by
 * src/cli only for a dry run (`lazy(ctx, '_dry-run')`), so `--no-save` never loads the store.
 */
import type { CommandContext } from '../core/context.ts';
import { dungeonBatch } from '../agents/wed.ts';
import type { Dungeon } from '../generators/dungeon/types.ts';
import { saveBundle } from '../store/bundle.ts';
import { withCampaign } from '../store/open.ts';
import type { NewEntity } from '../store/types.ts';

type Target = { db?: string | undefined; campaign?: string | undefined };

export const checkEntities = (
  input: Target,
  ctx: CommandContext,
  entities: readonly NewEntity[],
  label: string,
): Promise<unknown> =>
  withCampaign(input, ctx, 'dry-run', (store) =>
    store.createMany(entities, {
      dryRun: true,
      onProgress: (p) => ctx.progress(label, p.done, p.total),
    }),
  );

export function checkDungeon(
  input: Target,
  ctx: CommandContext,
  dungeon: Dungeon,
): Promise<unknown> {
  const batch = dungeonBatch(dungeon);
  return withCampaign(input, ctx, 'dry-run', (store) =>
    saveBundle(store, batch.entities, batch.links, { now: ctx.now(), dryRun: true }),
  );
}
