import type { BenchCase } from '../types.ts';

/** Whole-process start-up of the fast lane and the Commander path. */
export const cases: BenchCase[] = [
  { kind: 'process', name: 'version', args: ['--version'], maxRatio: 1.5 },
  { kind: 'process', name: 'thac0', args: ['thac0', 'fighter', '5'], maxRatio: 1.3 },
  { kind: 'process', name: 'save', args: ['save', 'cleric', '7', '--vs', 'spell'], maxRatio: 1.3 },
  { kind: 'process', name: 'roll', args: ['roll', '4d6dl1', '--seed', '1'] },
  { kind: 'process', name: 'help', args: ['--help'] },
];
