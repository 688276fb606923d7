/**
 * The Rules Arbiter's step of `dma action` in process (src/commands/_action-rules.ts): who
 * may act in a stored fight, who strikes first, a spell lost to a hit, a fall before acting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type EncounterState,
  type Initiative,
  parseEnemies,
  rollEncounterEnemies,
  rollInitiative,
} from '../../src/agents/action/combat.ts';
import { monsterByName } from '../../src/agents/action/arbiter.ts';
import type { CharacterSheet } from '../../src/contracts/action.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  type Turn,
  type TurnInput,
  actAlone,
  actInFight,
} from '../../src/commands/_action-rules.ts';

const MAGE = parse(
  readFileSync(new URL('../fixtures/pc-mage.yaml', import.meta.url), 'utf8'),
) as CharacterSheet;

/** A stored fight against `foes` whose first round's initiative went `first`. */
function fight(foes: string, first: Initiative['first'], seed: number): EncounterState {
  let initiative: Initiative;
  let s = 0;
  do initiative = rollInitiative(createRng(s++));
  while (initiative.first !== first);
  return {
    party: [
      { name: MAGE.name, ref: 'file:/mage.yaml', hp: MAGE.hp, max_hp: 14, ac: 8, spells_used: [] },
    ],
    enemies: rollEncounterEnemies(parseEnemies(foes), createRng(seed)),
    initiative,
    log: [],
  };
}

const turn = (text: string, sheet: CharacterSheet, seed: number): TurnInput => ({
  text,
  sheet,
  target: { acSource: 'monster', size: 'M' },
  rng: createRng(seed),
  critRule: 'none',
});

const reason = (t: Turn) =>
  'reason' in t.rules.mechanics_result ? t.rules.mechanics_result.reason : undefined;

describe('actInFight', () => {
  it('a character at 0 hit points cannot act: no round, no dice', async () => {
    const state = fight('3 goblins', 'enemies', 1);
    const before = structuredClone(state);
    const t = await actInFight(turn('I attack the goblin', { ...MAGE, hp: 0 }, 1), state, 1);
    expect(t.rules.action_type).toBe('refused');
    expect(reason(t)).toBe('Ilsa is down (0 hit points) and cannot act');
    expect([t.initiative, t.attacks, t.hp]).toEqual([undefined, [], 0]);
    expect(state).toEqual(before);
  });

  it('a refused action takes no round: no initiative, no enemy answers, the fight unchanged', async () => {
    const state = fight('3 goblins', 'enemies', 1);
    const before = structuredClone(state);
    const t = await actInFight(turn('I cast cone of cold', MAGE, 1), state, 1);
    expect(t.rules.action_type).toBe('refused');
    expect([t.initiative, t.attacks, t.hp]).toEqual([undefined, [], MAGE.hp]);
    expect(state).toEqual(before);
  });

  it('enemies first: a caster they hit loses the spell; one they miss casts it', async () => {
    let lost = 0;
    let cast = 0;
    for (let seed = 0; seed < 60; seed++) {
      const state = fight('4 goblins', 'enemies', seed);
      const t = await actInFight(turn('I cast magic missile at the goblin', MAGE, seed), state, 1);
      expect(t.initiative?.first).toBe('enemies');
      // magic missile's casting time 1 is added to the party's roll (PHB Table 55)
      expect(t.initiative?.party.total).toBe(state.initiative!.party.total + 1);
      if (t.hp === 0) continue;
      if (t.attacks.some((a) => a.hit)) {
        lost++;
        expect(t.rules.mechanics_result).toMatchObject({
          action_type: 'spell',
          spell: 'magic missile',
          refused: 'struck before the spell went off: it is lost from memory',
        });
        expect(t.effects.spellUsed).toBe('magic missile');
      } else {
        cast++;
        expect(t.rules.action_type).toBe('spell');
        expect(t.rules.success).toBe(true);
      }
    }
    expect(lost).toBeGreaterThan(0);
    expect(cast).toBeGreaterThan(0);
  });

  it('enemies first: a character dropped to 0 falls before acting', async () => {
    let fell = 0;
    for (let seed = 0; seed < 60; seed++) {
      const state = fight('3 ogres', 'enemies', seed);
      const t = await actInFight(turn('I attack the ogre', { ...MAGE, hp: 3 }, seed), state, 1);
      const damage = t.attacks.reduce((s, a) => s + a.damage, 0);
      expect(t.hp).toBe(Math.max(0, 3 - damage));
      if (t.hp > 0) continue;
      fell++;
      expect(t.rules.action_type).toBe('dm_call');
      expect(reason(t)).toBe(
        'Ilsa falls before acting: the enemies won the initiative (0 hit points)',
      );
      // nobody attacks a fallen character
      expect(t.attacks.at(-1)!.damage).toBeGreaterThan(0);
    }
    expect(fell).toBeGreaterThan(0);
  });

  it('party first: the action, then every enemy still standing answers, in order', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const state = fight('3 goblins', 'party', seed);
      const t = await actInFight(turn('I attack the goblin', MAGE, seed), state, 1);
      expect(t.initiative?.first).toBe('party');
      expect(t.rules.action_type).toBe('attack');
      const standing = state.enemies.filter((e) => e.status === 'active').map((e) => e.id);
      const attackers = [...new Set(t.attacks.map((a) => a.attacker))];
      if (t.hp > 0) expect(attackers).toEqual(standing);
      else expect(standing).toEqual(expect.arrayContaining(attackers));
    }
  });
});

describe('actAlone', () => {
  it('outside a fight an attack on a monster notes that its answer is not rolled', () => {
    const goblin = monsterByName('goblin')!;
    const t = actAlone({
      ...turn('I attack the goblin', MAGE, 3),
      target: {
        name: goblin.name,
        ac: goblin.ac,
        acSource: 'monster',
        size: goblin.size,
        monster: goblin,
      },
    });
    expect([t.attacks, t.combatNotes, t.hp, t.initiative]).toEqual([[], [], MAGE.hp, undefined]);
    expect(t.rules.mechanics_result.notes).toContain(
      'no fight is stored: the goblin\'s answer is not rolled (dma combat start "goblin" -c <sheet> to run the fight)',
    );
  });
});
