import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import {
  generateDungeon,
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
  };
  const dungeon = generateDungeon(options, createRng(seed));
  const events = input.stream ? [...streamDungeon(options, createRng(seed))] : undefined;

  let entityId: string | null = null;
  const dryRun = input.dryRun === true;
  if (input.save !== false) {
    const name = `${dungeon.theme.name} — level ${dungeon.options.level}, ${dungeon.rooms.length} rooms (seed ${seed})`;
    const { roll_log: _log, ...data } = dungeon;
    entityId = await withCampaign(input, ctx, dryRun ? 'dry-run' : 'write', (store) => {
      const ids = saveBundle(
        store,
        [
          {
            key: 'dungeon',
            type: 'dungeon',
            name,
            data: { ...data, roll_log: dungeon.roll_log } as Record<string, unknown>,
          },
          ...dungeon.rooms.map((room) => ({
            key: room.id,
            type: 'room' as const,
            name: `${name}: room ${room.number}`,
            data: {
              number: room.number,
              description: room.description,
              contents: room.contents,
              exits: room.exits,
            },
          })),
        ],
        dungeon.rooms.map((room) => ({ source: room.id, target: 'dungeon', type: 'part-of' })),
        { now: ctx.now(), dryRun },
      );
      return dryRun ? null : (ids.get('dungeon') ?? null);
    });
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
          JSON.stringify({ schema_version: '1.0', entity_id: entityId, ...doc }, null, 2) + '\n';
      else if (format === 'yaml')
        content = (await import('yaml')).stringify({
          schema_version: '1.0',
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
    return JSON.stringify({ schema_version: '1.0', ...stripEvents(r) }, null, 2);
  return undefined;
};

function stripEvents(r: Record<string, unknown>): Record<string, unknown> {
  const { events: _e, ...rest } = r;
  return rest;
}

export const text: CommandModule<'dungeon.gen'>['text'] = (r) =>
  dungeonReport(r as unknown as Dungeon, (r.entity_id as string | null | undefined) ?? null);
