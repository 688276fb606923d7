import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { generateDungeon, type DungeonOptions } from '../../src/generators/dungeon/index.ts';

const GOLDEN = join(process.cwd(), 'golden/wed_dungeon_generation.json');
const SEED = 20240;
const OPTIONS: DungeonOptions = { size: 'small', level: 3, partyLevel: 2, theme: 'crypt' };

function render(): string {
  const dungeon = generateDungeon(OPTIONS, createRng(SEED));
  return JSON.stringify({ seed: SEED, options: OPTIONS, dungeon }, null, 2) + '\n';
}

describe('golden: World Designer dungeon generation', () => {
  it('regenerates golden/wed_dungeon_generation.json byte for byte', () => {
    // UPDATE_GOLDEN=1 rewrites the file after an intended change; review the diff
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, render());
    expect(existsSync(GOLDEN), 'golden file exists (UPDATE_GOLDEN=1 writes it)').toBe(true);
    const golden = readFileSync(GOLDEN, 'utf8');
    const { seed, options } = JSON.parse(golden) as { seed: number; options: DungeonOptions };
    expect(seed).toBe(SEED);
    expect(options).toEqual(OPTIONS);
    expect(render()).toBe(golden);
  });
});
