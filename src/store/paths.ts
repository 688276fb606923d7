/**
 * Where the campaign database lives (CLI-CONVENTIONS.md, "Where things live"):
 * an explicit path (`--db`), else `$DMA_DB`, else `$XDG_DATA_HOME/dma/campaign.db`,
 * else `~/.local/share/dma/campaign.db`. The environment is a parameter, never read here.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface DbPathInput {
  /** the `--db` flag, when given */
  explicit?: string | undefined;
  /** the process environment (only DMA_DB, XDG_DATA_HOME and HOME are read) */
  env: Readonly<Record<string, string | undefined>>;
  /** base for relative paths; defaults to the current directory */
  cwd?: string;
}

export type DbPathSource = 'flag' | 'env' | 'xdg';

export function resolveDbPath(input: DbPathInput): { path: string; source: DbPathSource } {
  const cwd = input.cwd ?? process.cwd();
  // a postgres:// or postgresql:// URL names a server, not a file: kept as it is
  const keep = (p: string) => p === ':memory:' || /^postgres(ql)?:\/\//i.test(p);
  if (input.explicit)
    return {
      path: keep(input.explicit) ? input.explicit : resolve(cwd, input.explicit),
      source: 'flag',
    };
  const fromEnv = input.env['DMA_DB'];
  if (fromEnv) return { path: keep(fromEnv) ? fromEnv : resolve(cwd, fromEnv), source: 'env' };
  // XDG base directory spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = input.env['XDG_DATA_HOME'];
  const dataHome =
    xdg && isAbsolute(xdg) ? xdg : join(input.env['HOME'] || homedir(), '.local', 'share');
  return { path: join(dataHome, 'dma', 'campaign.db'), source: 'xdg' };
}
