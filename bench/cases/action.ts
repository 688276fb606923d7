import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase } from '../types.ts';

const ATTACK = [
  'action',
  'I attack the goblin with my sword',
  '--character',
  'golden/pc-fighter.yaml',
];

/** A scratch campaign; with `enemies`, a stored fight against them is started in it. */
function campaign(enemies?: string): Record<string, string> {
  const db = join(mkdtempSync(join(tmpdir(), 'dma-bench-action-')), 'campaign.db');
  const env = { ...process.env, DMA_DB: db } as Record<string, string>;
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'dma.cjs');
  if (enemies === undefined) execFileSync('node', [bin, 'db', 'info'], { env, stdio: 'ignore' });
  else
    execFileSync(
      'node',
      [bin, 'combat', 'start', enemies, '-c', 'golden/pc-fighter.yaml', '--seed', '1'],
      { env, stdio: 'ignore' },
    );
  return { DMA_DB: db };
}

/**
 * Whole-process `dma action` with the offline narrator (issue #8: median ≤ 2× `node -e 0`;
 * issue #14: ≤ 2.5× with the stored fight — a campaign to look in, and a round written).
 */
export const cases: BenchCase[] = [
  {
    kind: 'process',
    name: 'action (mock)',
    args: [...ATTACK, '--target-ac', '6', '--seed', '7', '--adapter', 'mock'],
    maxRatio: 2,
  },
  {
    kind: 'process',
    name: 'action (mock, a campaign without a fight)',
    args: [...ATTACK, '--target-ac', '6', '--seed', '7'],
    setup: () => campaign(),
    maxRatio: 2.5,
  },
  {
    kind: 'process',
    name: 'action (mock, a round of a stored fight against 40 giant centipedes)',
    args: [
      'action',
      'I attack the centipede with my sword',
      '--character',
      'golden/pc-fighter.yaml',
    ],
    setup: () => campaign('40 giant centipedes'),
    maxRatio: 2.5,
  },
];
