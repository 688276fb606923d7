/** In-process NPC generation benchmarks (issue #5: 10,000 NPCs, generation well under 1 s). */
import { createRng } from '../../src/core/rng.ts';
import { generateNpcs } from '../../src/generators/npc/index.ts';
import type { BenchCase } from '../types.ts';

let seed = 0;

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: 'npc gen, 10,000 random NPCs',
    run: () => generateNpcs({}, 10_000, createRng(seed++)),
    samples: 10,
    opsPerSample: 10_000,
    target: '< 1000 ms',
  },
  {
    kind: 'in-process',
    name: 'npc gen, 10,000 level 10 clerics (spells)',
    run: () => generateNpcs({ class: 'cleric', level: 10 }, 10_000, createRng(seed++)),
    samples: 10,
    opsPerSample: 10_000,
    target: '< 1000 ms',
  },
  {
    kind: 'in-process',
    name: 'npc gen, 1 level 7 mage',
    run: () => generateNpcs({ class: 'mage', level: 7 }, 1, createRng(seed++)),
    samples: 500,
  },
];
