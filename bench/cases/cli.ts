import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase } from '../types.ts';

/** Whole-process start-up of the fast lane and the Commander path. */
export const cases: BenchCase[] = [
  { kind: 'process', name: 'version', args: ['--version'], maxRatio: 1.5 },
  { kind: 'process', name: 'thac0', args: ['thac0', 'fighter', '5'], maxRatio: 1.3 },
  { kind: 'process', name: 'save', args: ['save', 'cleric', '7', '--vs', 'spell'], maxRatio: 1.3 },
  // issue 15's lookups, on the fast lane
  { kind: 'process', name: 'spells bard', args: ['spells', 'bard', '6'], maxRatio: 1.3 },
  {
    kind: 'process',
    name: 'to-hit --hd',
    args: ['to-hit', '--hd', '4+4', '--ac', '-2'],
    maxRatio: 1.3,
  },
  {
    kind: 'process',
    name: 'thief-skills --armor',
    args: ['thief-skills', '5', '--armor', 'chain'],
    maxRatio: 1.3,
  },
  { kind: 'process', name: 'monster', args: ['monster', 'carrion', 'crawler'], maxRatio: 1.3 },
  { kind: 'process', name: 'roll', args: ['roll', '4d6dl1', '--seed', '1'] },
  { kind: 'process', name: 'help', args: ['--help'], maxRatio: 1.5 },
  { kind: 'process', name: 'command help', args: ['npc', 'create', '--help'], maxRatio: 1.5 },
  // issue 16: quick database check by default, SDKs resolved not imported
  { kind: 'process', name: 'doctor', args: ['doctor'], maxRatio: 2.5 },
  { kind: 'process', name: 'config show', args: ['config', 'show'] },
  { kind: 'process', name: 'item', args: ['item', 'ring', 'of', 'invisibility'], maxRatio: 1.3 },
  {
    kind: 'process',
    name: 'trap random',
    args: ['trap', '--random', '--placement', 'door', '--level', '3', '--seed', '1'],
    maxRatio: 1.3,
  },
  {
    kind: 'process',
    name: 'npc create',
    args: ['npc', 'create', '--seed', '1', '--no-save'],
    maxRatio: 2,
  },
  {
    kind: 'process',
    name: 'dungeon gen',
    args: ['dungeon', 'gen', '--rooms', '30', '--seed', '1', '--no-save'],
    maxRatio: 2,
  },
  {
    kind: 'process',
    name: 'dungeon gen --map svg',
    args: ['dungeon', 'gen', '--rooms', '30', '--seed', '1', '--no-save', '--map', 'svg'],
    maxRatio: 2,
  },
  {
    kind: 'process',
    name: 'dungeon gen --map png',
    args: [
      ...['dungeon', 'gen', '--rooms', '30', '--seed', '1', '--no-save', '--map', 'png'],
      ...['--output', join(tmpdir(), `dma-bench-map-${process.pid}.png`)],
    ],
    maxRatio: 2.5,
  },
  {
    kind: 'process',
    name: 'dungeon gen saved',
    args: ['dungeon', 'gen', '--rooms', '30', '--seed', '1'],
    maxRatio: 2,
  },
];
