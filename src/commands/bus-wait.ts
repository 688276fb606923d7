/**
 * `dma bus wait ID`: the other half of `--queue`. Polls the bus until the correlation's
 * root request is answered (by a `dma worker` anywhere), then returns what the command
 * that queued it returns synchronously: NPCs and dungeons are generated again here from the
 * request and the answer's seed (generation is deterministic) with the stored entity ids.
 */
import { answerOf, createdEntities, responseError } from '../agents/orchestrator.ts';
import { rootRequest } from '../agents/replay.ts';
import { dungeonLocalOf } from '../agents/wed-dungeon.ts';
import { npcLocalOf } from '../agents/wed-npc.ts';
import { withBus } from '../bus/open.ts';
import type { BusMessage, RequestMessage } from '../contracts/bus/envelope.ts';
import type { MessageType } from '../contracts/bus/vocabulary.ts';
import { DmaError, NotFoundError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { renderAnswer } from './_ask-render.ts';
import { dungeonOutput, text as dungeonText } from './dungeon-gen.ts';
import { npcOutput, text as npcText } from './npc-create.ts';
import { idle } from './worker.ts';

/** The text rendering of each result, made by run() while the request is at hand. */
const rendered = new WeakMap<object, string>();

export const run: CommandModule<'bus.wait'>['run'] = (input, ctx) =>
  withBus(input, ctx, 'read', async (store, bus) => {
    const id = input.correlationId;
    const deadline = Date.now() + (input.timeout ?? 60) * 1000;
    for (;;) {
      const messages = await bus.messages(id);
      if (messages.length === 0)
        throw new NotFoundError(`no bus messages with correlation id ${id}`, {
          hint: 'the id --queue printed; dma bus tail lists the correlations',
        });
      const root = rootRequest(messages);
      const response = messages.find(
        (m) => m.kind === 'response' && m.causation_id === root.event_id,
      );
      if (response) return answered(root, response, messages, store, ctx);
      const tasks = (await bus.tasks(id)).filter((t) => t.event_id === root.event_id);
      const last = tasks[tasks.length - 1];
      if (last?.state === 'dead')
        throw new DmaError('UNEXPECTED', `${root.type} failed: ${last.last_error?.message ?? ''}`, {
          hint: `dma bus dead shows it; dma bus retry ${last.id} sends it again`,
        });
      if (Date.now() >= deadline || ctx.signal.aborted)
        throw new DmaError(
          'UNEXPECTED',
          `${root.type} was not answered within ${input.timeout ?? 60} s (${last?.state ?? 'queued'})`,
          { hint: 'is a dma worker running with the same DMA_DB and DMA_BUS?' },
        );
      await idle(Math.min(input.pollMs ?? 100, Math.max(1, deadline - Date.now())), ctx.signal);
    }
  });

async function answered(
  root: BusMessage,
  response: BusMessage,
  messages: readonly BusMessage[],
  store: Parameters<typeof createdEntities>[0],
  ctx: Parameters<CommandModule<'bus.wait'>['run']>[1],
) {
  const type = root.type as MessageType;
  const payload = response.payload as
    | { status: 'ok'; result: unknown }
    | { status: 'error'; error: { code: string; message: string; hint?: string } };
  if (payload.status === 'error') throw responseError(type, payload.error, root.correlation_id);
  const correlation_id = root.correlation_id;
  if (type === 'world.npc.generate') {
    const p = (root as RequestMessage<'world.npc.generate'>).payload;
    const local = npcLocalOf(p, payload.result);
    const out = npcOutput((payload.result as { seed: number }).seed, p.count, local, ctx);
    const result = { schema_version: '1.0', correlation_id, ...out };
    rendered.set(result, npcText!(result as never, {} as never) as string);
    return result;
  }
  if (type === 'world.dungeon.generate') {
    const p = (root as RequestMessage<'world.dungeon.generate'>).payload;
    const out = dungeonOutput(dungeonLocalOf(p, payload.result));
    const result = { schema_version: '2.0', correlation_id, ...out };
    rendered.set(result, dungeonText!(out as never, {} as never) as string);
    return result;
  }
  const created = await createdEntities(store, messages);
  const result = {
    schema_version: '1.0',
    correlation_id,
    status: 'success',
    type,
    answer: answerOf(type, payload.result),
    entities_created: created.length,
    created_entities: created,
    messages: messages.length,
  };
  const body = await renderAnswer(type, root.payload as never, payload.result, created, ctx);
  rendered.set(
    result,
    [body, `(correlation ${correlation_id} · ${messages.length} bus messages)`]
      .filter((s) => s !== '')
      .join('\n'),
  );
  return result;
}

export const text: CommandModule<'bus.wait'>['text'] = (r) =>
  rendered.get(r) ?? `answered · correlation ${String(r.correlation_id)}`;
