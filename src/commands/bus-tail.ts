import type { BusMessage } from '../contracts/bus/envelope.ts';
import type { CommandModule } from '../generated/types.ts';
import type { LoggedMessage } from '../bus/types.ts';
import { withBus } from '../bus/open.ts';

function logged(m: LoggedMessage): Flat {
  const { auth: _auth, api_version: _v, ...rest } = m.message;
  return { seq: m.seq, ...rest };
}

type Flat = Omit<BusMessage, 'auth' | 'api_version'> & { seq: number };

function line(msg: Flat): string {
  const status =
    msg.kind === 'response' ? ` ${(msg.payload as { status?: string }).status ?? ''}` : '';
  return `${String(msg.seq).padStart(6)}  ${msg.timestamp}  ${msg.kind.padEnd(8)} ${msg.type.padEnd(22)} ${msg.source} → ${msg.target}${status}  ${msg.correlation_id}`;
}

export const run: CommandModule<'bus.tail'>['run'] = (input, ctx) =>
  withBus(input, ctx, 'read', async (_store, bus) => {
    const json = input.format === 'json' || input.json === true;
    const filter = input.correlation === undefined ? {} : { correlation: input.correlation };
    if (input.follow !== true) {
      // without a cursor: the newest `limit` messages
      let since = input.since;
      if (since === undefined) {
        const all = await bus.tail({ ...filter, limit: 1_000_000 });
        since =
          all.length > (input.limit ?? 100) ? all[all.length - (input.limit ?? 100) - 1]!.seq : 0;
      }
      const messages = await bus.tail({ ...filter, since, limit: input.limit ?? 100 });
      return {
        cursor: messages.length > 0 ? messages[messages.length - 1]!.seq : since,
        messages: messages.map(logged),
      };
    }
    ctx.trapSignals?.();
    let cursor = input.since ?? (await bus.lastSeq());
    const emit = ctx.emit ?? (() => undefined);
    while (!ctx.signal.aborted) {
      const batch = await bus.tail({ ...filter, since: cursor, limit: 1000 });
      for (const m of batch) emit((json ? JSON.stringify(logged(m)) : line(logged(m))) + '\n');
      if (batch.length > 0) cursor = batch[batch.length - 1]!.seq;
      else
        await new Promise<void>((r) => {
          const t = setTimeout(r, input.pollMs ?? 250);
          ctx.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
        });
    }
    return { cursor, messages: [], followed: true };
  });

export const raw: CommandModule<'bus.tail'>['raw'] = (r) =>
  (r as { followed?: boolean }).followed ? '' : undefined;

export const text: CommandModule<'bus.tail'>['text'] = (r) => {
  const messages = r.messages as unknown as Flat[];
  return messages.length === 0 ? 'no bus messages' : messages.map(line).join('\n');
};
