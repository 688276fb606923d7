/**
 * src/cli/stdio.ts: a run that only prints writes its result with writeSync, without
 * building process.stdout/stderr/stdin (for a pipe Node would load `net` for them), and a
 * reader that goes away still ends the run with exit 0 and a clean stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dma.ts';

const bin = join(repoRoot, 'bin', 'dma.cjs');

/** Run dma in a node that reports at exit whether `net` was loaded. */
function runWatched(args: string[]) {
  const probe = `process.on('exit', () => require('node:fs').writeSync(2, '\\nnet loaded: ' + process.moduleLoadList.includes('NativeModule net') + '\\n'));
    process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify(args)}];
    require(${JSON.stringify(bin)});`;
  return spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', stdio: 'pipe' });
}

describe('stdout and stderr without streams', () => {
  it('prints a result and an error through pipes without loading net', () => {
    const ok = runWatched(['thac0', 'fighter', '5']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('16\n');
    expect(ok.stderr).toContain('net loaded: false');
    const bad = runWatched(['thac0', 'fightr', '5']);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^dma: unknown class or group "fightr"/);
    expect(bad.stderr).toContain('net loaded: false');
  });

  it('ends with exit 0 and nothing on stderr when the reader has gone', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'dungeon', 'gen', '--rooms', '30', '--seed', '1', '--no-save', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(err).toBe('');
  });
});
