import type { BenchCase } from '../types.ts';

/** Whole-process `dma action` with the offline narrator (issue #8: median ≤ 2× `node -e 0`). */
export const cases: BenchCase[] = [
  {
    kind: 'process',
    name: 'action (mock)',
    args: [
      'action',
      'I attack the goblin with my sword',
      '--character',
      'golden/pc-fighter.yaml',
      '--target-ac',
      '6',
      '--seed',
      '7',
      '--adapter',
      'mock',
    ],
    maxRatio: 2,
  },
];
