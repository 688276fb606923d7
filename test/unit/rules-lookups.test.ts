import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { classesTable } from '../../src/data/classes.ts';
import { racesTable } from '../../src/data/races.ts';
import { abilityRow, parseScore } from '../../src/rules/abilities.ts';
import { classInfo, CLASSES, GROUPS, resolveClassOrGroup } from '../../src/rules/classes.ts';
import { armour, weapon } from '../../src/rules/equipment.ts';
import { levelForXp, xpForLevel } from '../../src/rules/experience.ts';
import { race } from '../../src/rules/races.ts';
import { resolveSaveCategory, saveFor, saves } from '../../src/rules/saves.ts';
import { spellSlots } from '../../src/rules/spells.ts';
import { rulesTables, showTable } from '../../src/rules/tables.ts';
import { thiefSkills } from '../../src/rules/thief-skills.ts';
import {
  monsterThac0,
  parseHitDice,
  thac0,
  thac0ByRate,
  thac0Value,
} from '../../src/rules/thac0.ts';
import { toHit } from '../../src/rules/to-hit.ts';
import { turnUndead } from '../../src/rules/turn-undead.ts';

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('THAC0', () => {
  it('accepts class and group names in any case', () => {
    expect(thac0('FIGHTER', 5).thac0).toBe(16);
    expect(thac0('Priest', 7)).toMatchObject({ group: 'priest', thac0: 16 });
    expect(thac0('magic-user', 10)).toMatchObject({ class: 'mage', group: 'wizard', thac0: 17 });
    expect(thac0('priest', 7).derivation.uses[0]).toEqual({
      table: 'thac0',
      source: 'PHB Table 53',
      row: 'priest, levels 7-9',
    });
  });
  it('extends past 20 with the step formula that reproduces levels 1-20', () => {
    for (const g of GROUPS)
      for (let l = 1; l <= 20; l++) expect(thac0ByRate(g, l)).toBe(thac0Value(g, l));
    expect([21, 22, 23].map((l) => thac0Value('warrior', l))).toEqual([0, -1, -2]);
    expect([21, 22, 25].map((l) => thac0Value('priest', l))).toEqual([8, 6, 4]);
    expect([21, 22, 23].map((l) => thac0Value('rogue', l))).toEqual([10, 10, 9]);
    expect([21, 22, 25].map((l) => thac0Value('wizard', l))).toEqual([14, 13, 12]);
    expect(thac0('cleric', 22).derivation.notes[0]).toMatch(/2 per 3 levels/);
  });
  it('rejects bad names and levels', () => {
    expect(usage(() => thac0('fightr', 3))).toBe(
      'unknown class or group "fightr" — did you mean "fighter"?',
    );
    expect(usage(() => thac0('fighter', 0))).toBe(
      'level 0 is outside the THAC0 table (levels 1-100)',
    );
    expect(usage(() => thac0Value('warrior', 2.5))).toMatch(/levels 1-100/);
    expect(usage(() => thac0Value('warrior', 101))).toMatch(/levels 1-100/);
  });
});

describe('Hit Dice and creature THAC0', () => {
  it.each([
    ['4+4', 5, 15],
    ['4+2', 4, 17],
    ['3+3', 4, 17],
    ['1-1', -1, 20],
    ['2-1', 1, 19],
    ['1/2', 0, 20],
    ['½', 0, 20],
    ['1/4', 0, 20],
    ['12', 12, 9],
    ['15+7', 16, 5],
    ['30', 30, 5],
    [' 8 + 3 ', 9, 11],
  ])('%s → row %i, THAC0 %i', (hd, row, value) => {
    expect(parseHitDice(hd).row).toBe(row);
    expect(monsterThac0(hd).thac0).toBe(value);
  });
  it('rejects malformed Hit Dice', () => {
    expect(usage(() => parseHitDice('four'))).toMatch(/bad Hit Dice "four"/);
    expect(usage(() => parseHitDice('3/2'))).toMatch(/at most 1/);
    expect(usage(() => parseHitDice('1/0'))).toMatch(/division by zero/);
    expect(usage(() => parseHitDice('4++4'))).toMatch(/bad Hit Dice/);
  });
  it('explains the +3 rule', () => {
    expect(monsterThac0('4+4').derivation.notes[0]).toMatch(/count as another die/);
    expect(monsterThac0('4+4').counted_as).toBe('5 HD');
  });
});

describe('saving throws', () => {
  it('resolves every alias', () => {
    const cases: Record<string, string> = {
      paralyzation: 'paralyzation',
      ppd: 'paralyzation',
      poison: 'paralyzation',
      death: 'paralyzation',
      rod: 'rod',
      rsw: 'rod',
      wand: 'rod',
      staff: 'rod',
      petrification: 'petrification',
      pp: 'petrification',
      polymorph: 'petrification',
      breath: 'breath',
      bw: 'breath',
      'breath-weapon': 'breath',
      'Breath Weapon': 'breath',
      spell: 'spell',
      sp: 'spell',
      spells: 'spell',
    };
    for (const [alias, cat] of Object.entries(cases))
      expect(resolveSaveCategory(alias), alias).toBe(cat);
    expect(usage(() => resolveSaveCategory('breth'))).toBe(
      'unknown save category "breth" — did you mean "breath"?',
    );
  });
  it('has the warrior level-0 row only for warriors', () => {
    expect(saves('fighter', 0).saves).toEqual({
      paralyzation: 16,
      rod: 18,
      petrification: 17,
      breath: 20,
      spell: 19,
    });
    expect(usage(() => saves('thief', 0))).toBe(
      'level 0 is outside the rogue saving throw table (levels 1-100)',
    );
  });
  it('applies the paladin +2 to every category', () => {
    const r = saves('paladin', 1);
    expect(r.base).toEqual(saves('fighter', 1).saves);
    expect(r.saves).toEqual({
      paralyzation: 12,
      rod: 14,
      petrification: 13,
      breath: 15,
      spell: 15,
    });
    expect(r.adjustments).toHaveLength(1);
  });
  it('applies the racial Constitution bonus to rod and spell, poison only as a note', () => {
    const r = saves('fighter', 1, { race: 'Dwarf', con: 18 });
    expect(r.saves).toEqual({
      paralyzation: 14,
      rod: 11,
      petrification: 15,
      breath: 17,
      spell: 12,
    });
    expect(r.adjustments.map((a) => a.applies_to)).toEqual([
      'rod, spell',
      'poison only (not folded into paralyzation)',
    ]);
    expect(saveFor('fighter', 1, 'poison', { race: 'dwarf', con: 18 }).value).toBe(9);
    expect(saveFor('fighter', 1, 'ppd', { race: 'dwarf', con: 18 }).value).toBe(14);
    // gnomes get no poison bonus
    const g = saves('thief', 1, { race: 'gnome', con: 12 });
    expect(g.adjustments).toHaveLength(1);
    expect(g.saves.rod).toBe(11);
    // humans and elves get nothing; Constitution 3 gives no bonus
    expect(saves('fighter', 1, { race: 'elf', con: 18 }).adjustments).toEqual([]);
    expect(saves('fighter', 1, { race: 'dwarf', con: 3 }).adjustments).toEqual([]);
    expect(usage(() => saves('fighter', 1, { race: 'dwarff' }))).toMatch(/did you mean "dwarf"/);
  });
});

describe('abilities', () => {
  it('parses scores', () => {
    expect(parseScore('18/76')).toEqual({ score: 18, percentile: 76 });
    expect(parseScore('18/00')).toEqual({ score: 18, percentile: 100 });
    expect(parseScore('16')).toEqual({ score: 16 });
    expect(usage(() => parseScore('17/50'))).toMatch(/only a Strength of 18/);
    expect(usage(() => parseScore('26'))).toMatch(/outside 1-25/);
  });
  it('finds the row, including exceptional strength bands', () => {
    expect(abilityRow('str', '18/76', { class: 'fighter' })).toMatchObject({
      row_key: '18/76-90',
      row: { hit: 2, dmg: 4 },
    });
    expect(abilityRow('strength', '18/00').row).toMatchObject({
      hit: 3,
      dmg: 6,
      open_doors_locked: 6,
    });
    expect(abilityRow('dex', 16).row).toMatchObject({ reaction: 1, missile: 1, defense: -2 });
    expect(abilityRow('wis', '19').row).toMatchObject({ bonus_spells: [1, 3] });
  });
  it('refuses 18/xx strength for non-warriors, explaining the rule', () => {
    expect(usage(() => abilityRow('str', '18/76', { class: 'mage' }))).toBe(
      'exceptional strength (18/76) is for warriors only (fighter, paladin, ranger); a mage with Strength 18 uses the 18 row',
    );
    expect(usage(() => abilityRow('dex', '18/50'))).toMatch(/only Strength has a percentile/);
    expect(usage(() => abilityRow('luck', '12'))).toMatch(/unknown ability "luck"/);
  });
});

describe('to-hit', () => {
  it('is THAC0 - AC less the attack bonuses', () => {
    expect(toHit({ class: 'fighter', level: 5 }, 5).roll_needed).toBe(11);
    expect(toHit({ thac0: 20 }, -2).roll_needed).toBe(22);
    const melee = toHit({ class: 'fighter', level: 1 }, 4, { str: '18/00', dex: 18 });
    expect([melee.attack, melee.roll_needed]).toEqual(['melee', 13]);
    const bow = toHit({ class: 'ranger', level: 1 }, 4, {
      str: '18/00',
      dex: 18,
      weapon: 'long bow',
    });
    expect([bow.attack, bow.roll_needed]).toEqual(['missile', 14]);
    expect(bow.derivation.uses.map((u) => u.table)).toEqual(['thac0', 'weapons', 'dexterity']);
  });
  it('validates its inputs', () => {
    expect(usage(() => toHit({ class: 'thief', level: 3 }, 4, { str: '18/50' }))).toMatch(
      /warriors only/,
    );
    expect(usage(() => toHit({ thac0: 20 }, 11))).toMatch(/armour class 11/);
    expect(usage(() => toHit({ thac0: 20 }, 5, { weapon: 'longswrd' }))).toMatch(
      /did you mean "longsword"/,
    );
  });
});

describe('experience', () => {
  it('gives XP per level and level per XP', () => {
    expect(xpForLevel('fighter', 9).xp).toBe(250000);
    expect(xpForLevel('Illusionist', 2).xp).toBe(2500);
    expect(xpForLevel('fighter', 21).xp).toBe(3250000);
    expect(levelForXp('thief', 0)).toMatchObject({ level: 1, xp_to_next: 1250 });
    expect(levelForXp('thief', 1250)).toMatchObject({ level: 2, xp_to_next: 1250 });
    expect(levelForXp('cleric', 13001)).toMatchObject({
      level: 5,
      next_level_xp: 27500,
      xp_to_next: 14499,
    });
    expect(levelForXp('mage', 3750000).level).toBe(20);
  });
  it('rejects bad input', () => {
    expect(usage(() => xpForLevel('fighter', 0))).toBe(
      'level 0 is outside the experience tables (levels 1-100)',
    );
    expect(usage(() => levelForXp('fighter', -1))).toMatch(/≥ 0/);
    expect(usage(() => xpForLevel('warrior', 2))).toMatch(/unknown class "warrior"/);
  });
});

describe('turning undead', () => {
  it('returns a column or a cell', () => {
    expect(turnUndead(1).entries).toHaveLength(13);
    expect(turnUndead(10, 'wight').entries[0]).toMatchObject({
      result: 'D',
      meaning: 'destroyed automatically',
    });
    expect(turnUndead(1, 'ghast').entries[0]!.result).toBeNull();
    expect(turnUndead(30, 'special').column).toBe('14+');
    expect(turnUndead(3, '5hd').entries[0]!.undead).toBe('wight');
  });
  it('turns a paladin as a priest two levels lower', () => {
    expect(turnUndead(5, 'skeleton', { class: 'paladin' }).priest_level).toBe(3);
    expect(usage(() => turnUndead(2, undefined, { class: 'paladin' }))).toMatch(/levels 3-100/);
  });
  it('suggests undead names', () => {
    expect(usage(() => turnUndead(3, 'zombi'))).toMatch(/did you mean "zombie"/);
  });
});

describe('spell slots', () => {
  const totals = (r: ReturnType<typeof spellSlots>) => r.spells.map((s) => s.total);
  it('wizards and specialists', () => {
    expect(totals(spellSlots('mage', 5))).toEqual([4, 2, 1]);
    expect(totals(spellSlots('necromancer', 5))).toEqual([5, 3, 2]);
  });
  it('priests with Wisdom bonus spells', () => {
    expect(totals(spellSlots('cleric', 1))).toEqual([1]);
    // Wis 18: two 1st, two 2nd, one 3rd, one 4th — only levels the priest can cast
    expect(totals(spellSlots('cleric', 5, { wis: 18 }))).toEqual([5, 5, 2]);
    expect(totals(spellSlots('druid', 11, { wis: 16 }))).toEqual([0 + 5 + 2, 4 + 2, 4, 3, 2, 0]);
    expect(totals(spellSlots('cleric', 14, { wis: 18 }))).toEqual([8, 8, 7, 6, 3, 2, 1]);
  });
  it('rejects classes without a table', () => {
    expect(usage(() => spellSlots('fighter', 5))).toBe('a fighter casts no spells');
    expect(usage(() => spellSlots('thief', 9))).toBe('a thief casts no spells');
    expect(usage(() => spellSlots('mage', 21))).toMatch(/levels 1-20/);
  });
});

describe('thief skills', () => {
  it('adds base, race, Dexterity and the typical allocation', () => {
    const r = thiefSkills(1, { race: 'halfling', dex: 17 });
    const pp = r.skills.find((s) => s.skill === 'pick_pockets')!;
    expect(pp).toMatchObject({ base: 15, racial: 5, dex: 5, allocated: 10, total: 35 });
    expect(r.skills.reduce((s, x) => s + x.allocated, 0)).toBe(60);
    expect(r.allocation).toBe('typical');
  });
  it('never goes past 95%', () => {
    const r = thiefSkills(20, { race: 'halfling', dex: 19 });
    for (const s of r.skills) expect(s.total).toBeLessThanOrEqual(95);
    expect(r.skills.find((s) => s.skill === 'hide_in_shadows')!.total).toBe(95);
  });
  it('gives bards their four skills and points', () => {
    const r = thiefSkills(1, { class: 'Bard', race: 'half-elf', dex: 16 });
    expect(r.skills.map((s) => [s.skill, s.total])).toEqual([
      ['pick_pockets', 10 + 10 + 0 + 5],
      ['detect_noise', 20 + 5],
      ['climb_walls', 50 + 5],
      ['read_languages', 5 + 5],
    ]);
    expect(r.skills.reduce((s, x) => s + x.allocated, 0)).toBe(20);
    expect(thiefSkills(2, { class: 'bard' }).skills.reduce((s, x) => s + x.allocated, 0)).toBe(35);
    expect(usage(() => thiefSkills(1, { class: 'mage' }))).toBe(
      'a mage has no thieving skills (thief and bard only)',
    );
  });
  it('rejects a Dexterity a thief cannot have', () => {
    expect(usage(() => thiefSkills(1, { dex: 8 }))).toMatch(/outside 9-25/);
  });
});

describe('classes and races', () => {
  it('resolve case-insensitively with did-you-mean', () => {
    expect(resolveClassOrGroup('ROGUE')).toEqual({ group: 'rogue' });
    expect(classInfo('Ranger')).toMatchObject({
      hit_die: 10,
      name_level: 9,
      hp_per_level_after: 3,
    });
    expect(usage(() => classInfo('palladin'))).toBe(
      'unknown class "palladin" — did you mean "paladin"?',
    );
    expect(race('Half Elf').classes).toContain('bard');
  });
  it('agree on which race may take which class', () => {
    for (const c of CLASSES) {
      const fromRaces = Object.entries(racesTable.races)
        .filter(([, r]) => c in r.level_limits)
        .map(([k]) => k)
        .sort();
      expect(fromRaces, c).toEqual([...classesTable.classes[c].races].sort());
    }
  });
});

describe('equipment', () => {
  it('finds weapons and armour', () => {
    expect(weapon('Long Sword').weapon).toMatchObject({
      damage_sm: '1d8',
      damage_l: '1d12',
      speed: 5,
    });
    expect(weapon('longsword').weapon.name).toBe('long sword');
    expect(weapon('heavy crossbow').launcher).toBe(true);
    expect(armour('Plate Mail').armour).toMatchObject({ ac: 3, weight: 50 });
    expect(armour('medium').kind).toBe('shield');
    expect(usage(() => armour('chainmail'))).toMatch(/did you mean "chain mail"/);
  });
});

describe('rules tables', () => {
  it('lists every table with a source and shows each one', () => {
    const list = rulesTables();
    expect(list.length).toBeGreaterThanOrEqual(20);
    for (const t of list) {
      expect(t.source).toMatch(/^(PHB|DMG|MM)/);
      const shown = showTable(t.name);
      expect(shown.rows.length, t.name).toBeGreaterThan(0);
      for (const row of shown.rows) expect(row, t.name).toHaveLength(shown.columns.length);
    }
    expect(showTable('saves').name).toBe('saving-throws');
  });
  it('suggests a table name', () => {
    expect(usage(() => showTable('strenght'))).toMatch(
      /unknown table "strenght" — did you mean "strength"\?/,
    );
  });
});

describe('the rules lookups registry (dma explain topics)', () => {
  it('names commands that take --explain', async () => {
    const { commands } = await import('../../src/generated/commands.ts');
    const { RULES_LOOKUPS } = await import('../../src/rules/lookups.ts');
    for (const id of Object.keys(RULES_LOOKUPS) as (keyof typeof RULES_LOOKUPS)[]) {
      expect(
        commands[id].options.map((o) => o.key),
        id,
      ).toContain('explain');
    }
  });
});
