import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/core/context.ts';
import { loadCommand, loadLazy } from '../../src/cli/lazy.ts';
import { isDmaError } from '../../src/core/errors.ts';
import { run } from '../../src/commands/bus-trim.ts';
import { dma, scratchEnv } from '../helpers/dma.ts';

/** A terminal that answers `answer` and records the question. */
function terminal(env: Record<string, string>, answer: boolean, asked: string[]): CommandContext {
  return {
    env,
    load: loadLazy,
    loadCommand,
    now: () => new Date(),
    cwd: process.cwd(),
    stdinIsTTY: true,
    stderrIsTTY: true,
    quiet: true,
    signal: new AbortController().signal,
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
    announce: () => () => undefined,
    confirm: async (q) => {
      asked.push(q);
      return answer;
    },
    readStdin: async () => '',
  };
}

describe('bus trim on a terminal', () => {
  it('asks with the counts; "no" deletes nothing (exit 3), "yes" deletes', async () => {
    const env = scratchEnv();
    await dma(['ask', 'Roll 2d6', '--seed', '1'], { env });
    const asked: string[] = [];
    const refused = await Promise.resolve(
      run({ keep: 0 } as never, terminal(env, false, asked)),
    ).catch((e: unknown) => e);
    expect(isDmaError(refused) && refused.exitCode).toBe(3);
    expect(asked).toEqual(['Delete 2 bus messages, 1 tasks and 0 blobs, keeping the newest 0?']);
    const done = await run({ keep: 0 } as never, terminal(env, true, asked));
    expect(done).toMatchObject({ dry_run: false, deleted: { messages: 2 } });
    // nothing left: nothing to ask about
    const again = await run({ keep: 0 } as never, terminal(env, false, asked));
    expect(again).toMatchObject({ deleted: { messages: 0 } });
    expect(asked).toHaveLength(2);
  });
});
