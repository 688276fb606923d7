/**
 * `checkNpcLegality` one check at a time: a sheet that breaks exactly one rule gets exactly
 * that rule's finding, with its citation, from the whole audit and from the named check.
 */
import { describe, expect, it } from 'vitest';
import type { RaceKey } from '../../src/data/schemas/common.ts';
import type { ClassKey } from '../../src/rules/classes.ts';
import {
  IDENTITY_CHECKS,
  LEVEL_CHECKS,
  SHEET_CHECKS,
  checkNpcLegality,
  type CharacterSheet,
  type LegalityFinding,
} from '../../src/rules/legality.ts';
import * as abilities from '../../src/rules/legality/abilities.ts';
import * as features from '../../src/rules/legality/class-features.ts';
import * as combat from '../../src/rules/legality/combat.ts';
import * as equipment from '../../src/rules/legality/equipment.ts';
import * as identity from '../../src/rules/legality/identity.ts';
import * as levels from '../../src/rules/legality/levels.ts';
import type { ResolvedSheet, SheetIdentity } from '../../src/rules/legality/sheet.ts';
import { type SheetClass, activeClasses } from '../../src/rules/npc.ts';

/**
 * A legal human fighter 5, numbers from the books: THAC0 16 (PHB Table 53), saves
 * 11/13/12/13/14 (PHB Table 60, warrior 5-6), 5d10 hit points with Constitution 14 (+0),
 * AC 4 from chain mail 5 and a medium shield (PHB Table 46).
 */
const FIGHTER: CharacterSheet = {
  class: 'fighter',
  level: 5,
  race: 'human',
  alignment: 'lawful good',
  abilities: { str: 16, dex: 12, con: 14, int: 10, wis: 11, cha: 10 },
  hit_points: 30,
  armor_class: 4,
  thac0: 16,
  saves: { paralyzation: 11, rod: 13, petrification: 12, breath: 13, spell: 14 },
  armour: 'chain mail',
  shield: 'medium shield',
};

/** A legal halfling fighter/thief 6/6 who lists each class (no experience given). */
const FIGHTER_THIEF: CharacterSheet = {
  class: 'fighter/thief',
  level: 6,
  race: 'halfling',
  classes: [
    { class: 'fighter', level: 6 },
    { class: 'thief', level: 6 },
  ],
};

/** A legal human dual-class fighter 4 turned mage 5, with 15 and 17 in the prime requisites. */
const DUAL: CharacterSheet = {
  class: 'fighter/mage',
  level: 5,
  race: 'human',
  abilities: { str: 15, dex: 12, con: 12, int: 17, wis: 10, cha: 10 },
  classes: [
    { class: 'fighter', level: 4, dual: 'old' },
    { class: 'mage', level: 5, dual: 'new' },
  ],
};

/** A legal cleric 1: Wisdom 12 gives no bonus spell, so one first-level spell (PHB Table 24). */
const CLERIC: CharacterSheet = {
  class: 'cleric',
  level: 1,
  abilities: { str: 10, dex: 10, con: 10, int: 10, wis: 12, cha: 10 },
  spells: [{ name: 'Bless', level: 1 }],
};

/** multiclass.yaml's citation */
const MULTICLASS =
  "PHB Chapter 2 (each race's multi-class combinations); PHB Chapter 3, Multi-Class Combinations";
const DUAL_SOURCE = 'PHB Chapter 3, Dual-Class Benefits and Restrictions';

const change = <T extends object>(base: T, fields: Partial<T>): T => ({ ...base, ...fields });
const withAbilities = (sheet: CharacterSheet, scores: Partial<CharacterSheet['abilities']>) =>
  change(sheet, { abilities: { ...sheet.abilities!, ...scores } });
const multiclass = (xp: readonly number[], lv: readonly number[]): CharacterSheet =>
  change(FIGHTER_THIEF, {
    level: Math.max(...lv),
    classes: [
      { class: 'fighter', level: lv[0]!, xp: xp[0]! },
      { class: 'thief', level: lv[1]!, xp: xp[1]! },
    ],
  });

/** The sheet as the checks after the resolving steps see it (a well-formed sheet only). */
function resolved(sheet: CharacterSheet): ResolvedSheet {
  const entries: SheetClass[] =
    sheet.classes?.map((e) => ({ ...e })) ??
    sheet.class.split('/').map((c) => ({ class: c as ClassKey, level: sheet.level }));
  const classes = entries.map((e) => e.class);
  const dual = entries.some((e) => e.dual !== undefined);
  return {
    sheet,
    classes,
    name: classes.join('/'),
    dual,
    multi: classes.length > 1 && !dual,
    ...(sheet.race === undefined ? {} : { race: sheet.race as RaceKey }),
    entries,
    active: activeClasses(entries),
  };
}

/** A rule broken alone: the check, the sheet, its one finding (`show`n), a sheet it passes. */
type Break = [
  check: (s: ResolvedSheet) => LegalityFinding[],
  sheet: CharacterSheet,
  finding: string,
  clean: CharacterSheet,
];

/** "error thac0: THAC0 17 should be 16 (warrior level 5) [PHB Table 53]" */
const show = (f: LegalityFinding) => `${f.severity} ${f.field}: ${f.message} [${f.source}]`;

const BREAKS: Break[] = [
  [
    identity.raceAllowsEachClass,
    { class: 'mage', level: 3, race: 'dwarf' },
    `error race: a dwarf cannot be a mage (a mage may be human, elf, half-elf) [PHB Chapter 2, Dwarves; PHB Chapter 3, Mage; Table 13]`,
    { class: 'mage', level: 3, race: 'elf' },
  ],
  [
    // an elf may be a fighter and a cleric, not both at once
    identity.raceAllowsMulticlass,
    { class: 'fighter/cleric', level: 3, race: 'elf' },
    `error class: an elf cannot be fighter/cleric (${MULTICLASS}: elf combinations are fighter/mage, fighter/thief, mage/thief, fighter/mage/thief) [${MULTICLASS}]`,
    { class: 'fighter/cleric', level: 3, race: 'half-elf' },
  ],
  [
    identity.dualClassIsHuman,
    change(DUAL, { race: 'elf', abilities: { ...DUAL.abilities!, dex: 13 } }),
    `error class: only humans may be dual-class, not an elf [${DUAL_SOURCE}]`,
    DUAL,
  ],
  [
    identity.alignmentAllowed,
    { class: 'paladin', level: 3, alignment: 'chaotic evil' },
    `error alignment: a paladin cannot be chaotic evil (allowed: lawful good) [PHB Chapter 3, Paladin; Table 13]`,
    FIGHTER,
  ],
  [
    levels.levelIsHighestClassLevel,
    change(FIGHTER_THIEF, { level: 7 }),
    `error level: level 7 should be the highest class level, 6 [${MULTICLASS}]`,
    FIGHTER_THIEF,
  ],
  [
    levels.withinRacialLevelLimits,
    { class: 'fighter', level: 10, race: 'halfling' },
    `error level: a halfling fighter cannot rise above level 9, not 10 [DMG Chapter 2, Racial Class and Level Limits]`,
    { class: 'fighter', level: 9, race: 'halfling' },
  ],
  [
    levels.multiclassExperienceSplit,
    multiclass([10_000, 10_001], [4, 5]),
    `error classes: a multi-class character's experience is split equally, not 10000/10001 [${MULTICLASS}]`,
    multiclass([10_000, 10_000], [4, 5]),
  ],
  [
    // 10,000 XP makes a fighter 4 (8,000, PHB Table 14) and a thief 5 (5,000, PHB Table 25)
    levels.multiclassExperienceSplit,
    multiclass([10_000, 10_000], [5, 5]),
    `error classes: 10000 XP makes a halfling fighter level 4, not 5 [PHB Table 14 (Warrior Experience Levels); ${MULTICLASS}]`,
    multiclass([10_000, 10_000], [4, 5]),
  ],
  [
    abilities.abilityScores,
    // a dwarf saves better (PHB Table 9): no saves on this sheet
    withAbilities(change(FIGHTER, { race: 'dwarf', saves: {} }), { con: 10 }),
    `error abilities.con: Constitution 10 is outside the dwarf's 11-18 [PHB Table 7 (Racial Ability Requirements)]`,
    change(FIGHTER, { race: 'dwarf', saves: {} }),
  ],
  [
    abilities.abilityScores,
    withAbilities(FIGHTER, { str: 8 }),
    `error abilities.str: a fighter needs Strength 9, not 8 [PHB Chapter 3, Fighter; Table 13]`,
    FIGHTER,
  ],
  [
    abilities.dualClassPrimeRequisites,
    withAbilities(DUAL, { int: 16 }),
    `error abilities.int: a dual-class character needs Intelligence 17 for the new class mage, not 16 [${DUAL_SOURCE}]`,
    DUAL,
  ],
  [
    abilities.exceptionalStrength,
    {
      class: 'mage',
      level: 3,
      abilities: { str: 18, dex: 12, con: 12, int: 15, wis: 10, cha: 10, str_exceptional: 50 },
    },
    `error abilities.str_exceptional: exceptional strength is for warriors with Strength 18 only (a mage with Strength 18) [PHB Table 1]`,
    FIGHTER,
  ],
  [
    abilities.exceptionalStrength,
    withAbilities(FIGHTER, { str: 18 }),
    `warning abilities.str_exceptional: a warrior with Strength 18 rolls percentile dice for exceptional strength [PHB Table 1]`,
    withAbilities(FIGHTER, { str: 18, str_exceptional: 50 }),
  ],
  [
    combat.hitPointsWithinDice,
    change(FIGHTER, { hit_points: 51 }),
    `error hit_points: 51 hit points is outside 5-50 (5d10, Constitution 14 +0 per die, +3 per level past name level) [PHB Table 14; PHB Table 3 (Constitution)]`,
    FIGHTER,
  ],
  [
    // fighter 6 (6d10) and thief 6 (6d6), Con 14 (+0): (6 + 6) / 2 to (60 + 36) / 2
    combat.hitPointsWithinDice,
    change(FIGHTER_THIEF, { abilities: FIGHTER.abilities!, hit_points: 49 }),
    `error hit_points: 49 hit points is outside 6-48 (fighter 6, thief 6, Constitution 14) [${MULTICLASS}]`,
    change(FIGHTER_THIEF, { abilities: FIGHTER.abilities!, hit_points: 48 }),
  ],
  [
    combat.thac0MatchesTable,
    change(FIGHTER, { thac0: 17 }),
    `error thac0: THAC0 17 should be 16 (warrior level 5) [PHB Table 53]`,
    FIGHTER,
  ],
  [
    combat.savesMatchTable,
    change(FIGHTER, { saves: { ...FIGHTER.saves, rod: 14 } }),
    `error saves.rod: save vs rod 14 should be 13 [PHB Table 60; PHB Table 9 (racial Constitution bonus)]`,
    FIGHTER,
  ],
  [
    equipment.armourAllowed,
    { class: 'mage', level: 3, armour: 'chain mail' },
    `error armour: a mage may not wear chain mail [PHB Chapter 3, Wizard (no armour)]`,
    { class: 'mage', level: 3, armour: 'none' },
  ],
  [
    equipment.shieldAllowed,
    { class: 'mage', level: 3, shield: 'buckler' },
    `error shield: a mage may not carry a buckler [PHB Chapter 3, Wizard (no armour)]`,
    { class: 'mage', level: 3 },
  ],
  [
    equipment.armourClassMatches,
    change(FIGHTER, { armor_class: 3 }),
    `error armor_class: AC 3 should be 4 (chain mail 5, medium shield -1) [PHB Table 46; PHB Table 2 (Dexterity defensive adjustment)]`,
    FIGHTER,
  ],
  [
    features.spellsWithinSlots,
    change(CLERIC, { spells: [...CLERIC.spells!, { name: 'Command', level: 1 }] }),
    `error spells: 2 cleric spells of level 1 memorised, the day allows 1 [PHB Table 24; PHB Table 5 (bonus spells); PHB Chapter 3 (paladin, ranger)]`,
    CLERIC,
  ],
  [
    features.spellsWithinSlots,
    change(FIGHTER, { spells: CLERIC.spells! }),
    `error spells: a fighter of level 5 casts no spells the rules data can check [PHB Chapter 3, Fighter; Table 13]`,
    FIGHTER,
  ],
  [
    features.thiefSkillsAllowed,
    change(FIGHTER, { thief_skills: { pick_pockets: 30 } }),
    `error thief_skills: a fighter has no thieving skills [PHB Chapter 3, Thief]`,
    // a ranger hides in shadows and moves silently (PHB Chapter 3, Ranger)
    { class: 'ranger', level: 3, thief_skills: { hide_in_shadows: 20, move_silently: 25 } },
  ],
];

describe('the legal sheets the tests break', () => {
  it('audit clean', () => {
    for (const sheet of [FIGHTER, FIGHTER_THIEF, DUAL, CLERIC]) {
      expect(checkNpcLegality(sheet)).toEqual([]);
    }
  });
  it('every check is listed once, and every one is broken below', () => {
    const listed = [...IDENTITY_CHECKS, ...LEVEL_CHECKS, ...SHEET_CHECKS];
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(BREAKS.map(([check]) => check))).toEqual(new Set(listed));
  });
});

describe('each check broken alone', () => {
  it.each(BREAKS.map((b) => [b[0].name, b[2], b] as const))('%s → %s', (_, __, b) => {
    const [check, sheet, finding, clean] = b;
    expect(checkNpcLegality(sheet).map(show)).toEqual([finding]);
    expect(check(resolved(sheet)).map(show)).toEqual([finding]);
    expect(check(resolved(clean))).toEqual([]);
  });
});

describe('the parts of the ability check', () => {
  it('abilityWithinRaceRange: the race range, or 3-18 without a race', () => {
    const dwarf = resolved(withAbilities(change(FIGHTER, { race: 'dwarf' }), { con: 10 }));
    expect(abilities.abilityWithinRaceRange(dwarf, 'con')).toMatchObject([
      { field: 'abilities.con', source: 'PHB Table 7 (Racial Ability Requirements)' },
    ]);
    expect(abilities.abilityWithinRaceRange(dwarf, 'str')).toEqual([]);
    const { race: _race, ...raceless } = withAbilities(FIGHTER, { int: 19 });
    expect(abilities.abilityWithinRaceRange(resolved(raceless), 'int')).toEqual([
      {
        severity: 'error',
        field: 'abilities.int',
        message: 'Intelligence 19 is outside 3-18',
        source: 'PHB Chapter 1',
      },
    ]);
  });
  it('abilityMeetsClassMinimums: every class, one ability', () => {
    const weak = resolved(withAbilities(FIGHTER, { str: 8 }));
    expect(abilities.abilityMeetsClassMinimums(weak, 'str')).toMatchObject([
      { field: 'abilities.str', message: 'a fighter needs Strength 9, not 8' },
    ]);
    expect(abilities.abilityMeetsClassMinimums(weak, 'dex')).toEqual([]);
  });
  it('abilityScores: ability by ability, the race range before the class minimum', () => {
    const sheet = withAbilities(change(FIGHTER, { race: 'dwarf', saves: {} }), { str: 7, con: 10 });
    expect(abilities.abilityScores(resolved(sheet)).map((f) => [f.field, f.source])).toEqual([
      ['abilities.str', 'PHB Table 7 (Racial Ability Requirements)'],
      ['abilities.str', 'PHB Chapter 3, Fighter; Table 13'],
      ['abilities.con', 'PHB Table 7 (Racial Ability Requirements)'],
    ]);
  });
  it('armourClassMatches: armour the rules do not know is a finding, not a throw', () => {
    expect(
      equipment.armourClassMatches(resolved(change(FIGHTER, { armour: 'mithral' }))),
    ).toMatchObject([{ field: 'armour', source: 'PHB Table 46' }]);
  });
});

describe('resolving steps: a sheet they cannot read stops the audit', () => {
  it('resolveSheetClasses: an unknown class, a bad combination, a dual class of three', () => {
    const unknown = change(FIGHTER, { class: 'barbarian', thac0: 1 });
    expect(identity.resolveSheetClasses(unknown)).toMatchObject({
      field: 'class',
      message: expect.stringMatching(/^unknown class "barbarian"/),
      source: 'PHB Chapter 3',
    });
    expect(checkNpcLegality(unknown)).toEqual([identity.resolveSheetClasses(unknown)]);
    expect(checkNpcLegality({ class: 'paladin/thief', level: 3 })).toEqual([
      {
        severity: 'error',
        field: 'class',
        message: expect.stringMatching(/^no race may be paladin\/thief \(.*fighter\/thief, /),
        source: MULTICLASS,
      },
    ]);
    expect(checkNpcLegality(change(DUAL, { class: 'fighter/mage/thief' })).map(show)).toEqual([
      `error class: a dual-class character has two classes, not "fighter/mage/thief" [${DUAL_SOURCE}]`,
    ]);
  });
  it('resolveSheetRace: a race the rules do not know', () => {
    const { findings } = identity.resolveSheetRace(change(FIGHTER, { race: 'orc' }));
    expect(findings).toMatchObject([{ field: 'race', source: 'PHB Chapter 2' }]);
    expect(checkNpcLegality(change(FIGHTER, { race: 'orc' }))).toEqual(findings);
  });
  it('levelWithinRange: a whole level 1-20; nothing after it runs', () => {
    expect(checkNpcLegality(change(FIGHTER, { level: 25, thac0: 1 })).map(show)).toEqual([
      'error level: level 25 is outside 1-20 [PHB Chapter 3]',
    ]);
    expect(levels.levelWithinRange(resolved(change(FIGHTER, { level: 2.5 })))).toMatchObject([
      { field: 'level', message: 'level 2.5 is outside 1-20' },
    ]);
    expect(levels.levelWithinRange(resolved(FIGHTER))).toEqual([]);
  });
  it('resolveClassLevels: the list names the classes in order, each level 1-20', () => {
    const swapped = change(FIGHTER_THIEF, { classes: [...FIGHTER_THIEF.classes!].reverse() });
    const mismatch = `error classes: the classes listed do not match fighter/thief [${MULTICLASS}]`;
    expect(checkNpcLegality(swapped).map(show)).toEqual([mismatch]);
    const who = identity.resolveSheetClasses(swapped) as SheetIdentity;
    expect(show(levels.resolveClassLevels(who) as LegalityFinding)).toEqual(mismatch);
    expect(checkNpcLegality(multiclass([0, 0], [0, 1]))).toMatchObject([
      { field: 'classes', message: 'a class level is outside 1-20', source: 'PHB Chapter 3' },
    ]);
    expect(levels.resolveClassLevels(resolved(FIGHTER_THIEF))).toEqual(FIGHTER_THIEF.classes);
  });
  it('dualClassOrder: the old class first, then the new; nothing after it runs', () => {
    const flipped = change(withAbilities(DUAL, { int: 3 }), {
      classes: DUAL.classes!.map((e) => ({ ...e, dual: e.dual === 'old' ? 'new' : 'old' })),
    });
    const finding = `error classes: a dual-class fighter/mage lists its old class first, then the new [${DUAL_SOURCE}]`;
    expect(checkNpcLegality(flipped).map(show)).toEqual([finding]);
    expect(levels.dualClassOrder(resolved(flipped)).map(show)).toEqual([finding]);
    expect(levels.dualClassOrder(resolved(DUAL))).toEqual([]);
  });
});
