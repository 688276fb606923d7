import { loadYaml } from '../core/yaml.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import {
  generateDungeon,
  parseKeyRoom,
  resolveDungeonOptions,
  streamDungeon,
  type Dungeon,
  type DungeonOptions,
  type DungeonSize,
  type KeyRoom,
} from '../generators/dungeon/index.ts';
import { GENERATOR as DUNGEON_GENERATOR } from '../generators/dungeon/types.ts';
import type { DungeonLocal } from '../agents/wed-dungeon.ts';
import { dungeonReport } from '../generators/dungeon/report.ts';
import { renderAsciiMap, renderSvgMap, toNdjson, toWatabou } from '../generators/map/index.ts';
import { renderPngMap } from '../generators/map/png.ts';
import type { CommandInputs, CommandModule, CommandOutputs } from '../generated/types.ts';
import { lazy } from './_lazy.ts';

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

/** A PNG map, rendered only when the sink asks for it (png.ts loads resvg then). */
export async function* pngMap(d: Dungeon): AsyncGenerator<Uint8Array> {
  yield await renderPngMap(d);
}

/** What a --brief file may say; the command line wins over it. */
interface Brief {
  level?: number;
  party_level?: number;
  party_size?: number;
  theme?: string;
  key_rooms?: KeyRoom[];
}

/** Read and check a dungeon brief (YAML or JSON); every bad field is a UsageError (exit 3). */
async function readBrief(file: string): Promise<Brief> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let data: unknown;
  try {
    data = /^\s*[{[]/.test(text) ? JSON.parse(text) : (await loadYaml()).parse(text);
  } catch (err) {
    throw new UsageError(
      `${file} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new UsageError(
      `${file}: a brief is a mapping of level, party_level, party_size, theme, key_rooms`,
    );
  const known = ['level', 'party_level', 'party_size', 'theme', 'key_rooms'];
  const brief: Brief = {};
  for (const [k, v] of Object.entries(data)) {
    if (!known.includes(k))
      throw new UsageError(`${file}: unknown field "${k}"${didYouMean(k, known)}`, {
        hint: `a brief has ${known.join(', ')}`,
      });
    if (k === 'theme') {
      if (typeof v !== 'string') throw new UsageError(`${file}: theme must be text`);
      brief.theme = v;
    } else if (k === 'key_rooms') {
      if (!Array.isArray(v)) throw new UsageError(`${file}: key_rooms must be a list`);
      brief.key_rooms = v.map((x: unknown, i) => {
        if (typeof x === 'string') return parseKeyRoom(x);
        const o = x as { name?: unknown; monster?: unknown } | null;
        if (
          o === null ||
          typeof o !== 'object' ||
          typeof o.name !== 'string' ||
          (o.monster !== undefined && typeof o.monster !== 'string')
        )
          throw new UsageError(
            `${file}: key_rooms[${i}] must be "name[:monster]" or { name, monster }`,
          );
        return parseKeyRoom(o.monster === undefined ? o.name : `${o.name}:${String(o.monster)}`);
      });
    } else {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new UsageError(`${file}: ${k} must be a whole number`);
      brief[k as 'level' | 'party_level' | 'party_size'] = v;
    }
  }
  return brief;
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
  const brief = input.brief === undefined ? {} : await readBrief(resolve(ctx.cwd, input.brief));
  // the command line wins over the brief; the brief's set pieces come first
  const keyRooms = [...(brief.key_rooms ?? []), ...(input.keyRoom ?? []).map(parseKeyRoom)];
  const partyLevel = input.partyLevel ?? brief.party_level;
  const partySize = input.partySize ?? brief.party_size;
  const theme = input.theme ?? brief.theme;
  const options: DungeonOptions = {
    level: input.level ?? brief.level ?? 1,
    ...(input.rooms === undefined ? {} : { rooms: input.rooms }),
    ...(input.size === undefined ? {} : { size: input.size as DungeonSize }),
    ...(partyLevel === undefined ? {} : { partyLevel }),
    ...(theme === undefined ? {} : { theme }),
    ...(partySize === undefined ? {} : { partySize }),
    ...(keyRooms.length === 0 ? {} : { keyRooms }),
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
      ...(options.partyLevel === undefined ? {} : { party_level: options.partyLevel }),
      ...(options.theme === undefined ? {} : { theme: options.theme }),
      ...(options.partySize === undefined ? {} : { party_size: options.partySize }),
      ...(options.keyRooms === undefined ? {} : { key_rooms: options.keyRooms }),
      seed,
      save: true,
    };
    // loaded only here: --no-save stays in the fast lane without the bus and Zod
    const saved = await (await lazy(ctx, '_saved')).saveDungeon(input, ctx, payload);
    if ('queued' in saved)
      return {
        seed,
        generator: DUNGEON_GENERATOR,
        queued: true,
        correlation_id: saved.queued,
      } as unknown as CommandOutputs['dungeon.gen'];
    const { local } = saved;
    dungeon = local.dungeon;
    entityId = local.id;
  } else {
    dungeon = generateDungeon(options, createRng(seed));
  }
  const events = input.stream ? [...streamDungeon(options, createRng(seed))] : undefined;

  if (input.save !== false && dryRun) {
    // validated against the store, written nowhere (no bus messages either); the store's
    // modules (and the contract validators under them) load only here, not with --no-save
    await (await lazy(ctx, '_dry-run')).checkDungeon(input, ctx, dungeon);
  }

  return dungeonOutput({ dungeon, id: entityId }, events);
};

/** What `dungeon gen` prints for a generated (and maybe saved) dungeon. */
export function dungeonOutput(
  local: DungeonLocal,
  events?: unknown[],
): CommandOutputs['dungeon.gen'] {
  const { schema_version: _v, ...doc } = local.dungeon;
  return {
    entity_id: local.id,
    ...doc,
    ...(events ? { events } : {}),
  } as unknown as CommandOutputs['dungeon.gen'];
}

const queuedText = (r: { correlation_id?: unknown }) =>
  `queued world.dungeon.generate: correlation ${String(r.correlation_id)}\na running \`dma worker\` carries it out; \`dma bus wait ${String(r.correlation_id)}\` prints the dungeon`;

export const raw: CommandModule<'dungeon.gen'>['raw'] = (r, input) => {
  if (r.queued === true) return undefined;
  if (input.map === 'png') return pngMap(r as unknown as Dungeon);
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
  r.queued === true
    ? queuedText(r)
    : dungeonReport(r as unknown as Dungeon, (r.entity_id as string | null | undefined) ?? null);
