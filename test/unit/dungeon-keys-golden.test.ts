/**
 * Golden keys of issue 13: the seeds a DM reported, pinned byte for byte as the text report
 * (ASCII map and room key) and as JSON. UPDATE_GOLDEN=1 rewrites them after an intended
 * change (a new monster in the catalogue moves the picks): review the diff as a DM would.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { generateDungeon, type DungeonOptions } from '../../src/generators/dungeon/index.ts';
import { dungeonReport } from '../../src/generators/dungeon/report.ts';

const DIR = join(process.cwd(), 'golden/dungeon');

const CASES: { name: string; seed: number; options: DungeonOptions; json?: boolean }[] = [
  // "--size small --level 1 --party-level 1, seeds 1-8": rated hard or deadly, or empty
  { name: 'small-l1-p1-seed1', seed: 1, options: { size: 'small', level: 1, partyLevel: 1 } },
  {
    name: 'small-l1-p1-seed3',
    seed: 3,
    options: { size: 'small', level: 1, partyLevel: 1 },
    json: true,
  },
  // "--size large --level 8 --party-level 7 --seed 99": three basilisks called fair
  {
    name: 'large-l8-p7-seed99',
    seed: 99,
    options: { size: 'large', level: 8, partyLevel: 7 },
    json: true,
  },
  // "medium seed 7, room 5": a trapped door with no trigger
  { name: 'medium-seed7', seed: 7, options: { size: 'medium', level: 1 } },
  // the themes
  { name: 'cavern-l3-seed5', seed: 5, options: { size: 'medium', level: 3, theme: 'cavern' } },
  {
    name: 'warren-l2-seed4',
    seed: 4,
    options: { size: 'medium', level: 2, theme: 'warren' },
    json: true,
  },
  { name: 'crypt-l4-seed11', seed: 11, options: { size: 'medium', level: 4, theme: 'crypt' } },
  {
    name: 'keyroom-l5-seed8',
    seed: 8,
    options: {
      size: 'medium',
      level: 5,
      partySize: 5,
      theme: 'ruins',
      keyRooms: [{ name: 'throne room', monster: 'ogre' }, { name: 'shrine' }],
    },
  },
];

describe('golden dungeon keys (issue 13 seeds)', () => {
  if (process.env.UPDATE_GOLDEN === '1') mkdirSync(DIR, { recursive: true });
  for (const c of CASES) {
    it(`${c.name}: text${c.json ? ' and JSON' : ''}`, () => {
      const d = generateDungeon(c.options, createRng(c.seed));
      const files: [string, string][] = [[`${c.name}.txt`, dungeonReport(d, null) + '\n']];
      if (c.json) files.push([`${c.name}.json`, JSON.stringify(d, null, 2) + '\n']);
      for (const [file, content] of files) {
        const path = join(DIR, file);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, content);
        expect(existsSync(path), `${file} exists (UPDATE_GOLDEN=1 writes it)`).toBe(true);
        expect(content).toBe(readFileSync(path, 'utf8'));
      }
    });
  }
});
