import { UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import {
  generateDungeon,
  resolveDungeonOptions,
  streamDungeon,
  type Dungeon,
  type DungeonOptions,
  type DungeonSize,
} from '../generators/dungeon/index.ts';
import { dungeonReport } from '../generators/dungeon/report.ts';
import { renderAsciiMap, renderSvgMap, toNdjson, toWatabou } from '../generators/map/index.ts';
import type { CommandInputs, CommandModule, CommandOutputs } from '../generated/types.ts';
import { saveBundle } from '../store/bundle.ts';
import { withCampaign } from '../store/open.ts';

type Input = CommandInputs['dungeon.gen'];

/** What stdout (or --output) carries besides the data document, by option. */
export function rawDungeonOutput(
  d: Dungeon,
  input: Pick<Input, 'map' | 'stream' | 'export'>,
  stream?: unknown[],
): string | undefined {
  if (input.stream) return [...toNdjson((stream ?? []) as never)].join('');
  if (input.export === 'watabou') return JSON.stringify(toWatabou(d), null, 2) + '\n';
  if (input.map === 'svg') return renderSvgMap(d);
  if (input.map === 'ascii') return renderAsciiMap(d, { legend: true });
  return undefined;
}

/** A PNG map, rendered only when the sink asks for it (resvg is loaded then). */
export async function* pngMap(d: Dungeon): AsyncGenerator<Uint8Array> {
  const { renderPngMap } = await import('../generators/map/png.ts');
  yield await renderPngMap(d);
}

export const run: CommandModule<'dungeon.gen'>['run'] = async (input, ctx) => {
  if (input.map === 'png' && input.output === undefined) {
    throw new UsageError('a PNG map needs --output <file.png>');
  }
  const exclusive = [
    input.map && '--map',
    input.stream && '--stream',
    input.export && '--export',
  ].filter(Boolean);
  if (exclusive.length > 1) throw new UsageError(`${exclusive.join(' and ')} cannot be combined`);
  const seed = input.seed ?? randomSeed();
  const options: DungeonOptions = {
    level: input.level ?? 1,
    ...(input.rooms === undefined ? {} : { rooms: input.rooms }),
    ...(input.size === undefined ? {} : { size: input.size as DungeonSize }),
    ...(input.partyLevel === undefined ? {} : { partyLevel: input.partyLevel }),
    ...(input.theme === undefined ? {} : { theme: input.theme }),
  };
  const dryRun = input.dryRun === true;
  let dungeon: Dungeon;
  let entityId: string | null = null;
  if (input.save !== false && !dryRun) {
    // Saved dungeons go through the bus: the World Designer generates, the Scribe stores
    // the dungeon, its rooms and their links in one batch. Options are checked first.
    resolveDungeonOptions(options);
    const payload = {
      level: options.level,
      ...(input.rooms === undefined ? {} : { rooms: input.rooms }),
      ...(input.size === undefined ? {} : { size: input.size as DungeonSize }),
      ...(input.partyLevel === undefined ? {} : { party_level: input.partyLevel }),
      ...(input.theme === undefined ? {} : { theme: input.theme }),
      seed,
      save: true,
    };
    // loaded only here: --no-save stays in the fast lane without the bus and Zod
    const { orchestrate, responseError } = await import('../agents/orchestrator.ts');
    const local = await withCampaign(input, ctx, 'write', async (store) => {
      const o = await orchestrate(store, 'world.dungeon.generate', payload, { clock: ctx.now });
      if (o.payload.status === 'error')
        throw responseError('world.dungeon.generate', o.payload.error, o.correlation_id);
      return o.local as { dungeon: Dungeon; id: string | null };
    });
    dungeon = local.dungeon;
    entityId = local.id;
  } else {
    dungeon = generateDungeon(options, createRng(seed));
  }
  const events = input.stream ? [...streamDungeon(options, createRng(seed))] : undefined;

  if (input.save !== false && dryRun) {
    // validated against the store, written nowhere (no bus messages either)
    const { dungeonBatch } = await import('../agents/wed.ts');
    const batch = dungeonBatch(dungeon);
    await withCampaign(input, ctx, 'dry-run', (store) =>
      saveBundle(store, batch.entities, batch.links, { now: ctx.now(), dryRun }),
    );
  }

  const { schema_version: _v, ...doc } = dungeon;
  return {
    entity_id: entityId,
    ...doc,
    ...(events ? { events } : {}),
  } as unknown as CommandOutputs['dungeon.gen'];
};

export const raw: CommandModule<'dungeon.gen'>['raw'] = (r, input) => {
  if (input.map === 'png') return pngMap(r as unknown as Dungeon);
  const format = input.reportFormat ?? input.format;
  const d = r as unknown as Dungeon;
  const out = rawDungeonOutput(d, input, (r as { events?: unknown[] }).events);
  if (out !== undefined) return out;
  if (format === 'json')
    return JSON.stringify({ schema_version: '1.0', ...stripEvents(r) }, null, 2);
  return undefined;
};

function stripEvents(r: Record<string, unknown>): Record<string, unknown> {
  const { events: _e, ...rest } = r;
  return rest;
}

export const text: CommandModule<'dungeon.gen'>['text'] = (r) =>
  dungeonReport(r as unknown as Dungeon, (r.entity_id as string | null | undefined) ?? null);
