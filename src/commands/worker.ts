import { randomUUID } from 'node:crypto';
import { handlersOf } from '../agents/handlers.ts';
import { AgentRuntime } from '../agents/runtime.ts';
import { HANDLER_AGENTS, type HandlerAgent } from '../contracts/bus/vocabulary.ts';
import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

/**
 * Wait `ms` or until `signal` aborts. The abort listener goes when the wait ends either way:
 * one left behind per idle poll was a leak (MaxListenersExceededWarning after ~10 s at
 * --poll-ms 50, and a worker that grew for as long as it ran).
 */
export function idle(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export const run: CommandModule<'worker'>['run'] = (input, ctx) =>
  withBus(input, ctx, input.dryRun === true ? 'read' : 'write', async (store, bus) => {
    const agents: readonly HandlerAgent[] =
      input.agent === undefined ? HANDLER_AGENTS : [input.agent];
    if (input.dryRun === true) {
      const due = await bus.agentsWithWork();
      return {
        processed: 0,
        due: Object.fromEntries(agents.map((a) => [a, due.includes(a)])),
      };
    }
    ctx.trapSignals?.();
    const consumer = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
    const runtime = await AgentRuntime.open(store, bus, {
      handlers: handlersOf(agents),
      consumer,
      clock: ctx.now,
      ...(input.leaseMs === undefined ? {} : { leaseMs: input.leaseMs }),
      batch: 8,
    });
    const stop = () => (runtime.stopping = true);
    ctx.signal.addEventListener('abort', stop, { once: true });
    if (ctx.signal.aborted) stop();
    let processed = 0;
    let stoppedBy = 'idle';
    const max = input.maxTasks ?? Infinity;
    while (!runtime.stopping) {
      const ran = await runtime.step({ agents });
      processed += ran;
      if (processed >= max) {
        stoppedBy = 'max-tasks';
        break;
      }
      if (ran === 0) {
        if (input.once === true) break;
        await idle(input.pollMs ?? 100, ctx.signal);
      }
    }
    if (runtime.stopping) stoppedBy = 'signal';
    return { consumer, processed, ...runtime.counts, stopped_by: stoppedBy };
  });

export const text: CommandModule<'worker'>['text'] = (r) =>
  r.due !== undefined
    ? `due: ${JSON.stringify(r.due)}`
    : `${r.consumer ?? 'worker'}: ${r.processed} tasks (${r.done ?? 0} done, ${r.errors ?? 0} error responses, ${r.failed ?? 0} failed, ${r.dead ?? 0} dead); stopped: ${r.stopped_by ?? ''}`;
