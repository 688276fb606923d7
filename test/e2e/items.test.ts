/** `dma item` and `dma trap` as a DM uses them (the built binary). */
import { describe, expect, it } from 'vitest';
import { dma } from '../helpers/dma.ts';

describe('dma item', () => {
  it('looks an item up with its table, XP and gp', async () => {
    const r = await dma(['item', 'ring', 'of', 'invisibility']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Rings (DMG Table 91)');
    expect(r.stdout).toContain('XP 1,500 · 7,500 gp');
  });

  it('tells the DM a cursed item is cursed and what players are told', async () => {
    const r = await dma(['item', 'ring of weakness']);
    expect(r.stdout).toMatch(/CURSED — players are told: ring of protection \+1/);
    const j = JSON.parse((await dma(['item', 'ring of weakness', '--json'])).stdout);
    expect(j.items[0]).toMatchObject({
      cursed: true,
      appears_as: 'ring of protection +1',
      xp: null,
    });
  });

  it('rolls reproducibly from a seed', async () => {
    const a = await dma(['item', '--random', '--count', '6', '--seed', '77', '--json']);
    const b = await dma(['item', '--random', '--count', '6', '--seed', '77', '--json']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const items = JSON.parse(a.stdout).items as { name: string; gp: number }[];
    expect(items).toHaveLength(6);
    for (const i of items) expect(i.gp).toBeGreaterThanOrEqual(0);
  });

  it('suggests the name on a typo (exit 3, one line) and refuses a bad category', async () => {
    const r = await dma(['item', 'ring', 'of', 'invisibilty']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(
      'dma: unknown magic item "ring of invisibilty" — did you mean "ring of invisibility"?',
    );
    const c = await dma(['item', '--random', '--category', 'swords']);
    expect(c.exitCode).toBe(3);
    expect(c.stderr).toMatch(/unknown magic item category "swords"/);
    const t = await dma(['item', '--treasure', 'A1']);
    expect(t.exitCode).toBe(3);
  });
});

describe('dma trap', () => {
  it('shows trigger, damage, save, dwarf detection and removal', async () => {
    const r = await dma(['trap', 'falling', 'block']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/trigger: /);
    expect(r.stdout).toMatch(/damage: 2d10; save vs\. paralyzation, poison or death magic negates/);
    expect(r.stdout).toMatch(/dwarf: detect stonework traps.*1-3 on 1d6/);
    expect(r.stdout).toMatch(/remove: thief Find\/Remove Traps/);
  });

  it('rolls a trap for a placement and level, reproducibly', async () => {
    const args = [
      'trap',
      '--random',
      '--placement',
      'chest',
      '--level',
      '4',
      '--seed',
      '9',
      '--json',
    ];
    const a = await dma(args);
    const b = await dma(args);
    expect(a.stdout).toBe(b.stdout);
    const t = JSON.parse(a.stdout).trap;
    expect(t.placements).toContain('chest');
    expect(t.levels[0]).toBeLessThanOrEqual(4);
  });

  it('suggests the trap on a typo', async () => {
    const r = await dma(['trap', 'spikd', 'pit']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('did you mean "spiked pit"?');
  });
});
