import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

export const run: CommandModule<'bus.stats'>['run'] = (input, ctx) =>
  withBus(input, ctx, 'read', async (_store, bus) => ({
    messages: (await bus.counts()).messages,
    agents: await bus.stats(),
  }));

export const text: CommandModule<'bus.stats'>['text'] = (r) => {
  if (r.agents.length === 0) return `no bus tasks (${r.messages} messages)`;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${v} ms`);
  return [
    'agent    done  errors  failures  dead  queued  p50      p95      error rate',
    ...r.agents.map(
      (a) =>
        `${a.agent.padEnd(8)} ${String(a.done).padStart(4)}  ${String(a.errors ?? 0).padStart(6)}  ${String(a.failures ?? 0).padStart(8)}  ${String(a.dead).padStart(4)}  ${String(a.queued ?? 0).padStart(6)}  ${ms(a.p50_ms).padEnd(7)}  ${ms(a.p95_ms).padEnd(7)}  ${(a.error_rate * 100).toFixed(1)}%`,
    ),
  ].join('\n');
};
