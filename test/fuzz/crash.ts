/**
 * The crash test of issue 12: `npc create --count`, `entity import` and `dungeon gen` killed
 * with SIGKILL at random points (and interrupted with SIGINT, which must end in exit 130 — or
 * death by SIGINT, which a shell reports as 130 — when it lands before the end), each followed by `dma db check` and a count of the entities: the
 * batch is in the campaign whole or not at all, never in part.
 *
 * Every trial starts from a copy of the same seeded campaign. How long a whole run takes is
 * measured first, so the kill points spread over start-up, generation and the write.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dmaBin, repoRoot } from '../helpers/dma.ts';

export interface CrashOptions {
  /** SIGKILL trials, spread over the three operations */
  kills: number;
  /** SIGINT trials */
  interrupts: number;
  seed: number;
}

export interface CrashReport {
  summary: string;
  failures: string[];
  trials: { op: string; signal: string; atMs: number; exitCode: number | null; added: number }[];
}

interface Op {
  name: string;
  argv: (dir: string) => string[];
  /** entities one whole run adds (measured) */
  batch: number;
  /** how long one whole run takes (measured) */
  ms: number;
}

function run(
  argv: string[],
  env: Record<string, string>,
  killAfterMs?: { ms: number; signal: NodeJS.Signals },
): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [dmaBin, ...argv], {
      env,
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4000) stderr += c.toString();
    });
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill(killAfterMs.signal), killAfterMs.ms);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - t0 });
    });
  });
}

const countEntities = (db: string): number => {
  if (!existsSync(db)) return 0;
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM entities').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

/** xorshift32: the trial plan is reproducible from the seed */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export async function runCrashTrials(opts: CrashOptions): Promise<CrashReport> {
  const dir = mkdtempSync(join(tmpdir(), 'dma-crash-'));
  const envFor = (db: string): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    DMA_DB: db,
    NO_COLOR: '1',
    CI: '1',
  });
  const failures: string[] = [];

  // the baseline campaign, and an export of 1,500 NPCs made elsewhere to import
  const base = join(dir, 'base.db');
  await run(['npc', 'create', '--count', '3', '--seed', '1', '-q'], envFor(base));
  const donor = join(dir, 'donor.db');
  const importFile = join(dir, 'import.json');
  await run(['npc', 'create', '--count', '1500', '--seed', '2', '-q'], envFor(donor));
  await run(['entity', 'export', '-o', importFile], envFor(donor));
  const baseCount = countEntities(base);

  const ops: Op[] = [
    {
      name: 'npc create --count 1500',
      argv: () => ['npc', 'create', '--count', '1500', '--seed', '9', '-q'],
      batch: 0,
      ms: 0,
    },
    {
      name: 'entity import (1,500)',
      argv: () => ['entity', 'import', importFile, '-q'],
      batch: 0,
      ms: 0,
    },
    {
      name: 'dungeon gen --level 6',
      argv: () => ['dungeon', 'gen', '--level', '6', '--seed', '5', '-q'],
      batch: 0,
      ms: 0,
    },
  ];
  for (const op of ops) {
    const db = join(dir, `measure-${op.name.split(' ')[0]}.db`);
    copyFileSync(base, db);
    const r = await run(op.argv(dir), envFor(db));
    if (r.code !== 0)
      failures.push(`${op.name}: the reference run failed (${r.code}): ${r.stderr.slice(0, 200)}`);
    op.batch = countEntities(db) - baseCount;
    op.ms = r.ms;
    if (op.batch <= 0) failures.push(`${op.name}: the reference run added no entity`);
  }

  const random = rng(opts.seed);
  const trials: CrashReport['trials'] = [];
  const plan: { op: Op; signal: NodeJS.Signals }[] = [
    ...Array.from({ length: opts.kills }, (_, i) => ({
      op: ops[i % ops.length]!,
      signal: 'SIGKILL' as const,
    })),
    ...Array.from({ length: opts.interrupts }, (_, i) => ({
      op: ops[i % ops.length]!,
      signal: 'SIGINT' as const,
    })),
  ];
  for (const [i, { op, signal }] of plan.entries()) {
    const db = join(dir, `trial-${i}.db`);
    copyFileSync(base, db);
    // from just after start-up to a little past a whole run's time
    const atMs = Math.round(op.ms * (0.1 + random() * 1.0));
    const r = await run(op.argv(dir), envFor(db), { ms: atMs, signal });
    const added = countEntities(db) - baseCount;
    trials.push({ op: op.name, signal, atMs, exitCode: r.code, added });
    const what = `${op.name}, ${signal} at ${atMs} ms`;
    if (added !== 0 && added !== op.batch)
      failures.push(`${what}: ${added} of ${op.batch} entities written (a partial batch)`);
    if (signal === 'SIGINT') {
      // exit 130, or death by SIGINT (what a shell also reports as 130: the fast lane keeps
      // Node's default action), or 0 when the run had finished first
      const interrupted = r.code === 130 || r.signal === 'SIGINT';
      if (!interrupted && r.code !== 0)
        failures.push(
          `${what}: exit ${r.code ?? r.signal} (expected 130, or 0 if it had finished)`,
        );
      if (/^\s+at /m.test(r.stderr)) failures.push(`${what}: a stack trace on stderr`);
    }
    const check = await run(['db', 'check', '--json'], envFor(db));
    if (check.code !== 0)
      failures.push(`${what}: dma db check exit ${check.code} ${check.stderr.slice(0, 200)}`);
    rmSync(db, { force: true });
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
  }
  if (failures.length === 0) rmSync(dir, { recursive: true, force: true });

  const per = (sig: string, whole: boolean) =>
    trials.filter((t) => t.signal === sig && (t.added !== 0) === whole).length;
  return {
    summary:
      `${trials.length} trials (${opts.kills} SIGKILL, ${opts.interrupts} SIGINT) over ${ops.map((o) => `${o.name} [${o.batch} entities, ${o.ms} ms]`).join(', ')}; ` +
      `SIGKILL: ${per('SIGKILL', false)} left nothing, ${per('SIGKILL', true)} the whole batch; ` +
      `SIGINT: ${per('SIGINT', false)} nothing, ${per('SIGINT', true)} whole; ${failures.length} failure(s)`,
    failures,
    trials,
  };
}
