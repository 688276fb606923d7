/** `dma monster` through the built binary: stat block, JSON, --explain, --list, errors. */
import { describe, expect, it } from 'vitest';
import { dma } from '../helpers/dma.ts';

describe('dma monster', () => {
  it('prints the stat block a DM reads at the table, specials with their mechanics', async () => {
    const r = await dma(['monster', 'wraith']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^WRAITH {2}\(MM: Wraith\)$/m);
    expect(r.stdout).toContain('AC 4; MV 12; fly 24 (class B)');
    expect(r.stdout).toContain('HD 5+3 (hp 8-43, avg 25); THAC0 15');
    expect(r.stdout).toMatch(/energy drain: each hit drains one experience level/);
    expect(r.stdout).toMatch(/silver or magic to hit: hit only by silver weapons \(half damage\)/);
    expect(r.stdout).toContain('Morale champion (15); XP 2,000');
    expect(r.stdout).toContain('Dungeon levels 6-8');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('takes several words, plurals and the inverted book form', async () => {
    const a = await dma(['monster', 'carrion', 'crawlers']);
    expect(a.stdout).toMatch(/^CARRION CRAWLER/);
    expect(a.stdout).toContain('special ×8/1d2');
    const b = await dma(['monster', 'Giant, Hill']);
    expect(b.stdout).toMatch(/^HILL GIANT/);
  });

  it('gives everything as JSON', async () => {
    const r = await dma(['monster', 'orc', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema_version).toBe('1.0');
    expect(j.monster).toMatchObject({
      name: 'orc',
      hd: '1',
      thac0: 19,
      ac: 6,
      ac_unarmoured: 10,
      xp: 15,
      treasure: { individual: ['L'], lair: ['C', 'O', 'S'] },
      source: 'MM: Orc',
    });
    expect(j.monster.lair.members.map((m: { role: string }) => m.role)).toContain('chieftain');
    expect(j.derived).toMatchObject({
      hit_points: { min: 1, max: 8, average: 4 },
      morale_rating: 'steady',
      treasure: 'L (lair C, O, S)',
    });
    expect(j.explain).toBeUndefined();
  });

  it('--explain cites the book entry and the THAC0 row', async () => {
    const r = await dma(['monster', 'stirge', '--explain']);
    expect(r.stdout).toContain('table: monsters (MM: Stirge), stirge');
    expect(r.stdout).toContain(
      'table: monster-thac0 (DMG Table 39), attacks as 4 HD, counted as 4 → THAC0 17',
    );
    const j = JSON.parse((await dma(['monster', 'stirge', '--explain', '--json'])).stdout);
    expect(j.explain.uses[0]).toEqual({ table: 'monsters', source: 'MM: Stirge', row: 'stirge' });
  });

  it('an unknown name exits 3 with the closest names', async () => {
    const r = await dma(['monster', 'beholdr']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dma: unknown monster "beholdr" — did you mean .*"beholder"/);
    const j = await dma(['monster', 'zzzzzz', '--json']);
    expect(j.exitCode).toBe(3);
    expect(JSON.parse(j.stderr).error.code).toBe('INVALID_INPUT');
  });

  it('lists the catalogue by dungeon level, habitat and tag', async () => {
    const r = await dma(['monster', '--list', '--level', '2', '--habitat', 'crypt', '--json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.filter).toEqual({ level: 2, habitat: 'crypt' });
    expect(j.count).toBe(j.monsters.length);
    expect(j.monsters.map((m: { name: string }) => m.name)).toContain('ghoul');
    for (const m of j.monsters) {
      expect(m.habitat).toContain('crypt');
      expect(m.level[0]).toBeLessThanOrEqual(2);
      expect(m.level[1]).toBeGreaterThanOrEqual(2);
    }
    const t = await dma(['monster', '--tag', 'ooze']);
    expect(t.stdout).toMatch(/^name +HD +AC +THAC0 +XP +levels +habitat$/m);
    expect(t.stdout).toContain('gelatinous cube');
    expect(t.stdout).toMatch(/\d+ monsters$/);
    const all = JSON.parse((await dma(['monster', '--list', '--json'])).stdout);
    expect(all.count).toBeGreaterThanOrEqual(200);
  });

  it('bad combinations and values are usage errors', async () => {
    expect((await dma(['monster'])).exitCode).toBe(3);
    expect((await dma(['monster', 'orc', '--list'])).exitCode).toBe(3);
    expect((await dma(['monster', 'orc', '--level', '3'])).exitCode).toBe(3);
    expect((await dma(['monster', '--list', '--level', '11'])).exitCode).toBe(3);
    expect((await dma(['monster', '--list', '--habitat', 'moon'])).exitCode).toBe(3);
    expect((await dma(['monster', '--tag', 'robot'])).exitCode).toBe(3);
  });
});
