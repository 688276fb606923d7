/**
 * The trap table (rules-data/traps.yaml) and rollTrap (src/rules/traps.ts): every
 * placement and level gets a trap, and every trap a DM reads has a trigger, an effect,
 * a save ruling or damage, detection and removal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDmaError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import { trapsTable } from '../../src/data/traps.ts';
import {
  findTrap,
  resolveTrap,
  rollTrap,
  TRAP_PLACEMENTS,
  trapsFor,
  type RolledTrap,
} from '../../src/rules/traps.ts';

function complete(t: RolledTrap): void {
  expect(t.trigger.length).toBeGreaterThan(10);
  expect(t.effect.length).toBeGreaterThan(10);
  // a save ruling (possibly "no save") and, where there is no save, damage or a
  // consequence spelled out in the effect
  expect(t.save.text).toMatch(/^(no save|save vs\. .+)$/);
  if (t.save.category === 'none' && t.damage === undefined)
    expect(t.effect.length).toBeGreaterThan(40);
  expect(t.detection.spells.length).toBeGreaterThan(0);
  expect(t.detection.signs.length).toBeGreaterThan(10);
  expect(t.removal.how.length).toBeGreaterThan(10);
  expect(t.removal.bypass.length).toBeGreaterThan(5);
  expect(t.removal.springs_on).toBe(96);
  expect(t.source).toMatch(/^(PHB|DMG)/);
  if (t.attack) expect(t.attack.count).toBeGreaterThan(0);
  if (t.kind === 'magical') expect(t.detection.thief_halved).toBe(true);
}

describe('trap table', () => {
  it('has at least 30 kinds with unique names', () => {
    expect(trapsTable.traps.length).toBeGreaterThanOrEqual(30);
    const names = trapsTable.traps.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every placement has traps for every dungeon level 1-15', () => {
    for (const p of TRAP_PLACEMENTS)
      for (let level = 1; level <= 15; level++)
        expect(trapsFor(p, level).length, `${p} ${level}`).toBeGreaterThan(0);
  });

  it('doors, chests, corridors and rooms each have a real choice at low and high levels', () => {
    for (const p of ['door', 'chest', 'corridor', 'room'] as const)
      for (const level of [1, 5, 10]) expect(trapsFor(p, level).length).toBeGreaterThanOrEqual(3);
  });

  it('level ranges are ordered and the racial abilities are the PHB numbers', () => {
    for (const t of trapsTable.traps) expect(t.levels[0]).toBeLessThanOrEqual(t.levels[1]);
    const r = trapsTable.racial_detection;
    expect(r['dwarf-stonework-traps']!.chance).toEqual({ die: 6, max: 3 });
    expect(r['dwarf-sliding-walls']!.chance).toEqual({ die: 6, max: 4 });
    expect(r['gnome-unsafe-stonework']!.chance).toEqual({ die: 10, max: 7 });
  });

  it('pits, falls and stonework can be found by dwarves; magical traps cannot be removed by thieves', () => {
    for (const t of trapsTable.traps) {
      if (/pit|block|ceiling|chute/.test(t.name))
        expect(t.detection.racial ?? [], t.name).toContain('dwarf-stonework-traps');
      if (t.kind === 'magical') expect(t.removal.thief, t.name).toBe(false);
    }
  });

  it('every trap resolves complete', () => {
    for (const t of trapsTable.traps) complete(resolveTrap(t, t.placements[0]!));
  });
});

describe('rollTrap', () => {
  it('property: any seed, placement and level gives a complete trap that fits', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(...TRAP_PLACEMENTS),
        fc.integer({ min: 1, max: 20 }),
        (seed, placement, level) => {
          const t = rollTrap(createRng(seed), { placement, level });
          complete(t);
          expect(t.placement).toBe(placement);
          expect(findTrap(t.name)!.placements).toContain(placement);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is reproducible from the seed', () => {
    const roll = (seed: number) =>
      [1, 3, 6, 9].map((level) => rollTrap(createRng(seed + level), { placement: 'door', level }));
    expect(roll(5)).toEqual(roll(5));
  });

  it('level-1 traps stay survivable: no symbols, crushing walls or poison gas', () => {
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const t = rollTrap(rng, { placement: 'room', level: 1 });
      expect(['symbol', 'crushing walls', 'poison gas', 'collapsing ceiling']).not.toContain(
        t.name,
      );
    }
  });

  it('finds traps by name and refuses a bad placement or level', () => {
    expect(findTrap('Glyph of Warding')!.kind).toBe('magical');
    for (const bad of [
      () => rollTrap(createRng(1), { placement: 'roof' as never, level: 1 }),
      () => rollTrap(createRng(1), { placement: 'door', level: 0 }),
    ]) {
      try {
        bad();
        expect.unreachable();
      } catch (e) {
        expect(isDmaError(e)).toBe(true);
      }
    }
  });
});
