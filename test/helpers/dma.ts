/** Spawn the built dma (bin/dma.cjs) the way a user would, isolated from the real data dirs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dmaBin = join(repoRoot, 'bin', 'dma.cjs');

/** A scratch home: XDG dirs and DMA_DB point inside it, never at the user's campaign. */
export function scratchEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'dma-test-'));
  return {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    DMA_DB: join(home, 'campaign.db'),
    NO_COLOR: '1',
    ...extra,
  };
}

export interface DmaResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function dma(
  args: string[],
  options: Options & { env?: Record<string, string> } = {},
): Promise<DmaResult> {
  const r = await execa(process.execPath, [dmaBin, ...args], {
    reject: false,
    env: options.env ?? scratchEnv(),
    extendEnv: false,
    cwd: options.cwd ?? repoRoot,
    timeout: 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Split a shell-like command line (double and single quotes, no escapes beyond \\"). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return out;
}
