/**
 * CI's share of the fuzz suite (issue 12): a seeded sample of 1,000 generated invocations over
 * every command of cli-contract.yaml (harness.ts) and a few crash trials (crash.ts). The full
 * run — 10,000 cases and 50 kills with a fresh seed — is `npm run fuzz`. DMA_FUZZ_RUNS and
 * DMA_FUZZ_SEED change the sample.
 */
import { describe, expect, it } from 'vitest';
import { loadContract } from './contract-gen.ts';
import { runCrashTrials } from './crash.ts';
import { runFuzz } from './harness.ts';
import { repoRoot } from '../helpers/dma.ts';
import { join } from 'node:path';

const RUNS = Number(process.env.DMA_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.DMA_FUZZ_SEED ?? 20261206);

describe('fuzz: generated invocations of every contract command', () => {
  it(`${RUNS} seeded cases: declared exit codes, no stack trace, failures change nothing, db check clean`, async () => {
    // 2.5 s per case before SIGTERM: a worker, a server or a follow runs until signalled
    const report = await runFuzz({
      runs: RUNS,
      seed: SEED,
      lanes: 3,
      binaryShare: 0.1,
      timeoutMs: 2500,
    });
    const distinct = [
      ...new Map(report.findings.map((f) => [`${f.rule}:${f.detail.slice(0, 80)}`, f])).values(),
    ];
    expect(distinct.map((f) => `${f.rule}: ${f.detail}\n    ${f.repro.slice(0, 300)}`)).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(RUNS);
    expect(report.binary).toBeGreaterThan(0);
    // the sample reaches (nearly) every command of the contract
    const commands = loadContract(join(repoRoot, 'cli-contract.yaml')).commands.length;
    if (RUNS >= 1000)
      expect(Object.keys(report.byCommand).length).toBeGreaterThanOrEqual(commands - 2);
  }, 600_000);
});

describe('crash: SIGKILL and SIGINT in the middle of bulk writes', () => {
  it('a few trials of npc create, entity import and dungeon gen: all of a batch or none', async () => {
    const r = await runCrashTrials({ kills: 3, interrupts: 2, seed: SEED });
    expect(r.failures).toEqual([]);
    expect(r.trials).toHaveLength(5);
  }, 300_000);
});
