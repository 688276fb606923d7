/**
 * Issue 15's lookups and stat-block extras: bard, paladin and ranger spells; thief skills
 * in armour (PHB Table 29); ranger skills; a monster's to-hit (DMG Table 39); proficiency
 * slots (PHB Table 34); turning, spell failure, languages and the poison save — checked
 * against the book's numbers and the shared reference where it covers them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { generateNpc, generateNpcs } from '../../src/generators/npc/index.ts';
import {
  languageAllowance,
  poisonSave,
  proficiencySlots,
  spellFailure,
  turningLine,
} from '../../src/rules/extras.ts';
import { spellSlots } from '../../src/rules/spells.ts';
import { rangerSkills, thiefSkills } from '../../src/rules/thief-skills.ts';
import { monsterThac0 } from '../../src/rules/thac0.ts';
import { toHit } from '../../src/rules/to-hit.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const reference = (file: string) =>
  JSON.parse(readFileSync(join(root, '../shared/reference/adnd2e', file), 'utf8')) as {
    values: Record<string, Record<string, { consensus: unknown }>>;
  };

const slots = (klass: string, level: number) =>
  spellSlots(klass, level)
    .spells.map((s) => s.total)
    .join(' ');

describe('spell progressions of bards, paladins and rangers', () => {
  it('bard (PHB Table 32): none at 1st, then wizard spells to 6th level', () => {
    expect(slots('bard', 1)).toBe('');
    expect(slots('bard', 2)).toBe('1');
    expect(slots('bard', 6)).toBe('3 2');
    expect(slots('bard', 13)).toBe('3 3 3 2 1');
    expect(slots('bard', 20)).toBe('4 4 4 4 4 3');
  });
  it('paladin (from 9th) and ranger (from 8th), with casting level and spheres', () => {
    expect(slots('paladin', 8)).toBe('');
    expect(slots('paladin', 9)).toBe('1');
    expect(slots('paladin', 15)).toBe('3 2 1 1');
    expect(slots('paladin', 20)).toBe('3 3 3 3');
    expect(spellSlots('paladin', 17).casting_level).toBe(9);
    expect(spellSlots('paladin', 9).spheres).toEqual([
      'combat',
      'divination',
      'healing',
      'protection',
    ]);
    expect(slots('ranger', 7)).toBe('');
    expect(slots('ranger', 8)).toBe('1');
    expect(slots('ranger', 12)).toBe('2 2 1');
    expect(slots('ranger', 16)).toBe('3 3 3');
    expect(spellSlots('ranger', 8).casting_level).toBe(1);
  });
});

describe('thief skills in armour (PHB Table 29)', () => {
  const pp = (armour?: string, klass?: string) =>
    thiefSkills(5, {
      ...(armour === undefined ? {} : { armour }),
      ...(klass ? { class: klass } : {}),
    }).skills.find((s) => s.skill === 'pick_pockets')!;
  it('leather is the baseline; no armour helps; padded, studded and elven chain hurt', () => {
    expect(pp().armour).toBe(0);
    expect(pp('none').armour).toBe(5);
    expect(pp('padded').armour).toBe(-30);
    expect(pp('studded').armour).toBe(-30);
    expect(pp('elven-chain').armour).toBe(-20);
    expect(pp('none').total - pp().total).toBe(5);
  });
  it('a bard in chain mail is penalised (the heavier-armour expansion of Table 29)', () => {
    const leather = thiefSkills(4, { class: 'bard' });
    const chain = thiefSkills(4, { class: 'bard', armour: 'chain' });
    expect(chain.armour).toBe('chain mail');
    for (const s of chain.skills) {
      const l = leather.skills.find((x) => x.skill === s.skill)!;
      if (s.skill === 'read_languages') expect(s.total).toBe(l.total);
      else expect(s.total).toBeLessThan(l.total);
    }
  });
  it('rangers hide and move silently by level, not in heavy armour', () => {
    expect(rangerSkills(1).skills).toEqual({ hide_in_shadows: 10, move_silently: 15 });
    expect(rangerSkills(20).skills).toEqual({ hide_in_shadows: 99, move_silently: 99 });
    expect(rangerSkills(5, { armour: 'chain mail' }).skills).toBeUndefined();
    expect(rangerSkills(5, { race: 'elf', dex: 17, armour: 'none' }).skills).toEqual({
      hide_in_shadows: 31 + 10 + 5 + 5,
      move_silently: 40 + 5 + 5 + 10,
    });
  });
});

describe('a monster attacking (DMG Table 39)', () => {
  it('4+4 HD fights as 5 HD: THAC0 15, so 17 against AC -2', () => {
    const m = monsterThac0('4+4');
    expect(m.thac0).toBe(15);
    expect(toHit({ thac0: m.thac0 }, -2).roll_needed).toBe(17);
    expect(monsterThac0('4+2').thac0).toBe(17);
  });
});

describe('stat-block extras', () => {
  it('proficiency slots (PHB Table 34): the best of a multi-class character’s classes', () => {
    expect(proficiencySlots([{ class: 'fighter', level: 1 }])).toEqual({
      weapon: 4,
      nonweapon: 3,
      penalty: -2,
    });
    expect(proficiencySlots([{ class: 'mage', level: 7 }])).toEqual({
      weapon: 2,
      nonweapon: 6,
      penalty: -5,
    });
    expect(
      proficiencySlots([
        { class: 'fighter', level: 4 },
        { class: 'mage', level: 4 },
      ]),
    ).toEqual({ weapon: 5, nonweapon: 5, penalty: -2 });
  });

  it('turning as PHB Table 61 (the reference), paladins two levels lower from 3rd', () => {
    const ref = reference('turn_undead.json').values;
    const rows = Object.keys(ref);
    for (const level of [1, 2, 5, 9, 10, 12, 14]) {
      const line = turningLine('cleric', level)!;
      const col =
        level <= 9 ? String(level) : level <= 11 ? '10-11' : level <= 13 ? '12-13' : '14+';
      Object.values(line.results).forEach((v, i) => {
        const c = ref[rows[i]!]![col]!.consensus;
        expect(v, `${rows[i]} at ${level}`).toBe(c === null ? '-' : String(c));
      });
    }
    expect(turningLine('paladin', 2)).toBeUndefined();
    expect(turningLine('paladin', 7)!.as_level).toBe(5);
    expect(turningLine('druid', 7)).toBeUndefined();
  });

  it('spell failure (PHB Table 5) and languages (PHB Table 4) match the reference', () => {
    const ref = reference('abilities_other.json').values;
    for (let score = 3; score <= 18; score++) {
      expect(spellFailure(score)).toBe(ref['wis.spell_failure_pct']![String(score)]!.consensus);
      expect(languageAllowance('human', score).extra).toBe(
        ref['int.languages']![String(score)]!.consensus,
      );
    }
  });

  it('dwarves and halflings save vs poison with their Constitution bonus; gnomes do not', () => {
    expect(poisonSave('dwarf', 18, 14)).toBe(9); // Con 18: +5 (PHB Table 9)
    expect(poisonSave('halfling', 14, 13)).toBe(9); // Con 14: +4
    expect(poisonSave('gnome', 18, 14)).toBeUndefined();
    expect(poisonSave('human', 18, 14)).toBeUndefined();
  });

  it('generated NPCs carry them: a dwarf’s poison save, a cleric’s turning, a Wisdom-12 priest’s failure', () => {
    const dwarf = generateNpc({ class: 'fighter', race: 'dwarf', level: 3 }, createRng(4));
    expect(dwarf.poison_save).toBeLessThan(dwarf.saves.paralyzation);
    expect(dwarf.racial_abilities!.join(' ')).toMatch(/infravision 60 feet/);
    expect(dwarf.weapon_proficiencies.some((w) => w.endsWith('(specialised)'))).toBe(true);
    const clerics = generateNpcs({ class: 'cleric', level: 5 }, 60, createRng(6));
    for (const c of clerics) {
      expect(c.turn_undead!.as_level).toBe(5);
      expect(c.spell_failure ?? 0).toBe(spellFailure(c.abilities.wis));
      expect(c.languages.length).toBeGreaterThanOrEqual(1);
    }
    expect(clerics.some((c) => c.spell_failure === 5 && c.abilities.wis === 12)).toBe(true);
    const withNwp = generateNpc({ class: 'thief', nwp: true }, createRng(2));
    expect(withNwp.nonweapon_proficiencies!.length).toBeGreaterThan(0);
    expect(generateNpc({ class: 'thief' }, createRng(2)).nonweapon_proficiencies).toBeUndefined();
  });
});
