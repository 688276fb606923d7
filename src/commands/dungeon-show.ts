import { NotFoundError, UsageError } from '../core/errors.ts';
import type { Dungeon } from '../generators/dungeon/index.ts';
import { dungeonReport } from '../generators/dungeon/report.ts';
import type { CommandModule, CommandOutputs } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { pngMap, rawDungeonOutput } from './dungeon-gen.ts';

export const run: CommandModule<'dungeon.show'>['run'] = async (input, ctx) => {
  if (input.map === 'png' && input.output === undefined)
    throw new UsageError('a PNG map needs --output <file.png>');
  const entity = await withCampaign(input, ctx, 'read', (store) =>
    store.resolve(input.ref, { type: 'dungeon' }),
  );
  if (entity.type !== 'dungeon')
    throw new NotFoundError(`"${input.ref}" is a ${entity.type}, not a dungeon`);
  return {
    entity_id: entity.id,
    ...entity.data,
  } as unknown as CommandOutputs['dungeon.show'];
};

export const raw: CommandModule<'dungeon.show'>['raw'] = (r, input) =>
  input.map === 'png'
    ? pngMap(r as unknown as Dungeon)
    : rawDungeonOutput(r as unknown as Dungeon, input);

export const text: CommandModule<'dungeon.show'>['text'] = (r) =>
  dungeonReport(r as unknown as Dungeon, r.entity_id ?? null);
