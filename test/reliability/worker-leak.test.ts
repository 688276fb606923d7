/**
 * `dma worker` does not grow while it polls (issue 12): an idle poll used to leave one abort
 * listener on the command's signal (MaxListenersExceededWarning after ~10 s at --poll-ms 50).
 * In process, with a fake clock, 1,000 and then 20,000 idle polls run through the real
 * handler: the signal keeps its two listeners and the heap stays flat. The real binary polls
 * every 2 ms for a second and a half and prints no warning.
 */
import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../src/core/context.ts';
import { loadCommand, loadLazy } from '../../src/cli/lazy.ts';
import { run as worker } from '../../src/commands/worker.ts';
import { openStore } from '../../src/store/index.ts';
import { dmaBin, scratchEnv } from '../helpers/dma.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function context(signal: AbortSignal): CommandContext {
  return {
    env: {},
    load: loadLazy,
    loadCommand,
    now: () => new Date(),
    cwd: process.cwd(),
    stdinIsTTY: false,
    stderrIsTTY: false,
    quiet: true,
    signal,
    info: () => undefined,
    warn: () => undefined,
    progress: () => undefined,
    announce: () => () => undefined,
    confirm: () => Promise.resolve(false),
    readStdin: () => Promise.resolve(''),
    trapSignals: () => undefined,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dma worker polling', () => {
  it('1,000 and 20,000 idle polls: two abort listeners, no warning, a flat heap', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-worker-leak-')), 'c.db');
    (await openStore({ path })).close();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ctrl = new AbortController();
    const done = worker(
      { db: path, pollMs: 1 } as Parameters<typeof worker>[0],
      context(ctrl.signal),
    );
    const listeners = () => getEventListeners(ctrl.signal, 'abort').length;

    await vi.advanceTimersByTimeAsync(1_000); // 1,000 polls of 1 ms
    expect(listeners()).toBeLessThanOrEqual(2); // the stop handler and the current wait
    gc();
    const heapAt1k = process.memoryUsage().heapUsed;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(listeners()).toBeLessThanOrEqual(2);
    gc();
    const grown = process.memoryUsage().heapUsed - heapAt1k;
    // one listener left per poll cost ~150 bytes: 20,000 polls grew the heap by ~3 MB
    expect(grown).toBeLessThan(1_000_000);

    ctrl.abort();
    const result = (await done) as { processed: number; stopped_by: string };
    expect(result).toMatchObject({ processed: 0, stopped_by: 'signal' });
    expect(listeners()).toBe(0);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('the real binary polling every 2 ms prints no MaxListenersExceededWarning and stops on SIGTERM', async () => {
    const env = scratchEnv();
    const child = spawn(process.execPath, [dmaBin, 'worker', '--poll-ms', '2', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).not.toMatch(/MaxListenersExceeded|EventTarget/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ processed: 0, stopped_by: 'signal' });
  });
});
