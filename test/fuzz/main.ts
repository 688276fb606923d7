/**
 * `npm run fuzz`: the fuzz suite of issue 12 at full size — 10,000 generated invocations over
 * every contract command (harness.ts), then the crash test (crash.ts). Options:
 * --runs N (10000), --seed S (a fresh one, printed), --lanes N (2), --kills N (50),
 * --only fuzz|crash.
 */
import { runFuzz } from './harness.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
const runs = Number(arg('runs', '10000'));
const seed = Number(arg('seed', String(Date.now() % 1_000_000)));
const lanes = Number(arg('lanes', '2'));
const kills = Number(arg('kills', '50'));
const only = arg('only', 'all');
let failed = false;

if (only === 'all' || only === 'fuzz') {
  process.stderr.write(`fuzz: ${runs} invocations, seed ${seed}, ${lanes} lanes\n`);
  const report = await runFuzz({
    runs,
    seed,
    lanes,
    onProgress: (d, t) => {
      if (d % 250 === 0 || d === t) process.stderr.write(`\r  ${d}/${t}`);
    },
  });
  process.stderr.write('\n');
  process.stdout.write(
    `fuzz: ${report.runs} cases (${report.inProcess} in-process, ${report.binary} through bin/dma.cjs) in ${(report.ms / 1000).toFixed(1)} s, seed ${report.seed}\n` +
      `  exit codes: ${JSON.stringify(report.byExit)}\n` +
      `  commands covered: ${Object.keys(report.byCommand).length}\n` +
      `  known issues: ${report.known.length}${report.known.length ? ` (${[...new Set(report.known.map((k) => k.known))].join(', ')})` : ''}\n`,
  );
  const seen = new Set<string>();
  for (const f of report.findings) {
    const key = `${f.rule}:${f.detail.slice(0, 80)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    process.stdout.write(`  FINDING ${f.rule}: ${f.detail}\n    ${f.repro.slice(0, 400)}\n`);
  }
  if (report.findings.length > 0) {
    failed = true;
    process.stdout.write(`fuzz: ${report.findings.length} finding(s), ${seen.size} distinct\n`);
  }
}

if (only === 'all' || only === 'crash') {
  const { runCrashTrials } = await import('./crash.ts');
  const r = await runCrashTrials({ kills, interrupts: Math.max(3, Math.round(kills / 10)), seed });
  process.stdout.write(`crash: ${r.summary}\n`);
  for (const f of r.failures) process.stdout.write(`  FAILURE ${f}\n`);
  if (r.failures.length > 0) failed = true;
}

process.exitCode = failed ? 1 : 0;
