/** Issue 15 through the built binary: multi-class NPCs and their audit, npc list, lookups. */
import { describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';

describe('multi-class NPCs, npc list and the new lookups (built binary)', () => {
  it('the done-when: an elf fighter/mage 5, saved, shown and audited clean', async () => {
    const env = scratchEnv();
    const args = [
      'npc',
      'create',
      '--class',
      'fighter/mage',
      '--race',
      'elf',
      '--level',
      '5',
      '--seed',
      '3',
    ];
    const created = await dma([...args, '--json'], { env });
    expect(created.exitCode).toBe(0);
    const npc = JSON.parse(created.stdout).npcs[0];
    expect(npc.classes.map((c: { class: string }) => c.class)).toEqual(['fighter', 'mage']);
    const text = await dma([...args, '--no-save'], { env });
    expect(text.stdout).toMatch(/ — Elf fighter \d+\/mage \d+, /);
    expect(text.stdout).toMatch(/^XP: \d+ each/m);
    expect(text.stdout).toMatch(/^Mage spells: /m);
    const audit = await dma(['audit', npc.entity_id, '--json'], { env });
    expect(audit.exitCode).toBe(0);
    expect(JSON.parse(audit.stdout).findings).toEqual([]);
    const shown = await dma(['npc', 'show', npc.entity_id, '--explain'], { env });
    expect(shown.stdout).not.toMatch(/Saved as/);
    expect(shown.stdout).toContain(`npc ${npc.entity_id} (seed 3).`);
    expect(shown.stdout).toMatch(/experience: .* → fighter \d+, mage \d+/);
  });

  it('refuses paladin/thief (exit 3) citing the PHB, and a dwarf fighter/mage', async () => {
    const env = scratchEnv();
    const r = await dma(['npc', 'create', '--class', 'paladin/thief'], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/no race may be paladin\/thief \(PHB Chapter 2.*PHB Chapter 3/);
    const d = await dma(['npc', 'create', '--class', 'fighter/mage', '--race', 'dwarf'], { env });
    expect(d.exitCode).toBe(3);
    expect(d.stderr).toMatch(/dwarf combinations are fighter\/thief, fighter\/cleric/);
    expect((await dma(['thac0', 'paladin/thief', '5'], { env })).exitCode).toBe(3);
  });

  it('npc list shows race, class/level, alignment and created; filters and sorts', async () => {
    const env = scratchEnv();
    await dma(['npc', 'create', '--count', '30', '--seed', '8'], { env });
    await dma(
      [
        'npc',
        'create',
        '--class',
        'fighter/thief',
        '--race',
        'halfling',
        '--level',
        '6',
        '--seed',
        '1',
      ],
      { env },
    );
    const text = await dma(['npc', 'list', '--limit', '5'], { env });
    expect(text.stdout.split('\n')[0]).toMatch(
      /^id +name +race +class\/level +alignment +created$/,
    );
    const all = JSON.parse(
      (await dma(['npc', 'list', '--limit', '100', '--json'], { env })).stdout,
    );
    expect(all.total).toBe(31);
    const fighters = JSON.parse(
      (
        await dma(
          ['npc', 'list', '--class', 'fighter', '--min-level', '4', '--sort', 'level', '--json'],
          { env },
        )
      ).stdout,
    );
    expect(fighters.entities.length).toBeGreaterThan(0);
    for (const e of fighters.entities) {
      expect(`/${e.class}/`).toContain('/fighter/');
      expect(e.level).toBeGreaterThanOrEqual(4);
    }
    const levels = fighters.entities.map((e: { level: number }) => e.level);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    expect(fighters.entities.some((e: { class: string }) => e.class === 'fighter/thief')).toBe(
      true,
    );
    const halflings = JSON.parse(
      (await dma(['npc', 'list', '--race', 'halfling', '--json'], { env })).stdout,
    );
    for (const e of halflings.entities) expect(e.race).toBe('halfling');
    expect((await dma(['npc', 'list', '--race', 'elff'], { env })).exitCode).toBe(3);
  });

  it('the lookups answer with citations: spells, a monster to-hit, thief skills in armour', async () => {
    const env = scratchEnv();
    const run = async (...args: string[]) => (await dma(args, { env })).stdout.trim();
    expect(await run('spells', 'bard', '6')).toBe('3 2');
    expect(await run('spells', 'paladin', '9')).toBe('1');
    expect(await run('spells', 'ranger', '8')).toBe('1');
    expect(await run('spells', 'ranger', '8', '--explain')).toMatch(/PHB Chapter 3, Ranger/);
    expect(await run('to-hit', '--hd', '4+4', '--ac', '-2')).toBe('17');
    expect(await run('to-hit', '--hd', '4+4', '--ac', '-2', '--explain')).toMatch(/DMG Table 39/);
    const chain = JSON.parse(await run('thief-skills', '5', '--armor', 'chain', '--json'));
    expect(chain.armour).toBe('chain mail');
    expect(chain.skills.find((s: { skill: string }) => s.skill === 'pick_pockets').armour).toBe(
      -40,
    );
    expect(await run('thief-skills', '5', '--armor', 'chain', '--explain')).toMatch(/PHB Table 29/);
    expect(await run('thac0', 'fighter/mage', '5')).toBe('16');
    expect(await run('xp', 'fighter/mage/thief', '30000')).toMatch(/^4\/4\/5 /);
  });
});
