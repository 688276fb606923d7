import { agentOf } from '../contracts/bus/vocabulary.ts';
import { answerOf, createdEntities, orchestrate, responseError } from '../agents/orchestrator.ts';
import { planRequest } from '../agents/plan.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { busOf } from '../store/bus.ts';

const round = (n: number) => Math.round(n * 100) / 100;

export const run: CommandModule<'ask'>['run'] = async (input, ctx) => {
  const plan = planRequest(input.request, input.seed === undefined ? {} : { seed: input.seed });
  const classified = {
    intent: plan.intent.intent,
    confidence: round(plan.intent.confidence),
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
  return withCampaign(input, ctx, 'write', async (store) => {
    const r = await orchestrate(store, plan.type, plan.payload as never, { clock: ctx.now });
    const messages = busOf(store).messages(r.correlation_id);
    if (r.payload.status === 'error')
      throw responseError(plan.type, r.payload.error, r.correlation_id);
    const created = createdEntities(store, messages);
    const generates = agentOf(plan.type) === 'wed';
    return {
      status: 'ok' as const,
      ...classified,
      correlation_id: r.correlation_id,
      entities_created: created.length,
      created_entities: created,
      ...(generates ? {} : { answer: answerOf(plan.type, r.payload.result) }),
      messages: messages.length,
    };
  });
};

/** A lookup's answer for people: a bare value, a list of entities, a dice roll or key: value lines. */
function answerText(answer: unknown): string {
  if (answer === null || typeof answer !== 'object') return String(answer);
  if (Array.isArray(answer)) {
    if (answer.length === 0) return '(no matches)';
    return answer
      .map((e: Record<string, unknown>) =>
        e['id'] && e['name']
          ? `${String(e['id'])}  ${String(e['type'] ?? '')}  ${String(e['name'])}`
          : JSON.stringify(e),
      )
      .join('\n');
  }
  const a = answer as Record<string, unknown>;
  if (typeof a['total'] === 'number' && Array.isArray(a['rolls'])) {
    return `${a['total']}  (${String(a['dice'] ?? a['notation'] ?? '')} [${(a['rolls'] as number[]).join(', ')}])`;
  }
  return Object.entries(a)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

export const text: CommandModule<'ask'>['text'] = (r) => {
  if (r.status === 'dry-run')
    return `${r.intent} (confidence ${r.confidence}) → would publish ${JSON.stringify(r.would_publish)}`;
  const lines: string[] = [];
  if (r.answer !== undefined) lines.push(answerText(r.answer));
  for (const e of r.created_entities ?? []) lines.push(`created ${e.type} ${e.name} (${e.id})`);
  lines.push(`correlation ${r.correlation_id ?? ''} · ${r.messages ?? 0} bus messages`);
  return lines.join('\n');
};
