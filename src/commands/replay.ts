import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportSession, parseSession, replaySession } from '../agents/replay.ts';
import { ExitCode, NotFoundError, UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { parseImportText } from '../store/index.ts';
import { withBus } from '../bus/open.ts';

export const run: CommandModule<'replay'>['run'] = async (input, ctx) => {
  if ((input.file === undefined) === (input.correlationId === undefined))
    throw new UsageError('give a correlation id or --file <session file>, not both', {
      hint: 'dma replay <correlation-id>, or dma replay --file session.json',
    });
  let session;
  if (input.file !== undefined) {
    const file = resolve(ctx.cwd, input.file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    session = parseSession(parseImportText(text, file), file);
  } else {
    const id = input.correlationId!;
    session = await withBus(input, ctx, 'read', (_store, bus) => exportSession(bus, id, ctx.now()));
    if (!session)
      throw new NotFoundError(`no bus messages with correlation id ${id}`, {
        hint: 'dma bus tail lists the messages and their correlation ids',
      });
  }
  return replaySession(session);
};

export const exitCode: CommandModule<'replay'>['exitCode'] = (r) =>
  r.identical ? ExitCode.OK : ExitCode.REPLAY_DIFFERS;

export const text: CommandModule<'replay'>['text'] = (r) =>
  r.identical
    ? `identical: ${r.compared} messages of ${r.type} replayed`
    : [
        `differs: ${r.differences.length} difference${r.differences.length === 1 ? '' : 's'} in ${r.compared} messages of ${r.type}`,
        ...r.differences.map(
          (d) =>
            `  ${d.path}: recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}`,
        ),
      ].join('\n');
