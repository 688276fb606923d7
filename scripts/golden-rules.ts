/**
 * Writes the System Mastery golden files (golden/sma_*.json) from the rules engine, after
 * checking every value that the shared AD&D 2e reference also has against its consensus
 * (../shared/reference/adnd2e/golden_flat.json). A mismatch aborts: the goldens are never
 * just a copy of whatever the engine says. Run: npx tsx scripts/golden-rules.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abilityRow } from '../src/rules/abilities.ts';
import { CLASSES, groupOf } from '../src/rules/classes.ts';
import { saves, SAVE_KEYS, SAVE_CATEGORIES } from '../src/rules/saves.ts';
import { monsterThac0, thac0 } from '../src/rules/thac0.ts';
import { turnUndead, UNDEAD } from '../src/rules/turn-undead.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ref = JSON.parse(
  readFileSync(join(root, '../shared/reference/adnd2e/golden_flat.json'), 'utf8'),
) as { tables: Record<string, Record<string, unknown>> };
const mismatches: string[] = [];
function check(what: string, ours: unknown, theirs: unknown): void {
  if (theirs !== undefined && JSON.stringify(ours) !== JSON.stringify(theirs)) {
    mismatches.push(`${what}: ours ${JSON.stringify(ours)}, reference ${JSON.stringify(theirs)}`);
  }
}
const get = (table: string, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o as Record<string, unknown> | undefined)?.[k],
    ref.tables[table],
  );

const levels = Array.from({ length: 20 }, (_, i) => i + 1);

const thac0Tests = CLASSES.flatMap((c) =>
  levels.map((level) => {
    const expected = thac0(c, level).thac0;
    check(`thac0 ${c} ${level}`, expected, get('thac0', groupOf(c), String(level)));
    return { input: { class: c, level }, expected };
  }),
);

const saveTests = CLASSES.flatMap((c) => {
  const ls = groupOf(c) === 'warrior' ? [0, ...levels, 21] : [...levels, 21];
  return ls.map((level) => {
    const r = saves(c, level);
    // the reference has the plain table (no paladin bonus): compare the base row
    for (const cat of SAVE_CATEGORIES) {
      check(
        `saves ${c} ${level} ${cat}`,
        r.base[cat],
        get('saving_throws', groupOf(c), String(level), SAVE_KEYS[cat]),
      );
    }
    return { input: { class: c, level }, expected: r.saves };
  });
});

const strengthInputs = [
  ...Array.from({ length: 18 }, (_, i) => String(i + 1)),
  '18/01',
  '18/50',
  '18/51',
  '18/75',
  '18/76',
  '18/90',
  '18/91',
  '18/99',
  '18/00',
  ...Array.from({ length: 7 }, (_, i) => String(i + 19)),
];
const strengthTests = strengthInputs.map((score) => {
  const r = abilityRow('str', score, { class: 'fighter' });
  const { score: _key, ...row } = r.row as Record<string, unknown>;
  for (const [k, v] of Object.entries(row))
    check(`strength ${r.row_key} ${k}`, v, get('strength', r.row_key, k));
  return { input: { score, class: 'fighter' }, expected: { row: r.row_key, ...row } };
});

const REF_UNDEAD: Record<string, string> = {
  skeleton: 'skeleton_or_1hd',
  zombie: 'zombie',
  ghoul: 'ghoul_or_2hd',
  shadow: 'shadow_or_3-4hd',
  wight: 'wight_or_5hd',
  ghast: 'ghast',
  wraith: 'wraith_or_6hd',
  mummy: 'mummy_or_7hd',
  spectre: 'spectre_or_8hd',
  vampire: 'vampire_or_9hd',
  ghost: 'ghost_or_10hd',
  lich: 'lich_or_11+hd',
  special: 'special',
};
const turnTests = UNDEAD.flatMap((u) =>
  levels.map((level) => {
    const r = turnUndead(level, u);
    const e = r.entries[0]!;
    check(`turn ${u} ${r.column}`, e.result, get('turn_undead', REF_UNDEAD[u]!, r.column));
    return { input: { level, undead: u }, expected: e.result };
  }),
);

const hdInputs = [
  '1/2',
  '½',
  '1/4',
  '1-1',
  '1',
  '1+1',
  '1+2',
  '1+3',
  '2',
  '2+4',
  '3',
  '3+3',
  '4',
  '4+4',
  '5',
  '6',
  '7',
  '8',
  '8+3',
  '9',
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '15+7',
  '16',
  '20',
  '50',
];
const monsterTests = hdInputs.map((hd) => {
  const r = monsterThac0(hd);
  return { input: { hit_dice: hd }, expected: { counted_as: r.counted_as, thac0: r.thac0 } };
});
for (let n = 1; n <= 16; n++)
  check(`monster ${n}`, monsterThac0(String(n)).thac0, get('monster_thac0', String(n), 'thac0'));

if (mismatches.length > 0) {
  throw new Error(`engine disagrees with the reference consensus:\n  ${mismatches.join('\n  ')}`);
}
const write = (file: string, doc: unknown) =>
  writeFileSync(join(root, 'golden', file), JSON.stringify(doc, null, 1) + '\n');
write('sma_thac0_lookup.json', { source: 'PHB Table 53', thac0_tests: thac0Tests });
write('sma_saves.json', {
  source: 'PHB Table 60; paladin +2 (PHB Chapter 3)',
  saves_tests: saveTests,
});
write('sma_strength.json', { source: 'PHB Table 1', strength_tests: strengthTests });
write('sma_turn_undead.json', { source: 'PHB Table 61', turn_undead_tests: turnTests });
write('sma_monster_thac0.json', { source: 'DMG Table 39', monster_thac0_tests: monsterTests });
