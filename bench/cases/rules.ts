/** In-process benchmarks of the rules engine (the fast lane's lookups). */
import { createRng } from '../../src/core/rng.ts';
import type { GroupKey } from '../../src/data/schemas/common.ts';
import { rollDice } from '../../src/rules/dice.ts';
import { rollMagicItem, rollTreasureMagic } from '../../src/rules/magic-items.ts';
import { saves } from '../../src/rules/saves.ts';
import { monsterThac0, thac0, thac0Value } from '../../src/rules/thac0.ts';
import { rollTrap } from '../../src/rules/traps.ts';
import type { BenchCase } from '../types.ts';

const GROUPS: GroupKey[] = ['warrior', 'priest', 'rogue', 'wizard'];
const N = 1_000_000;

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: 'rules: thac0Value(group, level) x 1M',
    samples: 20,
    opsPerSample: N,
    target: '>= 5000000 ops/s',
    run: () => {
      let sum = 0;
      for (let i = 0; i < N; i++) sum += thac0Value(GROUPS[i & 3]!, (i % 20) + 1);
      return sum;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: thac0(class, level) with derivation x 100k',
    samples: 10,
    opsPerSample: 100_000,
    run: () => {
      let sum = 0;
      for (let i = 0; i < 100_000; i++) sum += thac0('fighter', (i % 20) + 1).thac0;
      return sum;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: saves(class, level, race, con) x 100k',
    samples: 10,
    opsPerSample: 100_000,
    run: () => {
      let sum = 0;
      for (let i = 0; i < 100_000; i++)
        sum += saves('fighter', (i % 20) + 1, { race: 'dwarf', con: 16 }).saves.spell;
      return sum;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: monsterThac0("4+4") x 100k',
    samples: 10,
    opsPerSample: 100_000,
    run: () => {
      let sum = 0;
      for (let i = 0; i < 100_000; i++) sum += monsterThac0('4+4').thac0;
      return sum;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: rollDice("4d6dl1") x 100k',
    samples: 10,
    opsPerSample: 100_000,
    setup: () => createRng(42),
    run: (rng: ReturnType<typeof createRng>) => {
      let sum = 0;
      for (let i = 0; i < 100_000; i++) sum += rollDice('4d6dl1', rng).total;
      return sum;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: rollMagicItem() x 100k',
    samples: 10,
    opsPerSample: 100_000,
    run: () => {
      const rng = createRng(1);
      let gp = 0;
      for (let i = 0; i < 100_000; i++) gp += rollMagicItem(rng).gp;
      return gp;
    },
  },
  {
    kind: 'in-process',
    name: 'rules: rollTreasureMagic("H") + rollTrap x 10k',
    samples: 10,
    opsPerSample: 10_000,
    run: () => {
      const rng = createRng(1);
      let n = 0;
      for (let i = 0; i < 10_000; i++) {
        n += rollTreasureMagic(rng, 'H').length;
        n += rollTrap(rng, { placement: 'door', level: (i % 10) + 1 }).name.length;
      }
      return n;
    },
  },
];
