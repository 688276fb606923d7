/**
 * A fight that lasts (issue 14): the encounter's state, its start (enemies from the monster
 * catalogue with rolled hit points, the first initiative) and the initiative of each round.
 * Pure: the store keeps the state (src/store/encounters.ts), the RNG is a parameter.
 *
 * Initiative (PHB Chapter 9, "Initiative", standard group method): each side rolls 1d10,
 * the lower acts first, ties act simultaneously. PHB Table 55 modifiers used here: a spell's
 * casting time is added to its caster's roll (a casting time of a round or more acts at the
 * end of the round); hasted/slowed and the others are the DM's to add.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import type { MonsterData } from '../../data/monsters.ts';
import { rollDice, type DiceRoll } from '../../rules/dice.ts';
import { resolveMonster } from '../../rules/monsters.ts';
import { rollEnemies, type EnemyState } from './enemies.ts';

export interface PartyMember {
  name: string;
  /** "file:<absolute path>" or "pc:<entity id>" */
  ref: string;
  hp: number;
  max_hp: number;
  ac: number;
  /** spells cast during the fight, taken from the memorised list */
  spells_used: string[];
}

export interface Initiative {
  party: DiceRoll;
  enemies: DiceRoll;
  first: 'party' | 'enemies' | 'simultaneous';
  notes?: string[];
}

export interface LogEntry {
  round: number;
  character: string;
  action: string;
  summary: string;
}

export interface EncounterState {
  party: PartyMember[];
  enemies: EnemyState[];
  initiative?: Initiative;
  log: LogEntry[];
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};

/** "3 goblins and an orc", "goblin x3, 2 orcs" → monsters with counts. */
export function parseEnemies(text: string): { monster: MonsterData; count: number }[] {
  const parts = text
    .split(/\s*(?:,|;|\band\b|\+)\s*/i)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new UsageError('name the enemies, e.g. "3 goblins"');
  const out: { monster: MonsterData; count: number }[] = [];
  for (const part of parts) {
    const m = /^(\d+|[a-z]+)\s+(.+)$/i.exec(part);
    let count = 1;
    let name = part;
    const tail = /^(.+?)\s*(?:x|×)\s*(\d+)$/i.exec(part);
    if (tail !== null) {
      name = tail[1]!;
      count = Number(tail[2]);
    } else if (
      m !== null &&
      (/^\d+$/.test(m[1]!) || NUMBER_WORDS[m[1]!.toLowerCase()] !== undefined)
    ) {
      count = /^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!.toLowerCase()]!;
      name = m[2]!;
    }
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw new UsageError(`bad enemy count in "${part}": 1 to 100`);
    }
    const monster = resolveMonster(name);
    const same = out.find((o) => o.monster.name === monster.name);
    if (same !== undefined) same.count += count;
    else out.push({ monster, count });
  }
  return out;
}

/** The enemies of a new fight, each with rolled hit points. */
export function rollEncounterEnemies(
  spec: readonly { monster: MonsterData; count: number }[],
  rng: Rng,
): EnemyState[] {
  const enemies: EnemyState[] = [];
  for (const { monster, count } of spec) {
    enemies.push(...rollEnemies(monster, count, rng).enemies);
  }
  return enemies;
}

/** Group initiative for one round (PHB Chapter 9): 1d10 a side, lower first. */
export function rollInitiative(rng: Rng, partyModifier = 0, note?: string): Initiative {
  const party = rollDice('1d10', rng);
  if (partyModifier !== 0) {
    party.modifier += partyModifier;
    party.total += partyModifier;
    party.notation = `${party.notation}${partyModifier > 0 ? '+' : ''}${partyModifier}`;
  }
  const enemies = rollDice('1d10', rng);
  const first =
    party.total < enemies.total
      ? 'party'
      : party.total > enemies.total
        ? 'enemies'
        : 'simultaneous';
  return { party, enemies, first, ...(note === undefined ? {} : { notes: [note] }) };
}

/** A rolled initiative with the party's modifier (casting time) added afterwards. */
export function withPartyModifier(base: Initiative, modifier: number, note?: string): Initiative {
  if (modifier === 0) return structuredClone(base);
  const party = structuredClone(base.party);
  party.modifier += modifier;
  party.total += modifier;
  party.notation = `${party.notation}+${modifier}`;
  const first =
    party.total < base.enemies.total
      ? 'party'
      : party.total > base.enemies.total
        ? 'enemies'
        : 'simultaneous';
  return { party, enemies: base.enemies, first, ...(note === undefined ? {} : { notes: [note] }) };
}

/** Whether the fight is over: no enemy able to fight, or no party member standing. */
export function fightOutcome(state: EncounterState): 'victory' | 'defeat' | undefined {
  if (state.party.every((p) => p.hp <= 0)) return 'defeat';
  if (state.enemies.every((e) => e.status !== 'active')) return 'victory';
  return undefined;
}
