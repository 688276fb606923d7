/** The rules engine against the System Mastery golden files (golden/sma_*.json). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abilityRow } from '../../src/rules/abilities.ts';
import { CLASSES } from '../../src/rules/classes.ts';
import { saves } from '../../src/rules/saves.ts';
import { monsterThac0, thac0, thac0Value } from '../../src/rules/thac0.ts';
import { turnUndead, UNDEAD } from '../../src/rules/turn-undead.ts';

const golden = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../../golden/${file}`, import.meta.url), 'utf8')) as T;

interface Case<I, E> {
  input: I;
  expected: E;
}

describe('golden: THAC0 (every class × level 1-20)', () => {
  const { thac0_tests } = golden<{ thac0_tests: Case<{ class: string; level: number }, number>[] }>(
    'sma_thac0_lookup.json',
  );
  it('covers every class and level', () => {
    expect(thac0_tests).toHaveLength(CLASSES.length * 20);
  });
  it.each(thac0_tests.map((t) => [t.input.class, t.input.level, t.expected] as const))(
    '%s %i → %i',
    (klass, level, expected) => {
      const r = thac0(klass, level);
      expect(r.thac0).toBe(expected);
      expect(thac0Value(r.group, level)).toBe(expected);
      expect(thac0(klass.toUpperCase(), level).thac0).toBe(expected);
    },
  );
});

describe('golden: saving throws (every class × level)', () => {
  const { saves_tests } = golden<{
    saves_tests: Case<{ class: string; level: number }, Record<string, number>>[];
  }>('sma_saves.json');
  it('covers every class at levels 1-21 and warriors at 0', () => {
    expect(new Set(saves_tests.map((t) => t.input.class))).toEqual(new Set(CLASSES));
    expect(saves_tests.filter((t) => t.input.level === 0).map((t) => t.input.class)).toEqual([
      'fighter',
      'paladin',
      'ranger',
    ]);
  });
  it('matches every row', () => {
    for (const t of saves_tests) {
      expect(
        saves(t.input.class, t.input.level).saves,
        `${t.input.class} ${t.input.level}`,
      ).toEqual(t.expected);
    }
  });
});

describe('golden: strength (every row)', () => {
  const { strength_tests } = golden<{
    strength_tests: Case<{ score: string; class: string }, Record<string, unknown>>[];
  }>('sma_strength.json');
  it('covers all 30 rows of PHB Table 1', () => {
    expect(new Set(strength_tests.map((t) => t.expected.row)).size).toBe(30);
  });
  it('matches every row', () => {
    for (const t of strength_tests) {
      const r = abilityRow('str', t.input.score, { class: t.input.class });
      const { score: _s, ...row } = r.row as Record<string, unknown>;
      expect({ row: r.row_key, ...row }, t.input.score).toEqual(t.expected);
    }
  });
});

describe('golden: turning undead (every cell)', () => {
  const { turn_undead_tests } = golden<{
    turn_undead_tests: Case<{ level: number; undead: string }, number | string | null>[];
  }>('sma_turn_undead.json');
  it('covers every row and all 12 columns', () => {
    expect(new Set(turn_undead_tests.map((t) => t.input.undead))).toEqual(new Set(UNDEAD));
    const columns = new Set(turn_undead_tests.map((t) => turnUndead(t.input.level).column));
    expect(columns.size).toBe(12);
  });
  it('matches every cell', () => {
    for (const t of turn_undead_tests) {
      const r = turnUndead(t.input.level, t.input.undead);
      expect(r.entries[0]!.result, `${t.input.undead} ${t.input.level}`).toEqual(t.expected);
    }
  });
});

describe('golden: creature THAC0 by Hit Dice', () => {
  const { monster_thac0_tests } = golden<{
    monster_thac0_tests: Case<{ hit_dice: string }, { counted_as: string; thac0: number }>[];
  }>('sma_monster_thac0.json');
  it('matches every case', () => {
    for (const t of monster_thac0_tests) {
      const r = monsterThac0(t.input.hit_dice);
      expect({ counted_as: r.counted_as, thac0: r.thac0 }, t.input.hit_dice).toEqual(t.expected);
    }
  });
});
