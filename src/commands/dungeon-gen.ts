import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import {
  generateDungeon,
  parseKeyRoom,
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

export async function writeDungeonFile(
  d: Dungeon,
  file: string,
  content: string | undefined,
  png: boolean,
): Promise<void> {
  if (png) {
    const { renderPngMap } = await import('../generators/map/png.ts');
    await writeFile(file, await renderPngMap(d));
  } else {
    await writeFile(file, content ?? '');
  }
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
    ...(input.partySize === undefined ? {} : { partySize: input.partySize }),
    ...(input.keyRoom === undefined || input.keyRoom.length === 0
      ? {}
      : { keyRooms: input.keyRoom.map(parseKeyRoom) }),
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
      ...(options.partySize === undefined ? {} : { party_size: options.partySize }),
      ...(options.keyRooms === undefined ? {} : { key_rooms: options.keyRooms }),
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
  if (input.output !== undefined) {
    const file = resolve(ctx.cwd, input.output);
    const raw = rawDungeonOutput(dungeon, input, events);
    const format = input.reportFormat ?? input.format ?? 'text';
    let content = raw;
    if (content === undefined) {
      if (format === 'json')
        content =
          JSON.stringify({ schema_version: '2.0', entity_id: entityId, ...doc }, null, 2) + '\n';
      else if (format === 'yaml')
        content = (await import('yaml')).stringify({
          schema_version: '2.0',
          entity_id: entityId,
          ...doc,
        });
      else content = dungeonReport(dungeon, entityId) + '\n';
    }
    await writeDungeonFile(dungeon, file, content, input.map === 'png');
    ctx.info(`wrote ${file}`);
    return {
      entity_id: entityId,
      written_to: file,
      seed: dungeon.seed,
      generator: dungeon.generator,
    };
  }
  return {
    entity_id: entityId,
    ...doc,
    ...(events ? { events } : {}),
  } as unknown as CommandOutputs['dungeon.gen'];
};

export const raw: CommandModule<'dungeon.gen'>['raw'] = (r, input) => {
  if (r.written_to !== undefined) return '';
  const format = input.reportFormat ?? input.format;
  const d = r as unknown as Dungeon;
  const out = rawDungeonOutput(d, input, (r as { events?: unknown[] }).events);
  if (out !== undefined) return out;
  if (format === 'json')
    return JSON.stringify({ schema_version: '2.0', ...stripEvents(r) }, null, 2);
  return undefined;
};

function stripEvents(r: Record<string, unknown>): Record<string, unknown> {
  const { events: _e, ...rest } = r;
  return rest;
}

export const text: CommandModule<'dungeon.gen'>['text'] = (r) =>
  dungeonReport(r as unknown as Dungeon, (r.entity_id as string | null | undefined) ?? null);
