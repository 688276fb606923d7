/** src/rules/monsters.ts: lookup, suggestions, filters and the stat-line arithmetic. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { isDmaError } from '../../src/core/errors.ts';
import {
  allMonsters,
  averageHitPoints,
  describeMovement,
  findMonster,
  HABITATS,
  intelligenceRating,
  listMonsters,
  monstersForLevel,
  moraleRating,
  parseHitDice,
  parseMovement,
  resolveMonster,
  rollHitPoints,
  suggestMonsters,
  thac0HitDice,
  treasureLine,
  treasureRolls,
} from '../../src/rules/monsters.ts';

describe('monster lookup', () => {
  it('finds a name in any case, plural, alias or the book inverted form', () => {
    expect(findMonster('Troll')?.name).toBe('troll');
    expect(findMonster('  GHOULS ')?.name).toBe('ghoul');
    expect(findMonster('lizard men')?.name).toBe('lizard man');
    expect(findMonster('Giant, Hill')?.name).toBe('hill giant');
    expect(findMonster('rat, giant')?.name).toBe('giant rat');
    expect(findMonster('doppleganger')?.name).toBe('doppelganger');
    expect(findMonster('illithid')?.name).toBe('mind flayer');
    expect(findMonster('two headed troll')?.name).toBe('two-headed troll');
    expect(findMonster('dragon, tarrasque')).toBeUndefined();
  });

  it('suggests close names for a typo and names sharing a word', () => {
    expect(suggestMonsters('trol')).toContain('troll');
    expect(suggestMonsters('gelatinus cube')[0]).toBe('gelatinous cube');
    expect(suggestMonsters('wolves')).toEqual(expect.arrayContaining(['dire wolf', 'werewolf']));
    expect(suggestMonsters('zzzzzzzz')).toEqual([]);
  });

  it('an unknown name is exit 3 with the suggestions in the message', () => {
    let err: unknown;
    try {
      resolveMonster('beholdr');
    } catch (e) {
      err = e;
    }
    expect(isDmaError(err) && err.exitCode).toBe(3);
    expect((err as Error).message).toMatch(/unknown monster "beholdr" — did you mean .*"beholder"/);
  });

  it('every name and alias resolves to its own entry', () => {
    for (const m of allMonsters()) {
      expect(findMonster(m.name)).toBe(m);
      for (const a of m.aliases ?? []) expect(findMonster(a)).toBe(m);
    }
  });
});

describe('monster lists', () => {
  it('filters by dungeon level, habitat and tag', () => {
    const crypt3 = listMonsters({ level: 3, habitat: 'crypt' });
    expect(crypt3.length).toBeGreaterThan(3);
    for (const m of crypt3) {
      expect(m.habitat).toContain('crypt');
      expect(m.level[0] <= 3 && 3 <= m.level[1]).toBe(true);
    }
    const undead = listMonsters({ tag: 'undead' });
    expect(undead.map((m) => m.name)).toEqual(expect.arrayContaining(['wight', 'vampire']));
    expect(monstersForLevel(1).map((m) => m.name)).toContain('kobold');
    expect(monstersForLevel(1).map((m) => m.name)).not.toContain('troll');
  });

  it('has several creatures of every habitat and every humanoid tribe has a lair', () => {
    for (const h of HABITATS) expect(listMonsters({ habitat: h }).length, h).toBeGreaterThan(4);
    for (const name of [
      'kobold',
      'goblin',
      'orc',
      'hobgoblin',
      'gnoll',
      'bugbear',
      'lizard man',
      'troglodyte',
    ])
      expect(findMonster(name)?.lair?.members.length, name).toBeGreaterThanOrEqual(3);
  });

  it('every lair companion is itself in the catalogue or a plain animal', () => {
    const missing = allMonsters()
      .flatMap((m) => m.lair?.companions ?? [])
      .filter((c) => !findMonster(c.name))
      .map((c) => c.name);
    expect(missing).toEqual(['wolf']);
  });

  it('has the issue-13 mechanics on the classic killers', () => {
    const kinds = (n: string) =>
      new Set(
        [...findMonster(n)!.special_attacks, ...findMonster(n)!.special_defenses].flatMap(
          (s) => s.kind,
        ),
      );
    expect(kinds('large spider').has('poison')).toBe(true);
    expect(kinds('basilisk').has('petrification')).toBe(true);
    expect(kinds('wraith')).toEqual(
      new Set([
        'energy drain',
        'silver weapons',
        'hit only by +1 or better weapons',
        'immunities',
        'other',
      ]),
    );
    expect(kinds('troll').has('regeneration')).toBe(true);
    expect(kinds('rust monster').has('rust')).toBe(true);
    const poison = findMonster('large spider')!.special_attacks[0]!;
    expect(poison).toMatchObject({ save: 'poison', save_modifier: 2 });
  });
});

describe('stat-line arithmetic', () => {
  it('parses every Hit Dice form of the catalogue', () => {
    expect(parseHitDice('4+4')).toMatchObject({ dice: 4, bonus: 4, hp_min: 8, hp_max: 36 });
    expect(parseHitDice('1-1')).toMatchObject({ dice: 1, bonus: -1, hp_min: 1, hp_max: 7 });
    expect(parseHitDice('1/2')).toMatchObject({ fraction: true, hp_min: 1, hp_max: 4 });
    expect(parseHitDice('2 hp')).toMatchObject({ hp_min: 2, hp_max: 2 });
    expect(parseHitDice('45-75 hp')).toMatchObject({ hp_min: 45, hp_max: 75 });
    expect(parseHitDice('12+1-2 hp')).toMatchObject({
      dice: 12,
      bonus: 1,
      bonus_max: 2,
      hp_min: 13,
      hp_max: 98,
    });
    expect(() => parseHitDice('lots')).toThrow(RangeError);
    for (const m of allMonsters()) expect(() => parseHitDice(m.hd), m.name).not.toThrow();
  });

  it('counts THAC0 dice as DMG Table 39 does', () => {
    expect(thac0HitDice('4+3')).toBe(5);
    expect(thac0HitDice('4+2')).toBe(4);
    expect(thac0HitDice('1-1')).toBe(0);
    expect(thac0HitDice('1/2')).toBe(0);
    expect(thac0HitDice('15+2-5 hp')).toBe(15);
  });

  it('rolls hit points inside the range, reproducibly', () => {
    const rng = createRng(7);
    for (const hd of ['1/2', '1-1', '6+6', '2 hp', '45-75 hp', '12+1-2 hp']) {
      const { hp_min, hp_max } = parseHitDice(hd);
      for (let i = 0; i < 200; i++) {
        const hp = rollHitPoints(hd, rng);
        expect(hp).toBeGreaterThanOrEqual(hp_min);
        expect(hp).toBeLessThanOrEqual(hp_max);
      }
    }
    const a = createRng(3);
    const b = createRng(3);
    expect(rollHitPoints('8+8', a)).toBe(rollHitPoints('8+8', b));
    expect(averageHitPoints({ hd: '6+6' })).toBe(33);
    expect(averageHitPoints({ hd: '9', hp: 40 })).toBe(40);
  });

  it('parses movement with its manoeuvrability class', () => {
    expect(parseMovement('9, Fl 15 (C)')).toEqual({ base: 9, fly: 15, fly_class: 'C' });
    expect(parseMovement('Fl 3 (B)')).toEqual({ base: 0, fly: 3, fly_class: 'B' });
    expect(parseMovement('6, Br 1')).toEqual({ base: 6, burrow: 1 });
    expect(describeMovement('Fl 3 (B)')).toBe('fly 3 (class B)');
    expect(describeMovement('6, Sw 12')).toBe('6; swim 12');
    expect(describeMovement('0')).toBe('0');
    for (const m of allMonsters()) expect(() => parseMovement(m.movement), m.name).not.toThrow();
  });

  it('names morale and intelligence as the DMG and MM do', () => {
    expect(moraleRating('14')).toBe('elite');
    expect(moraleRating('11-13')).toBe('steady to elite');
    expect(moraleRating('special')).toBe('special');
    expect(intelligenceRating('5-7')).toBe('low');
    expect(intelligenceRating('0')).toBe('non-intelligent');
    expect(intelligenceRating('19-20')).toBe('supra-genius');
  });

  it('prints treasure as carried and in the lair, and expands multipliers for rolling', () => {
    expect(treasureLine(findMonster('troll')!)).toBe('Q (lair D)');
    expect(treasureLine(findMonster('skeleton')!)).toBe('nil');
    expect(treasureRolls({ treasure: { individual: ['J'], lair: ['Qx3', 'B'] } }, true)).toEqual([
      'J',
      'Q',
      'Q',
      'Q',
      'B',
    ]);
    expect(treasureRolls({ treasure: { individual: ['J'], lair: ['Qx3'] } }, false)).toEqual(['J']);
  });
});
