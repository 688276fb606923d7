/**
 * `npm run bench`: runs every case exported from bench/cases/*.ts and prints a table.
 * Whole-process cases are interleaved with `node -e 0` round by round (the machine is
 * shared and noisy), and reported as a ratio of medians. Writes bench/results/latest.json.
 * Filter with `npm run bench -- <substring>`; rounds with BENCH_ROUNDS (default 30).
 * In-process cases run once untimed, then `samples` times; a target they state ("< 2000
 * ms", ">= 20000 ops/s") gets a verdict like the whole-process ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchCase, InProcessCase, ProcessCase } from './types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 30);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Whether a median (ms) or rate (ops/s) meets a target like "< 2000 ms" or ">= 20000 ops/s". */
function meets(
  target: string,
  medianMs: number,
  rate: number | undefined,
  p99Ms?: number,
  p95Ms?: number,
): boolean | undefined {
  const m = /^(p9[59]\s+)?([<>]=?)\s*([\d.]+)\s*(ms|ops\/s)/.exec(target);
  if (!m) return undefined;
  const q = m[1]?.trim();
  const value = m[4] === 'ms' ? (q === 'p99' ? p99Ms : q === 'p95' ? p95Ms : medianMs) : rate;
  if (value === undefined) return undefined;
  const bound = Number(m[3]);
  return m[2] === '<'
    ? value < bound
    : m[2] === '<='
      ? value <= bound
      : m[2] === '>'
        ? value > bound
        : value >= bound;
}

function timeProcess(args: string[], env: Record<string, string>): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && args[0] !== '-e') {
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr).trim()}`);
  }
  return ms;
}

interface Row {
  name: string;
  median_ms: number;
  p95_ms: number;
  p99_ms?: number;
  ratio?: number;
  rate?: number;
  target?: string;
  verdict?: string;
}

async function main(): Promise<void> {
  const cases: BenchCase[] = [];
  for (const f of readdirSync(join(root, 'bench', 'cases'))
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const mod = (await import(pathToFileURL(join(root, 'bench', 'cases', f)).href)) as {
      cases: BenchCase[];
    };
    cases.push(...mod.cases.filter((c) => !filter || c.name.includes(filter)));
  }
  const rows: Row[] = [];

  const proc = cases.filter((c): c is ProcessCase => c.kind === 'process');
  if (proc.length > 0) {
    const envs = new Map<ProcessCase, Record<string, string>>();
    // every case gets a scratch campaign unless its setup names one: a benchmark never
    // touches the user's real database
    const scratch = mkdtempSync(join(tmpdir(), 'dma-bench-'));
    for (const c of proc) {
      envs.set(c, {
        DMA_DB: join(scratch, `${c.name.replace(/\W+/g, '-')}.db`),
        XDG_DATA_HOME: join(scratch, 'data'),
        ...(c.env ?? {}),
        ...((await c.setup?.()) ?? {}),
      });
    }
    // `$NAME` in a case's arguments is replaced by that variable of its (setup) environment
    const argsOf = (c: ProcessCase) =>
      c.args.map((a) => (a.startsWith('$') ? (envs.get(c)![a.slice(1)] ?? a) : a));
    const bin = join(root, 'bin', 'dma.cjs');
    const base: number[] = [];
    const times = new Map<ProcessCase, number[]>(proc.map((c) => [c, []]));
    for (const c of proc) timeProcess([bin, ...argsOf(c)], envs.get(c)!); // warm the file cache
    for (let i = 0; i < rounds; i++) {
      base.push(timeProcess(['-e', '0'], {}));
      for (const c of proc) times.get(c)!.push(timeProcess([bin, ...argsOf(c)], envs.get(c)!));
    }
    const b = median(base);
    rows.push({
      name: 'node -e 0 (baseline)',
      median_ms: b,
      p95_ms: quantile(base, 0.95),
      ratio: 1,
    });
    for (const c of proc) {
      const t = times.get(c)!;
      const ratio = median(t) / b;
      const row: Row = {
        name: `dma ${c.args.join(' ')}`,
        median_ms: median(t),
        p95_ms: quantile(t, 0.95),
        ratio,
      };
      if (c.maxRatio !== undefined) {
        row.target = `≤ ${c.maxRatio}× node`;
        row.verdict = ratio <= c.maxRatio ? 'ok' : 'OVER';
      }
      rows.push(row);
    }
  }

  for (const c of cases.filter((c): c is InProcessCase => c.kind === 'in-process')) {
    const state = await c.setup?.();
    if (c.measure) {
      const m = await c.measure(state);
      await c.teardown?.(state);
      const row: Row = { name: c.name, ...m };
      if (c.target) {
        row.target = c.target;
        const verdict = meets(c.target, m.median_ms, m.rate, m.p99_ms, m.p95_ms);
        if (verdict !== undefined) row.verdict = verdict ? 'ok' : 'OVER';
      }
      rows.push(row);
      continue;
    }
    const samples: number[] = [];
    // one untimed run first: the timed ones measure warmed code, not the first compile
    await c.run(state);
    for (let i = 0; i < c.samples; i++) {
      const t0 = process.hrtime.bigint();
      await c.run(state);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await c.teardown?.(state);
    const med = median(samples);
    const row: Row = {
      name: c.name,
      median_ms: med,
      p95_ms: quantile(samples, 0.95),
      p99_ms: quantile(samples, 0.99),
    };
    if (c.opsPerSample) row.rate = (c.opsPerSample / med) * 1000;
    if (c.target) {
      row.target = c.target;
      const verdict = meets(c.target, med, row.rate, row.p99_ms, row.p95_ms);
      if (verdict !== undefined) row.verdict = verdict ? 'ok' : 'OVER';
    }
    rows.push(row);
  }

  const fmt = (n: number | undefined, d = 1) => (n === undefined ? '' : n.toFixed(d));
  const table = [
    ['case', 'median ms', 'p95 ms', 'p99 ms', 'ratio', 'ops/s', 'target', ''],
    ...rows.map((r) => [
      r.name,
      fmt(r.median_ms, 2),
      fmt(r.p95_ms, 2),
      fmt(r.p99_ms, 2),
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
      r.rate === undefined ? '' : Math.round(r.rate).toLocaleString('en-US'),
      r.target ?? '',
      r.verdict ?? '',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table)
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
    );
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'latest.json'),
    JSON.stringify({ node: process.version, rounds, at: new Date().toISOString(), rows }, null, 2) +
      '\n',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
