/**
 * The fuzz suite's own checks can fail: each rule flags the case it is for, on synthetic
 * results, and the campaign hash sees a content change but not a log write.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dma.ts';
import { invocationArb, loadContract, type FuzzFiles } from './contract-gen.ts';
import { check, contentHash, type CaseResult } from './harness.ts';

const contract = loadContract(join(repoRoot, 'cli-contract.yaml'));
const result = (over: Partial<CaseResult>): CaseResult => ({
  inv: { command: 'thac0', argv: ['thac0', 'fighter', '5'] },
  via: 'in-process',
  exitCode: 0,
  stdout: '16\n',
  stderr: '',
  ms: 1,
  ...over,
});
const rules = (r: CaseResult) => check(contract, r).map((f) => f.rule);

describe('fuzz checks', () => {
  it('flags an undeclared exit code, "this is a bug", a stack trace and a changed campaign', () => {
    expect(rules(result({}))).toEqual([]);
    expect(rules(result({ exitCode: 4 }))).toEqual(['exit-code']); // thac0 declares 0, 1, 3
    expect(
      rules(result({ exitCode: 1, stderr: 'dma: unexpected error: x\nhint: this is a bug' })),
    ).toEqual(['unexpected']);
    expect(
      rules(
        result({ exitCode: 3, stderr: 'TypeError: x\n    at run (/repo/src/commands/x.ts:3:9)\n' }),
      ),
    ).toEqual(['stack-trace']);
    expect(rules(result({ exitCode: 3, dbChanged: true }))).toEqual(['db-changed']);
    expect(rules(result({ exitCode: -2, stderr: 'runner died' }))).toEqual(['runner-crash']);
    // stopped at the time limit: a trapped signal (0, 130) or death by SIGTERM (143) is fine
    expect(rules(result({ timedOut: true, exitCode: 143 }))).toEqual([]);
    expect(rules(result({ timedOut: true, exitCode: 7 }))).toEqual(['exit-code']);
  });

  it('the campaign hash changes with an entity, not with the LLM call log', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-fuzz-hash-')), 'c.db');
    const db = new Database(path);
    db.exec('CREATE TABLE entities (id TEXT, name TEXT); CREATE TABLE llm_calls (id TEXT);');
    db.close();
    const h0 = contentHash(path);
    const w = new Database(path);
    w.prepare("INSERT INTO llm_calls VALUES ('a')").run();
    w.close();
    expect(contentHash(path)).toBe(h0);
    const w2 = new Database(path);
    w2.prepare("INSERT INTO entities VALUES ('1', 'Velra')").run();
    w2.close();
    expect(contentHash(path)).not.toBe(h0);
  });

  it('generates invocations of every command, and never a writable path outside the scratch folder', () => {
    const root = '/tmp/dma-fuzz-scratch';
    const files: FuzzFiles = {
      root,
      db: `${root}/campaign.db`,
      good: [`${root}/a.json`],
      bad: [`${root}/b.json`],
      known: ['fighter'],
    };
    const sample = fc.sample(invocationArb(contract, files), { seed: 7, numRuns: 4000 });
    const seen = new Set(sample.map((s) => s.command));
    for (const c of contract.commands) expect(seen.has(c.id), c.id).toBe(true);
    for (const { argv } of sample) {
      for (const [i, a] of argv.entries()) {
        const prev = argv[i - 1] ?? '';
        const value = a.startsWith('--output=')
          ? a.slice(9)
          : /^(-o|--output)$/.test(prev)
            ? a
            : undefined;
        if (value === undefined || !value.startsWith('/')) continue;
        expect(
          value.startsWith(root) ||
            ['/dev/null', '/dev/full', '/nonexistent-dma-fuzz/x.json'].includes(value),
          value,
        ).toBe(true);
      }
    }
  });
});
