/** The deterministic dungeon checks behind `dma audit <dungeon>`. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { checkDungeon } from '../../src/generators/dungeon/audit.ts';
import { generateDungeon } from '../../src/generators/dungeon/index.ts';

const fresh = (partyLevel: number) =>
  JSON.parse(
    JSON.stringify(generateDungeon({ size: 'small', level: 4, partyLevel }, createRng(42))),
  ) as ReturnType<typeof generateDungeon>;

describe('checkDungeon', () => {
  it('flags a room far above a level-1 party, and nothing for a level-5 party', () => {
    const weak = checkDungeon(fresh(1));
    expect(weak.some((f) => f.category === 'balance' && f.severity === 'error')).toBe(true);
    expect(checkDungeon(fresh(5)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('finds a room no corridor reaches and a failed generator check', () => {
    const d = fresh(5);
    const last = d.rooms.at(-1)!;
    for (const r of d.rooms) r.exits = r.exits.filter((e) => e.to !== last.id);
    last.exits = [];
    d.checks.all_reachable = false;
    const findings = checkDungeon(d);
    expect(findings).toContainEqual(
      expect.objectContaining({ category: 'layout', target: last.id, severity: 'error' }),
    );
    expect(findings).toContainEqual(expect.objectContaining({ target: 'checks.all_reachable' }));
  });

  it('treasure far out of line with the XP is a warning', () => {
    const d = fresh(5);
    d.totals.treasure_gp = d.totals.xp * 100 + 1000;
    expect(checkDungeon(d)).toContainEqual(
      expect.objectContaining({ category: 'treasure', severity: 'warning' }),
    );
  });

  it('never throws on junk', () => {
    expect(checkDungeon(null)[0]?.severity).toBe('error');
    expect(() =>
      checkDungeon({ rooms: [null, { contents: { monsters: [{ hd: 'x' }] } }] }),
    ).not.toThrow();
  });
});
