import { createRng, randomSeed } from '../core/rng.ts';
import { generateNpc, generateNpcs, npcRecord, type Npc } from '../generators/npc/index.ts';
import { npcStatBlock } from '../generators/npc/stat-block.ts';
import type { CommandModule, CommandOutputs } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'npc.create'>['run'] = async (input, ctx) => {
  const seed = input.seed ?? randomSeed();
  const count = input.count ?? 1;
  const options = {
    ...(input.class === undefined ? {} : { class: input.class }),
    ...(input.level === undefined ? {} : { level: input.level }),
    ...(input.race === undefined ? {} : { race: input.race }),
    ...(input.alignment === undefined ? {} : { alignment: input.alignment }),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.gender === undefined ? {} : { gender: input.gender }),
    method: input.method ?? '3d6',
  };
  // one NPC uses the seed itself, so `--seed 7` reproduces it and its record says seed 7
  const npcs =
    count === 1
      ? [generateNpc(options, createRng(seed))]
      : generateNpcs(options, count, createRng(seed));
  let ids: (string | null)[] = npcs.map(() => null);
  const save = input.save !== false;
  if (save) {
    const dryRun = input.dryRun === true;
    ids = await withCampaign(input, ctx, dryRun ? 'dry-run' : 'write', (store) => {
      const created = store.createMany(
        npcs.map((n) => ({ type: 'npc', ...npcRecord(n) })),
        { dryRun, onProgress: (p) => ctx.progress('saving NPCs', p.done, p.total) },
      );
      return created.map((e) => (dryRun ? null : e.id));
    });
  }
  return {
    seed,
    count,
    saved: save && input.dryRun !== true,
    npcs: npcs.map((n, i) => ({ entity_id: ids[i] ?? null, ...n })),
  } as unknown as CommandOutputs['npc.create'];
};

export const text: CommandModule<'npc.create'>['text'] = (r) => {
  const npcs = r.npcs as unknown as (Npc & { entity_id: string | null })[];
  if (npcs.length === 1) return npcStatBlock(npcs[0]!, npcs[0]!.entity_id);
  const lines = npcs.map(
    (n) =>
      `${n.entity_id ?? '(not saved)'}  ${n.name} — ${n.race} ${n.class} ${n.level}, AC ${n.armor_class}, HP ${n.hit_points}`,
  );
  return [
    ...lines.slice(0, 50),
    ...(npcs.length > 50 ? [`… and ${npcs.length - 50} more (--json for all)`] : []),
  ].join('\n');
};
