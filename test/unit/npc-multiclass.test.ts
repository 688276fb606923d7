/**
 * Multi- and dual-class NPCs (issue 15): 10,000 NPCs across every class, race and
 * multi-class combination audit clean and store as valid records whose roll log decodes
 * whole; the rules of the combinations, hit points, THAC0, saves and experience.
 */
import { describe, expect, it } from 'vitest';
import { entityDataIssue } from '../../src/contracts/entity-rules.ts';
import { UsageError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import { decodeRollLog } from '../../src/core/roll-log.ts';
import { racesTable } from '../../src/data/races.ts';
import {
  generateNpc,
  generateNpcs,
  npcRecord,
  type Npc,
  type NpcOptions,
} from '../../src/generators/npc/index.ts';
import { CLASSES, classRecord } from '../../src/rules/classes.ts';
import { levelForXp, xpForLevel } from '../../src/rules/experience.ts';
import { multiclassCombinations, resolveClassSet } from '../../src/rules/multiclass.ts';
import { checkNpcLegality } from '../../src/rules/legality.ts';
import { characterHitPointRange } from '../../src/rules/npc.ts';
import { saves } from '../../src/rules/saves.ts';
import { thac0 } from '../../src/rules/thac0.ts';

function usage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a UsageError');
}

/** Every class with every race it allows, every combination, dual-class pairs, random. */
function optionSets(): NpcOptions[] {
  const sets: NpcOptions[] = [{}, { method: 'heroic' }, { method: '4d6' }];
  for (const klass of CLASSES) {
    for (const race of classRecord(klass).races)
      sets.push({ class: klass, race, method: 'heroic' });
  }
  for (const c of multiclassCombinations()) {
    for (const race of c.races) sets.push({ class: c.name, race, method: 'heroic' });
  }
  for (const pair of [
    'fighter/mage',
    'cleric/fighter',
    'thief/mage',
    'mage/cleric',
    'fighter/thief',
  ]) {
    sets.push({ class: pair, dual: true, method: 'heroic' });
  }
  return sets;
}

describe('10,000 NPCs across every class, race and combination', () => {
  const sets = optionSets();
  const per = Math.ceil(10_000 / sets.length);
  const npcs: Npc[] = sets.flatMap((o, i) => generateNpcs(o, per, createRng(7000 + i)));

  it('covers every combination and race, and 10,000 NPCs', () => {
    expect(npcs.length).toBeGreaterThanOrEqual(10_000);
    const seen = new Set(npcs.map((n) => `${n.race} ${n.class}${n.options.dual ? ' dual' : ''}`));
    for (const c of multiclassCombinations())
      for (const race of c.races)
        expect(seen.has(`${race} ${c.name}`), `${race} ${c.name}`).toBe(true);
    expect(npcs.some((n) => n.classes?.some((e) => e.dual === 'old'))).toBe(true);
  });

  it('every one audits clean, stores as a valid record, and its stored roll log decodes whole', () => {
    const bad: string[] = [];
    for (const n of npcs) {
      const findings = checkNpcLegality(n);
      const rec = npcRecord(n);
      const issue = entityDataIssue('npc', rec.data);
      const log = decodeRollLog(rec.data.roll_log);
      if (
        findings.length > 0 ||
        issue !== undefined ||
        JSON.stringify(log) !== JSON.stringify(n.roll_log)
      ) {
        bad.push(
          `${n.race} ${n.class} ${n.level} seed ${n.seed}: ${findings[0]?.message ?? issue?.message ?? 'roll log differs'}`,
        );
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  }, 120_000);

  it('a multi-class NPC splits its experience evenly and its levels follow from it', () => {
    for (const n of npcs.filter((x) => x.classes !== undefined && !x.options.dual)) {
      const xp = n.classes![0]!.xp;
      for (const e of n.classes!) {
        expect(e.xp).toBe(xp);
        const limit = racesTable.races[n.race].level_limits[e.class];
        const byXp = levelForXp(e.class, xp).level;
        expect(e.level).toBe(limit === null || limit === undefined ? byXp : Math.min(byXp, limit));
      }
      expect(n.level).toBe(Math.max(...n.classes!.map((e) => e.level)));
    }
  });

  it('hit points stay within the averaged dice; THAC0 and each save are the best of the classes', () => {
    for (const n of npcs.filter((x) => x.classes !== undefined && !x.options.dual).slice(0, 2000)) {
      const range = characterHitPointRange(n.classes!, n.abilities.con);
      expect(n.hit_points).toBeGreaterThanOrEqual(range.min);
      expect(n.hit_points).toBeLessThanOrEqual(range.max);
      expect(n.thac0).toBe(Math.min(...n.classes!.map((e) => thac0(e.class, e.level).thac0)));
      const each = n.classes!.map(
        (e) => saves(e.class, e.level, { race: n.race, con: n.abilities.con }).saves,
      );
      for (const cat of ['paralyzation', 'rod', 'petrification', 'breath', 'spell'] as const) {
        expect(n.saves[cat]).toBe(Math.min(...each.map((s) => s[cat])));
      }
    }
  });

  it('a caster of a multi-class NPC casts in no armour, and each spell names its class', () => {
    for (const n of npcs.filter((x) => x.classes !== undefined && x.spells !== undefined)) {
      const wizard = n.classes!.some((e) => classRecord(e.class).group === 'wizard');
      if (wizard && !n.options.dual) expect(n.armour).toBe('none');
      for (const sp of n.spells!) expect(n.classes!.map((e) => e.class)).toContain(sp.class);
    }
  });
});

describe('multi-class rules', () => {
  it('the done-when NPC: an elf fighter/mage of level 5, legal, both classes listed', () => {
    const n = generateNpc({ class: 'fighter/mage', race: 'elf', level: 5 }, createRng(3));
    expect(n.class).toBe('fighter/mage');
    expect(n.classes!.map((e) => e.class)).toEqual(['fighter', 'mage']);
    expect(Math.max(...n.classes!.map((e) => e.level))).toBe(5);
    expect(n.spells!.length).toBeGreaterThan(0);
    expect(checkNpcLegality(n)).toEqual([]);
  });

  it('refuses a combination no race may take, or one the race may not, citing the PHB', () => {
    expect(usage(() => generateNpc({ class: 'paladin/thief' }, createRng(1)))).toMatch(
      /^no race may be paladin\/thief \(PHB Chapter 2.*Multi-Class Combinations/,
    );
    expect(
      usage(() => generateNpc({ class: 'fighter/mage', race: 'dwarf' }, createRng(1))),
    ).toMatch(
      /^a dwarf cannot be fighter\/mage \(PHB .*dwarf combinations are fighter\/thief, fighter\/cleric\)/,
    );
    expect(
      usage(() => generateNpc({ class: 'fighter/mage', race: 'human' }, createRng(1))),
    ).toMatch(/humans dual-class instead/);
    expect(usage(() => resolveClassSet('fighter/fighter'))).toMatch(/names a class twice/);
  });

  it('a name in any order or case resolves to the combination', () => {
    expect(resolveClassSet('Mage/Fighter').name).toBe('fighter/mage');
    expect(resolveClassSet('thief/mage/fighter').classes).toEqual(['fighter', 'mage', 'thief']);
    expect(resolveClassSet('fighter/mage').races.sort()).toEqual(['elf', 'half-elf']);
  });

  it('THAC0, saves and XP of a multi-class name', () => {
    expect(thac0('fighter/mage', 5).thac0).toBe(16); // warrior 5: PHB Table 53
    const s = saves('fighter/thief', 4, { race: 'halfling', con: 16 });
    expect(s.saves.rod).toBe(10); // thief 4 rod 14, halfling Con 16 +4 (PHB Table 9)
    expect(s.best_of!.breath).toBe('fighter');
    const x = levelForXp('fighter/mage/thief', 30_000);
    expect(x.classes!.map((c) => [c.class, c.xp, c.level])).toEqual([
      ['fighter', 10_000, 4],
      ['mage', 10_000, 4],
      ['thief', 10_000, 5],
    ]);
    expect(xpForLevel('fighter/mage', 5).xp).toBe(40_000); // mage 5 needs 20,000 of each half
  });

  it('the audit catches a multi-class sheet that breaks the rules', () => {
    const n = generateNpc({ class: 'fighter/thief', race: 'halfling', level: 6 }, createRng(9));
    expect(checkNpcLegality(n)).toEqual([]);
    const fields = (sheet: object) => checkNpcLegality(sheet as Npc).map((f) => f.field);
    expect(fields({ ...n, race: 'human' })).toContain('class');
    expect(fields({ ...n, thac0: n.thac0 + 1 })).toEqual(['thac0']);
    expect(fields({ ...n, hit_points: 500 })).toEqual(['hit_points']);
    const uneven = n.classes!.map((e, i) => ({ ...e, xp: e.xp + i }));
    expect(fields({ ...n, classes: uneven })).toContain('classes');
    expect(fields({ ...n, class: 'paladin/thief' })).toEqual(['class']);
  });

  it('dual-class: humans only, 15 and 17 in the prime requisites, old abilities held back', () => {
    expect(
      usage(() => generateNpc({ class: 'fighter/mage', dual: true, race: 'elf' }, createRng(1))),
    ).toMatch(/only humans may be dual-class/);
    for (const n of generateNpcs(
      { class: 'fighter/mage', dual: true, method: 'heroic' },
      40,
      createRng(5),
    )) {
      expect(n.race).toBe('human');
      expect(n.abilities.str).toBeGreaterThanOrEqual(15);
      expect(n.abilities.int).toBeGreaterThanOrEqual(17);
      const [old, next] = n.classes!;
      expect([old!.dual, next!.dual]).toEqual(['old', 'new']);
      // until the mage level exceeds the fighter's, the fighter's THAC0 is not usable
      const expected =
        next!.level > old!.level
          ? Math.min(thac0('fighter', old!.level).thac0, thac0('mage', next!.level).thac0)
          : thac0('mage', next!.level).thac0;
      expect(n.thac0).toBe(expected);
      expect(checkNpcLegality(n)).toEqual([]);
    }
  });
});
