/** In-process dungeon generation benchmarks (issue #5: 100 rooms in under 50 ms). */
import { createRng } from '../../src/core/rng.ts';
import { generateDungeon } from '../../src/generators/dungeon/index.ts';
import { renderSvgMap } from '../../src/generators/map/svg.ts';
import type { BenchCase } from '../types.ts';

let seed = 0;

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: 'dungeon gen, 100 rooms, level 5',
    run: () => generateDungeon({ rooms: 100, level: 5 }, createRng(seed++)),
    samples: 50,
    target: '< 50 ms',
  },
  {
    kind: 'in-process',
    name: 'dungeon gen, medium (12 rooms)',
    run: () => generateDungeon({ size: 'medium', level: 3 }, createRng(seed++)),
    samples: 200,
  },
  {
    kind: 'in-process',
    name: 'dungeon SVG map, 100 rooms',
    setup: () => generateDungeon({ rooms: 100, level: 5 }, createRng(1)),
    run: (d: ReturnType<typeof generateDungeon>) => renderSvgMap(d),
    samples: 50,
  },
];
