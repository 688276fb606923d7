/** A big saved batch's NPC views (src/generators/npc/views.ts) read as the NPCs themselves. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { generateNpcs, withEntityId } from '../../src/generators/npc/index.ts';
import { npcSummary, npcView } from '../../src/generators/npc/views.ts';
import type { NpcOptions } from '../../src/generators/npc/types.ts';

const cases: [string, NpcOptions][] = [
  ['random', {}],
  ['level 9 clerics with proficiencies', { class: 'cleric', level: 9, nwp: true }],
  ['dual-class fighter/mages, 4d6', { class: 'fighter/mage', dual: true, level: 6, method: '4d6' }],
];

describe('npc views', () => {
  for (const [what, options] of cases) {
    it(`equal the NPCs they stand for: ${what}`, () => {
      const npcs = generateNpcs(options, 23, createRng(11));
      const views = npcs.map((n, i) => npcView(npcSummary(n, options), `id-${i}`));
      // read in an order that makes each view generate again more than once
      for (const i of [3, 0, 22, 3, 7]) expect(views[i]!.spells).toEqual(npcs[i]!.spells);
      expect(JSON.stringify(views)).toBe(
        JSON.stringify(npcs.map((n, i) => withEntityId(n, `id-${i}`))),
      );
      expect(views.map((v) => Object.keys(v))).toEqual(
        npcs.map((n) => ['entity_id', ...Object.keys(n)]),
      );
      expect({ ...views[5] }).toEqual(withEntityId(npcs[5]!, 'id-5'));
      expect('roll_log' in views[1]!).toBe(true);
      expect('entity' in views[1]!).toBe(false);
    });
  }

  it('keep a view that was written to as written', () => {
    const npcs = generateNpcs({}, 2, createRng(4));
    const views = npcs.map((n) => npcView(npcSummary(n, {}), null));
    views[0]!.name = 'Renamed';
    delete (views[0] as { notes?: string }).notes;
    void views[1]!.abilities; // another view generated in between
    expect(views[0]!.name).toBe('Renamed');
    expect(views[0]!.hit_points).toBe(npcs[0]!.hit_points);
    expect(JSON.parse(JSON.stringify(views[0]))).toEqual(
      JSON.parse(
        JSON.stringify({ ...withEntityId(npcs[0]!, null), name: 'Renamed', notes: undefined }),
      ),
    );
  });
});
