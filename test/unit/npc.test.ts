import { spellProgressionTable } from '../../src/data/spell-progression.ts';
import { describe, expect, it } from 'vitest';
import { ALIGNMENTS, npcDataSchema } from '../../src/contracts/entities.ts';
import { UsageError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import { npcFlavourTable } from '../../src/data/npc-flavour.ts';
import { npcGearTable } from '../../src/data/npc-gear.ts';
import { npcNamesTable } from '../../src/data/npc-names.ts';
import { npcSpellsTable } from '../../src/data/npc-spells.ts';
import { racesTable } from '../../src/data/races.ts';
import { wizardSchool } from '../../src/data/schemas/npc.ts';
import {
  ABILITY_METHODS,
  type Npc,
  type NpcOptions,
  checkNpcLegality,
  generateNpc,
  generateNpcs,
  npcRecord,
} from '../../src/generators/npc/index.ts';
import { gearTable } from '../../src/generators/npc/gear.ts';
import { ABILITIES } from '../../src/rules/abilities.ts';
import { CLASSES, type ClassKey, classRecord, isWarrior } from '../../src/rules/classes.ts';
import { armour, weapon } from '../../src/rules/equipment.ts';
import {
  ALIGNMENT_NAMES,
  armourClass,
  castableSlots,
  hitPointRange,
  hitPointRule,
  hitPointsForDie,
  resolveAlignment,
} from '../../src/rules/npc.ts';

function storeData(npc: Npc): Record<string, unknown> {
  return npcRecord(npc).data;
}

function errors(npc: Parameters<typeof checkNpcLegality>[0]) {
  return checkNpcLegality(npc).filter((f) => f.severity === 'error');
}

function expectUsage(f: () => unknown, message: RegExp) {
  let thrown: unknown;
  try {
    f();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(UsageError);
  expect((thrown as Error).message).toMatch(message);
  expect((thrown as Error).message).not.toMatch(/\n/);
}

const OPTION_MIXES: NpcOptions[] = [
  {},
  { method: '4d6' },
  { method: 'heroic' },
  { class: 'fighter' },
  { class: 'paladin', method: 'heroic' },
  { class: 'ranger' },
  { class: 'illusionist', level: 12 },
  { class: 'necromancer', method: '4d6', level: 20 },
  { class: 'cleric', level: 15 },
  { class: 'druid', level: 11 },
  { class: 'thief', race: 'halfling' },
  { class: 'bard', level: 9 },
  { race: 'dwarf' },
  { race: 'gnome', level: 13 },
  { alignment: 'lawful good' },
  { alignment: 'N', race: 'half-elf' },
];

describe('generateNpc: 500 random NPCs are legal and storable', () => {
  const npcs = OPTION_MIXES.flatMap((o, i) => generateNpcs(o, 32, createRng(1000 + i)));

  it('made 500 or more', () => {
    expect(npcs.length).toBeGreaterThanOrEqual(500);
  });

  it('every NPC passes checkNpcLegality without an error finding', () => {
    const bad = npcs
      .map((n) => ({ n, e: errors(n) }))
      .filter((x) => x.e.length > 0)
      .map((x) => `${x.n.race} ${x.n.class} ${x.n.level} seed ${x.n.seed}: ${x.e[0]!.message}`);
    expect(bad).toEqual([]);
  });

  it('every NPC validates against npcDataSchema (without its name)', () => {
    for (const n of npcs) {
      const parsed = npcDataSchema.safeParse(storeData(n));
      expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).toBe(true);
      expect(n.name.length).toBeGreaterThan(0);
    }
  });

  it('honours every option given and records it', () => {
    OPTION_MIXES.forEach((o, i) => {
      for (const n of npcs.slice(i * 32, i * 32 + 32)) {
        if (o.class !== undefined) expect(n.class).toBe(o.class);
        if (o.race !== undefined) expect(n.race).toBe(o.race);
        if (o.level !== undefined) expect(n.level).toBe(o.level);
        if (o.alignment !== undefined)
          expect(resolveAlignment(n.alignment)).toBe(resolveAlignment(o.alignment));
        expect(n.options).toEqual({ ...o, method: o.method ?? '3d6' });
      }
    });
  });

  it('levels left open stay within 1-10 and the race limit', () => {
    for (const n of npcs.filter((x) => x.options.level === undefined)) {
      const classes = n.classes?.map((c) => c.class) ?? [n.class as ClassKey];
      const limits = classes.map((c) => racesTable.races[n.race].level_limits[c]);
      const limit = limits.includes(null) ? null : Math.max(...(limits as number[]));
      expect(n.level).toBeGreaterThanOrEqual(1);
      expect(n.level).toBeLessThanOrEqual(Math.min(10, limit ?? 10));
    }
  });

  it('exceptional strength exactly for warriors with Strength 18', () => {
    for (const n of npcs) {
      const classes = n.classes?.map((c) => c.class) ?? [n.class as ClassKey];
      const expected = classes.some((c) => isWarrior(c)) && n.abilities.str === 18;
      expect(n.abilities.str_exceptional !== undefined).toBe(expected);
    }
  });

  it('the roll log explains the ability scores and hit points', () => {
    for (const n of npcs) {
      expect(
        n.roll_log[0]!.step === 'ability method' || n.roll_log[1]!.step === 'ability method',
      ).toBe(true);
      const adj = racesTable.races[n.race].adjustments as Record<string, number | undefined>;
      const raw = ABILITIES.map((a) => n.abilities[a] - (adj[a] ?? 0));
      if (n.options.method === 'heroic') {
        const rolled = n.roll_log.filter((s) => s.step.startsWith('ability roll'));
        expect(rolled.map((s) => s.result).sort()).toEqual([...raw].sort());
        for (const r of raw) expect(r).toBeGreaterThanOrEqual(8);
      } else {
        const rolled = ABILITIES.map(
          (a) =>
            n.roll_log.find(
              (s) =>
                s.step ===
                {
                  str: 'strength',
                  dex: 'dexterity',
                  con: 'constitution',
                  int: 'intelligence',
                  wis: 'wisdom',
                  cha: 'charisma',
                }[a],
            )?.result,
        );
        expect(rolled).toEqual(raw);
      }
      // single-class hit points come straight from the dice (multi-class: npc-multiclass.test.ts)
      if (n.classes !== undefined) continue;
      const hp = n.roll_log.find((s) => s.step === 'hit points')!;
      const rule = hitPointRule(n.class as ClassKey, n.level, n.abilities.con);
      const fromDice =
        hp.rolls.reduce((s, r) => s + hitPointsForDie(rule, r), 0) +
        (n.level - rule.dice_levels) * rule.per_level_after;
      expect(hp.rolls).toHaveLength(rule.dice_levels);
      expect(n.hit_points).toBe(fromDice);
    }
  });

  it('wizards keep clear of their opposition schools; priests of spheres they lack', () => {
    for (const n of npcs.filter((x) => x.spells !== undefined && x.classes === undefined)) {
      const rec = classRecord(n.class as ClassKey);
      for (const s of n.spells!) {
        if (rec.group === 'wizard') expect(rec.opposition_schools ?? []).not.toContain(s.school);
        else if (n.class === 'bard') expect(s.school).toMatch(/\w/);
        else if (n.class === 'paladin' || n.class === 'ranger') {
          expect(spellProgressionTable[n.class].spheres).toContain(s.school);
        } else {
          const access = npcSpellsTable.spheres[n.class as ClassKey]!;
          const ok = [...access.major, ...(s.level <= 3 ? access.minor : [])];
          expect(ok).toContain(s.school);
        }
      }
      expect(n.spells!.length).toBe(n.spell_slots!.reduce((a, b) => a + b, 0));
    }
  });

  it('thieves and bards have thief skills, rangers hide and move silently, no one else', () => {
    for (const n of npcs) {
      const classes = n.classes?.map((c) => c.class) ?? [n.class];
      const rogue = classes.includes('thief') || classes.includes('bard');
      const ranger =
        classes.includes('ranger') &&
        ['none', 'leather', 'padded', 'studded leather'].includes(n.armour);
      expect(n.thief_skills !== undefined, `${n.class} in ${n.armour}`).toBe(rogue || ranger);
      if (!rogue && ranger) {
        expect(Object.keys(n.thief_skills!).sort()).toEqual(['hide_in_shadows', 'move_silently']);
      }
    }
  });
});

describe('generateNpc: determinism', () => {
  it('the same seed and options give identical JSON', () => {
    for (const seed of [1, 7, 42, -5, 99999]) {
      const a = JSON.stringify(generateNpc({ method: '4d6' }, createRng(seed)));
      const b = JSON.stringify(generateNpc({ method: '4d6' }, createRng(seed)));
      expect(a).toBe(b);
    }
  });

  it('different seeds give different NPCs', () => {
    const a = JSON.stringify(generateNpc({}, createRng(1)));
    const b = JSON.stringify(generateNpc({}, createRng(2)));
    expect(a).not.toBe(b);
  });

  it('each NPC of a batch is reproduced from its recorded seed', () => {
    const batch = generateNpcs({ class: 'cleric' }, 5, createRng(3));
    for (const n of batch) {
      // a batch-made NPC also needs its flavour deck (the run of 10 it was dealt from)
      expect(n.flavour_deck).toBeDefined();
      expect(generateNpc({ class: 'cleric' }, createRng(n.seed), n.flavour_deck)).toEqual(n);
    }
    expect(new Set(batch.map((n) => n.seed)).size).toBe(5);
  });

  it('records the generator, seed and method', () => {
    const n = generateNpc({ class: 'mage', level: 7, name: 'Elara' }, createRng(7));
    expect(n.generator).toEqual({ name: 'dma-npc', version: '0.2.0' });
    expect(n.seed).toBe(7);
    expect(n.name).toBe('Elara');
    expect(n.options).toEqual({ class: 'mage', level: 7, name: 'Elara', method: '3d6' });
  });
});

describe('generateNpc: impossible requests are UsageErrors naming the rule', () => {
  const rng = () => createRng(1);
  it('a race the class does not allow', () => {
    expectUsage(
      () => generateNpc({ race: 'halfling', class: 'paladin' }, rng()),
      /^a halfling cannot be a paladin \(PHB Chapter 2, Halflings; PHB Chapter 3, Paladin.*human/,
    );
    expectUsage(
      () => generateNpc({ race: 'dwarf', class: 'mage' }, rng()),
      /a dwarf cannot be a mage/,
    );
  });
  it('an alignment the class does not allow', () => {
    expectUsage(
      () => generateNpc({ class: 'paladin', alignment: 'chaotic evil' }, rng()),
      /^a paladin cannot be chaotic evil \(PHB Chapter 3, Paladin.*lawful good\)/,
    );
    expectUsage(
      () => generateNpc({ class: 'druid', alignment: 'LG' }, rng()),
      /druid cannot be lawful good/,
    );
  });
  it('a level above the race limit', () => {
    expectUsage(
      () => generateNpc({ race: 'halfling', class: 'fighter', level: 10 }, rng()),
      /^a halfling fighter cannot rise above level 9, asked for 10 \(DMG Chapter 2/,
    );
    expectUsage(
      () => generateNpc({ race: 'gnome', level: 16 }, rng()),
      /^no class allows race gnome, level 16 together/,
    );
  });
  it('a level outside 1-20', () => {
    expectUsage(() => generateNpc({ level: 0 }, rng()), /level 0 is outside 1-20/);
    expectUsage(() => generateNpc({ level: 21 }, rng()), /level 21 is outside 1-20/);
    expectUsage(() => generateNpc({ level: 2.5 }, rng()), /level 2.5 is outside 1-20/);
  });
  it('unknown names get the engine error with did-you-mean', () => {
    expectUsage(() => generateNpc({ class: 'figter' }, rng()), /unknown class "figter".*fighter/);
    expectUsage(() => generateNpc({ race: 'elff' }, rng()), /unknown race "elff".*elf/);
    expectUsage(() => generateNpc({ alignment: 'lawfull good' }, rng()), /unknown alignment/);
  });
  it('bad gender, method, name or count', () => {
    expectUsage(() => generateNpc({ gender: 'x' }, rng()), /gender must be one of male, female/);
    expectUsage(
      () => generateNpc({ method: '2d6' as never }, rng()),
      /method must be one of 3d6, 4d6, heroic/,
    );
    expectUsage(() => generateNpc({ name: '  ' }, rng()), /name must be 1-64 characters/);
    expectUsage(() => generateNpcs({}, 0, rng()), /count must be a whole number from 1 to 10000/);
  });
  it('accepts aliases: "magic-user", "half elf", "LG", "neutral"', () => {
    expect(generateNpc({ class: 'magic-user' }, rng()).class).toBe('mage');
    expect(generateNpc({ race: 'half elf' }, rng()).race).toBe('half-elf');
    expect(generateNpc({ class: 'paladin', alignment: 'LG' }, rng()).alignment).toBe('lawful good');
    expect(generateNpc({ class: 'druid', alignment: 'neutral' }, rng()).alignment).toBe(
      'true neutral',
    );
  });
});

describe('checkNpcLegality catches broken NPCs', () => {
  const good = generateNpc({ class: 'paladin', level: 9, method: 'heroic' }, createRng(11));
  const fields = (npc: Npc) => errors(npc).map((f) => f.field);

  it('the untouched NPC is clean', () => {
    expect(errors(good)).toEqual([]);
  });
  it('class, race, alignment and level', () => {
    expect(fields({ ...good, race: 'halfling' })).toContain('race');
    expect(fields({ ...good, alignment: 'chaotic evil' })).toContain('alignment');
    expect(fields({ ...good, class: 'barbarian' as never })).toEqual(['class']);
    expect(fields({ ...good, level: 25 })).toEqual(['level']);
    const halfling = generateNpc({ class: 'fighter', race: 'halfling', level: 9 }, createRng(2));
    expect(fields({ ...halfling, level: 10, hit_points: halfling.hit_points })).toContain('level');
  });
  it('ability scores against race and class', () => {
    expect(fields({ ...good, abilities: { ...good.abilities, cha: 12 } })).toContain(
      'abilities.cha',
    );
    const dwarf = generateNpc({ race: 'dwarf', class: 'fighter' }, createRng(4));
    expect(fields({ ...dwarf, abilities: { ...dwarf.abilities, con: 10 } })).toContain(
      'abilities.con',
    );
    const mage = generateNpc({ class: 'mage' }, createRng(5));
    expect(
      fields({ ...mage, abilities: { ...mage.abilities, str: 18, str_exceptional: 50 } }),
    ).toContain('abilities.str_exceptional');
  });
  it('hit points, THAC0, saves, armour and AC', () => {
    const range = hitPointRange(good.class as ClassKey, good.level, good.abilities.con);
    expect(fields({ ...good, hit_points: range.max + 1 })).toEqual(['hit_points']);
    expect(fields({ ...good, hit_points: range.min - 1 })).toEqual(['hit_points']);
    expect(fields({ ...good, thac0: good.thac0 + 1 })).toEqual(['thac0']);
    expect(fields({ ...good, saves: { ...good.saves, rod: good.saves.rod + 2 } })).toEqual([
      'saves.rod',
    ]);
    expect(fields({ ...good, armor_class: good.armor_class - 1 })).toEqual(['armor_class']);
    const mage = generateNpc({ class: 'mage', level: 5 }, createRng(6));
    expect(fields({ ...mage, armour: 'plate mail', armor_class: 3 })).toContain('armour');
    expect(fields({ ...mage, shield: 'buckler' })).toContain('shield');
  });
  it('too many spells, thief skills on a non-thief', () => {
    const cleric = generateNpc({ class: 'cleric', level: 3 }, createRng(8));
    const extra = { name: 'Bless', level: 1, school: 'all' };
    expect(fields({ ...cleric, spells: [...cleric.spells!, extra, extra, extra, extra] })).toEqual([
      'spells',
    ]);
    expect(fields({ ...good, thief_skills: { pick_pockets: 50 } })).toEqual(['thief_skills']);
  });
});

describe('rules helpers', () => {
  it('hit points: Constitution above +2 only for warriors, at least 1 per die', () => {
    expect(hitPointRule('fighter', 3, 18).con_adjustment).toBe(4);
    expect(hitPointRule('mage', 3, 18).con_adjustment).toBe(2);
    // PHB Table 20: d4 to level 10, then +1 per level
    expect(hitPointRange('mage', 12, 10)).toEqual({ min: 12, max: 42 });
    // PHB Table 14: d10 to level 9, then +3 per level; Con 17 → +3 per die
    expect(hitPointRange('fighter', 10, 17)).toEqual({ min: 39, max: 120 });
    // Con 3: -2 per die, but never below 1
    expect(hitPointRange('thief', 2, 3)).toEqual({ min: 2, max: 8 });
  });
  it('armour class: armour, shield and Dexterity (PHB Tables 2 and 46)', () => {
    expect(armourClass('leather', 'small shield', 16).armor_class).toBe(5);
    expect(armourClass('none', undefined, 17).armor_class).toBe(7);
    expect(armourClass('plate mail', 'medium shield', 5).armor_class).toBe(4);
    expect(armourClass('full plate', 'body shield', 18).armor_class).toBe(-4);
  });
});

describe('numbers checked by hand against the books', () => {
  it('dwarf fighters at level 1: PHB Table 60 warrior row minus the Table 9 Constitution bonus', () => {
    // warrior levels 1-2: paralyzation 14, rod 16, petrification 15, breath 17, spell 17;
    // a dwarf adds +1 per 3.5 points of Constitution to rod and spell saves
    const bonus = (con: number) => (con >= 18 ? 5 : con >= 14 ? 4 : con >= 11 ? 3 : 2);
    for (let seed = 0; seed < 20; seed++) {
      const n = generateNpc({ race: 'dwarf', class: 'fighter', level: 1 }, createRng(seed));
      const b = bonus(n.abilities.con);
      expect(n.saves).toEqual({
        paralyzation: 14,
        rod: 16 - b,
        petrification: 15,
        breath: 17,
        spell: 17 - b,
      });
      expect(n.thac0).toBe(20);
      expect(n.abilities.con).toBeGreaterThanOrEqual(11);
    }
  });
  it('a level 7 mage: THAC0 18 (PHB Table 53), saves 13/9/11/13/10 (PHB Table 60), 4/3/2/1 spells', () => {
    const n = generateNpc({ class: 'mage', level: 7, name: 'Elara' }, createRng(7));
    expect(n.thac0).toBe(18);
    expect(n.saves).toEqual({ paralyzation: 13, rod: 9, petrification: 11, breath: 13, spell: 10 });
    expect(n.armour).toBe('none');
    expect(n.spell_slots).toEqual([4, 3, 2, 1]);
  });
});

describe('spell limits', () => {
  it("Intelligence caps a wizard's spell levels (PHB Table 4): Int 9 stops at 4th level", () => {
    expect(castableSlots('mage', 10, { int: 9, wis: 10 })).toEqual({
      slots: [4, 4, 3, 2],
      capped_above: 4,
    });
    expect(castableSlots('mage', 10, { int: 18, wis: 10 })).toEqual({ slots: [4, 4, 3, 2, 2] });
    const mage = generateNpc({ class: 'mage', level: 10, method: 'heroic' }, createRng(3));
    expect(mage.spells!.some((s) => s.level === 5)).toBe(true);
    const dim = { ...mage, abilities: { ...mage.abilities, int: 9 } };
    expect(errors(dim).map((f) => f.field)).toContain('spells');
  });
  it('priests get Wisdom bonus spells; paladins, rangers and bards their own tables, no bonus', () => {
    expect(castableSlots('cleric', 1, { int: 10, wis: 17 })!.slots).toEqual([3]);
    // PHB Chapter 3 paladin table at 12th: 2/2; ranger at 9th: 2; bard at 6th (Table 32): 3/2
    expect(castableSlots('paladin', 12, { int: 10, wis: 17 })).toEqual({ slots: [2, 2] });
    expect(castableSlots('paladin', 8, { int: 10, wis: 17 })).toBeUndefined();
    expect(castableSlots('bard', 6, { int: 13, wis: 10 })).toEqual({ slots: [3, 2] });
    expect(castableSlots('bard', 1, { int: 13, wis: 10 })).toBeUndefined();
    const ranger = generateNpc({ class: 'ranger', level: 9 }, createRng(1));
    expect(ranger.spell_slots).toEqual([2]);
    expect(ranger.spells).toHaveLength(2);
    for (const sp of ranger.spells!) expect(['plant', 'animal']).toContain(sp.school);
    expect(errors(ranger)).toEqual([]);
  });
});

describe('npc rules data', () => {
  it("the written-out alignments are the entity schema's", () => {
    expect(Object.values(ALIGNMENT_NAMES)).toEqual([...ALIGNMENTS]);
  });
  it('every kit names real armour and weapons, within its classes’ limits', () => {
    for (const klass of CLASSES) {
      const table = npcGearTable.tables[gearTable(klass)]!;
      const limits = npcGearTable.limits[klass];
      for (const e of table.entries) {
        const kit = npcGearTable.kits[e.result as string];
        expect(kit, `${klass}: kit ${String(e.result)}`).toBeDefined();
        expect(armour(kit!.armour).kind).toBe('armour');
        expect(limits.armour).toContain(kit!.armour);
        if (kit!.shield !== undefined) {
          expect(armour(kit!.shield).kind).toBe('shield');
          expect(limits.shields).toContain(kit!.shield);
        }
        for (const w of kit!.weapons) expect(weapon(w).weapon.name).toBe(w);
      }
    }
  });
  it('specialist schools are school names of the spell lists', () => {
    for (const klass of CLASSES) {
      const rec = classRecord(klass);
      for (const s of [rec.specialist_school, ...(rec.opposition_schools ?? [])]) {
        if (s !== undefined) expect(wizardSchool.options).toContain(s);
      }
    }
  });
  it('every priest class has spheres and spells at every level; every race has names', () => {
    for (const klass of CLASSES.filter((c) => classRecord(c).group === 'priest')) {
      const access = npcSpellsTable.spheres[klass]!;
      npcSpellsTable.priest.forEach((spells) => {
        expect(spells.some((s) => access.major.includes(s.sphere))).toBe(true);
      });
    }
    for (const race of Object.keys(racesTable.races)) {
      expect(npcNamesTable.races[race as keyof typeof npcNamesTable.races]).toBeDefined();
    }
    expect(Object.keys(npcFlavourTable.weights.class).sort()).toEqual([...CLASSES].sort());
  });
  it('the methods are the three documented ones', () => {
    expect(ABILITY_METHODS).toEqual(['3d6', '4d6', 'heroic']);
  });
});
