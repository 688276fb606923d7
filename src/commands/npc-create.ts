import type { NpcLocal } from '../agents/wed-npc.ts';
import type { CommandContext } from '../core/context.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import type { Alignment } from '../contracts/bus/common.ts';
import {
  generateNpc,
  generateNpcs,
  npcRecord,
  resolveNpcOptions,
  withEntityId,
  type Npc,
} from '../generators/npc/index.ts';
import { ALIGNMENT_NAMES } from '../rules/npc.ts';
import { npcStatBlock } from '../generators/npc/stat-block.ts';
import type { CommandModule, CommandOutputs } from '../generated/types.ts';
import { lazy } from './_lazy.ts';

export const run: CommandModule<'npc.create'>['run'] = async (input, ctx) => {
  const seed = input.seed ?? randomSeed();
  const count = input.count ?? 1;
  const options = {
    ...(input.class === undefined ? {} : { class: input.class }),
    ...(input.dual === true ? { dual: true } : {}),
    ...(input.nwp === true ? { nwp: true } : {}),
    ...(input.level === undefined ? {} : { level: input.level }),
    ...(input.race === undefined ? {} : { race: input.race }),
    ...(input.alignment === undefined ? {} : { alignment: input.alignment }),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.gender === undefined ? {} : { gender: input.gender }),
    method: input.method ?? '3d6',
  };
  const save = input.save !== false;
  if (save && input.dryRun !== true) {
    // Saved NPCs go through the bus: the World Designer generates, the Scribe stores, and
    // the messages stay in the log. The options are checked (and canonicalised for the
    // message contract) before the database is touched.
    const r = resolveNpcOptions(options);
    const payload = {
      ...(r.className === undefined ? {} : { class: r.className }),
      ...(r.dual === true ? { dual: true } : {}),
      ...(input.nwp === true ? { nwp: true } : {}),
      ...(input.level === undefined ? {} : { level: input.level }),
      ...(r.race === undefined ? {} : { race: r.race }),
      ...(r.alignment === undefined
        ? {}
        : { alignment: ALIGNMENT_NAMES[r.alignment] as Alignment }),
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(r.gender === undefined ? {} : { gender: r.gender }),
      method: r.method,
      seed,
      count,
      save: true,
    };
    // loaded only here: --no-save stays in the fast lane without the bus and Zod
    const saved = await (await lazy(ctx, '_saved')).saveNpcs(input, ctx, payload);
    if ('queued' in saved) return queued(seed, count, saved.queued);
    const { local } = saved;
    return npcOutput(seed, count, local, ctx);
  }
  // one NPC uses the seed itself, so `--seed 7` reproduces it and its record says seed 7
  const npcs =
    count === 1
      ? [generateNpc(options, createRng(seed))]
      : generateNpcs(options, count, createRng(seed));
  // saving went through the bus above: what is left is a dry run's check
  if (save) {
    const { checkEntities } = await lazy(ctx, '_dry-run');
    const records = npcs.map((n) => ({ type: 'npc', ...npcRecord(n) }));
    await checkEntities(input, ctx, records, 'saving NPCs');
  }
  return {
    seed,
    count,
    saved: false,
    npcs: npcs.map((n) => ({ entity_id: null, ...n })),
  } as unknown as CommandOutputs['npc.create'];
};

/** What a saved `npc create` prints, from the generated NPCs and their entity ids. */
export function npcOutput(
  seed: number,
  count: number,
  local: NpcLocal,
  ctx: Pick<CommandContext, 'progress'>,
): CommandOutputs['npc.create'] {
  ctx.progress('saving NPCs', count, count);
  return {
    seed,
    count,
    saved: true,
    // a big saved batch's NPCs are views (src/generators/npc/views.ts): generated again
    // only when the output reads more than their summary line, one NPC at a time
    npcs:
      'views' in local
        ? local.views
        : local.npcs.map((n, i) => withEntityId(n, local.ids[i] ?? null)),
  } as unknown as CommandOutputs['npc.create'];
}

function queued(seed: number, count: number, correlationId: string): CommandOutputs['npc.create'] {
  return { seed, count, saved: false, queued: true, correlation_id: correlationId, npcs: [] };
}

export const text: CommandModule<'npc.create'>['text'] = (r) => {
  if (r.queued === true)
    return `queued world.npc.generate: correlation ${r.correlation_id}\na running \`dma worker\` carries it out; \`dma bus wait ${r.correlation_id}\` prints the NPCs`;
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
