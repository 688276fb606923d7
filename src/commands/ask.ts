import { agentOf } from '../contracts/bus/vocabulary.ts';
import {
  answerOf,
  createdEntities,
  orchestrate,
  publishRequest,
  responseError,
} from '../agents/orchestrator.ts';
import { commandLine } from '../agents/intent-request.ts';
import { planRequest } from '../agents/plan.ts';
import type { CommandModule, CommandOutputs } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';
import { renderAnswer } from './_ask-render.ts';

const round = (n: number) => Math.round(n * 100) / 100;

/** The text rendering of each result, made by run() while the answer's renderer is at hand. */
const rendered = new WeakMap<object, string>();

export const run: CommandModule<'ask'>['run'] = async (input, ctx) => {
  const plan = planRequest(input.request, {
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    accept: input.yes === true,
  });
  const command = commandLine(plan.intent as never);
  const classified = {
    intent: plan.intent.intent,
    confidence: round(plan.intent.confidence),
    ...(plan.accepted_below_threshold ? { accepted_below_threshold: true } : {}),
    slots: plan.intent.slots as Record<string, unknown>,
    command,
  };
  if (input.dryRun === true)
    return {
      status: 'dry-run' as const,
      ...classified,
      correlation_id: null,
      would_publish: [
        { kind: 'request', type: plan.type, target: plan.target, payload: plan.payload },
      ],
    };
  if (input.queue === true)
    return withBus(input, ctx, 'write', async (store, bus) => {
      const q = await publishRequest(store, bus, plan.type, plan.payload as never, {
        clock: ctx.now,
      });
      const result: CommandOutputs['ask'] = {
        status: 'queued' as const,
        ...classified,
        correlation_id: q.correlation_id,
        messages: 1,
      };
      rendered.set(
        result,
        `queued ${plan.type} for ${plan.target}: correlation ${q.correlation_id}\n` +
          `a running \`dma worker\` carries it out; \`dma bus wait ${q.correlation_id}\` prints the answer`,
      );
      return result;
    });
  return withBus(
    input,
    ctx,
    'write',
    async (store, bus) => {
      const r = await orchestrate(store, plan.type, plan.payload as never, { clock: ctx.now, bus });
      const messages = await bus.messages(r.correlation_id);
      if (r.payload.status === 'error')
        throw responseError(plan.type, r.payload.error, r.correlation_id);
      const created = await createdEntities(store, messages);
      const generates = agentOf(plan.type) === 'wed';
      const answer = answerOf(plan.type, r.payload.result);
      const source = (r.payload.result as { source?: unknown }).source;
      const result: CommandOutputs['ask'] = {
        status: 'success' as const,
        ...classified,
        correlation_id: r.correlation_id,
        entities_created: created.length,
        created_entities: created,
        ...(generates && plan.type !== 'world.npc.generate' ? {} : { answer }),
        ...(typeof source === 'string' && source !== '' ? { source } : {}),
        messages: messages.length,
      };
      const body = await renderAnswer(plan.type, plan.payload, r.payload.result, created, ctx);
      rendered.set(
        result,
        [
          body,
          `(${[command, typeof source === 'string' ? source : '', `correlation ${r.correlation_id}`, `${messages.length} bus messages`].filter((s) => s !== '').join(' · ')})`,
        ]
          .filter((s) => s !== '')
          .join('\n'),
      );
      return result;
    },
    { inProcess: true },
  );
};

export const text: CommandModule<'ask'>['text'] = (r) => {
  const done = rendered.get(r);
  if (done !== undefined) return done;
  if (r.status === 'dry-run')
    return `${r.intent} (confidence ${r.confidence}) → would publish ${JSON.stringify(r.would_publish)}\n= ${r.command ?? ''}`;
  return `${r.status} · correlation ${r.correlation_id ?? ''}`;
};
