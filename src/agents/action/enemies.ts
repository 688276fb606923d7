/**
 * The enemies of a stored fight: monster entries turned into combatants (rolled hit points),
 * their saving throws and their attacks. Pure: the RNG is a parameter.
 *
 * - Hit points: a d8 per Hit Die (MM introduction); "1/2" is 1d4, "n+k" adds k, "n-k"
 *   subtracts k, at least 1 point.
 * - Saving throws: a monster saves as a warrior of level equal to its Hit Dice (DMG,
 *   "Saving Throws" for monsters); under 1 HD as a 0-level warrior, +3 hit points or more
 *   counts as one more die, as for THAC0 (DMG Table 39).
 * - Attacks: every damaging attack of the entry rolls d20 against THAC0 − the character's AC
 *   (PHB Chapter 9); "special" attacks are noted, not guessed.
 */
import type { DiceRollContract } from '../../contracts/action.ts';
import type { Rng } from '../../core/rng.ts';
import type { MonsterData } from '../../data/monsters.ts';
import { rollDice } from '../../rules/dice.ts';
import { parseHitDice, rollHitPoints, thac0HitDice } from '../../rules/monsters.ts';
import { saveFor, type SaveCategory } from '../../rules/saves.ts';

export type EnemyStatus = 'active' | 'dead' | 'asleep' | 'held' | 'charmed' | 'turned' | 'fled';

export interface EnemyState {
  /** label in this fight: "goblin-2" */
  id: string;
  name: string;
  hd: string;
  hp: number;
  max_hp: number;
  ac: number;
  thac0: number;
  size: 'T' | 'S' | 'M' | 'L' | 'H' | 'G';
  damage: string[];
  xp: number;
  tags: string[];
  status: EnemyStatus;
  /** rounds left for a timed status (asleep, held), when the spell gives a duration */
  status_rounds?: number;
}

/**
 * Whole Hit Dice for saves and turning (DMG Table 39's reading: +3 hit points or more is
 * another die, "N-M" one die less, fractions and hit-point entries 0).
 */
export function effectiveHd(hd: string): number {
  return thac0HitDice(hd);
}

/** Hit Dice as sleep counts them: whole dice, at least 1; 4+4 or more is immune. */
export function sleepHd(hd: string): { whole: number; immune: boolean } {
  const p = parseHitDice(hd);
  if (p.fraction) return { whole: 1, immune: false };
  return {
    whole: Math.max(1, p.dice),
    immune: p.dice > 4 || (p.dice === 4 && p.bonus >= 4),
  };
}

/**
 * The dice of one attack of a catalogue entry: dice or a number as printed; "by weapon"
 * takes the weapon its entry's note names ("by weapon (usually 1d6)"), with any "+N"; else
 * undefined (special, or a weapon the entry leaves to the DM).
 */
export function attackDice(entry: string, note?: string): string | undefined {
  if (/^\d*d\d+([+-]\d+)?$/.test(entry)) return entry;
  if (/^\d+$/.test(entry)) return `1d1+${Number(entry) - 1}`;
  const weapon = /^by weapon(?:\s*([+-]\d+))?$/.exec(entry);
  if (weapon === null) return undefined;
  const dice = note === undefined ? undefined : /(\d*d\d+(?:[+-]\d+)?)/.exec(note)?.[1];
  if (dice === undefined) return undefined;
  return weapon[1] === undefined ? dice : `${dice}${weapon[1]}`;
}

export function rollEnemies(
  monster: MonsterData,
  count: number,
  rng: Rng,
  startIndex = 1,
): { enemies: EnemyState[]; rolls: DiceRollContract[] } {
  const enemies: EnemyState[] = [];
  const rolls: DiceRollContract[] = [];
  const note = (monster as { attack_note?: string }).attack_note;
  for (let i = 0; i < count; i++) {
    // the catalogue's own hit point rule (MM: d8 per Hit Die; fixed hit points when given)
    const hp = (monster as { hp?: number }).hp ?? rollHitPoints(monster.hd, rng);
    enemies.push({
      id: `${monster.name.replace(/\s+/g, '-')}-${startIndex + i}`,
      name: monster.name,
      hd: monster.hd,
      hp,
      max_hp: hp,
      ac: monster.ac,
      thac0: monster.thac0,
      size: monster.size,
      damage: monster.damage.map((d) => attackDice(d, note) ?? 'special'),
      xp: monster.xp,
      tags: [...monster.tags],
      status: 'active',
    });
  }
  return { enemies, rolls };
}

/** @deprecated kept for callers that want the dice of a plain HD string */
export function hitPointDice(hd: string): { dice: string; minimum: number } {
  if (/^\d+\/\d+$/.test(hd)) return { dice: '1d4', minimum: 1 };
  const m = /^(\d+)([+-]\d+)?$/.exec(hd);
  if (m === null) return { dice: '1d8', minimum: 1 };
  return { dice: `${m[1]}d8${m[2] ?? ''}`, minimum: 1 };
}

/** The d20 number a monster needs to save (as a warrior of its Hit Dice, at most 21). */
export function monsterSave(enemy: Pick<EnemyState, 'hd'>, category: SaveCategory): number {
  return saveFor('warrior', Math.min(21, effectiveHd(enemy.hd)), category).value;
}

export interface EnemyAttack {
  attacker: string;
  attack_roll: DiceRollContract;
  needed: number;
  hit: boolean;
  damage: number;
  damage_roll?: DiceRollContract;
}

/** Every damaging attack of an active enemy against armour class `ac`. */
export function enemyAttacks(
  enemy: EnemyState,
  ac: number,
  rng: Rng,
): { attacks: EnemyAttack[]; notes: string[] } {
  const attacks: EnemyAttack[] = [];
  const notes: string[] = [];
  for (const dmg of enemy.damage) {
    if (attackDice(dmg) === undefined) {
      notes.push(`${enemy.id}: a special attack — its effect is the DM's to apply (see its entry)`);
      continue;
    }
    const needed = enemy.thac0 - ac;
    const attackRoll = rollDice('1d20', rng);
    const hit = attackRoll.total >= needed;
    const attack: EnemyAttack = {
      attacker: enemy.id,
      attack_roll: attackRoll,
      needed,
      hit,
      damage: 0,
    };
    if (hit) {
      const dice = attackDice(dmg)!;
      const damageRoll = rollDice(dice, rng);
      attack.damage_roll = damageRoll;
      attack.damage = Math.max(1, damageRoll.total);
    }
    attacks.push(attack);
  }
  return { attacks, notes };
}

/** "goblin", "goblins", "goblin-2", "the second goblin" → the enemy meant, among the living. */
export function findEnemy(enemies: readonly EnemyState[], text: string): EnemyState | undefined {
  const lower = text.toLowerCase();
  const byId = enemies.find((e) =>
    new RegExp(`\\b${e.id}\\b`).test(lower.replace(/ #?(\d)/g, '-$1')),
  );
  if (byId !== undefined) return byId;
  const named = [...enemies]
    .sort((a, b) => b.name.length - a.name.length)
    .filter((e) => new RegExp(`\\b${e.name.replace(/[-\s]/g, '[-\\s]')}s?\\b`).test(lower));
  return named.find((e) => e.status === 'active') ?? named[0];
}

/** An action the character cannot take: refused with the reason, nothing rolled. */
export class Refusal extends Error {}

/** Damage to an enemy of the fight: at 0 hit points it is dead (PHB Chapter 9). */
export function applyDamage(enemy: EnemyState, amount: number, notes: string[]): void {
  enemy.hp = Math.max(0, enemy.hp - amount);
  if (enemy.hp === 0 && enemy.status !== 'dead') {
    enemy.status = 'dead';
    notes.push(`${enemy.id} drops: 0 hit points`);
  }
}
