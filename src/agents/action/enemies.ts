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

/** Hit Dice as dice notation for hit points. */
export function hitPointDice(hd: string): { dice: string; minimum: number } {
  if (/^\d+\/\d+$/.test(hd)) return { dice: '1d4', minimum: 1 };
  const m = /^(\d+)([+-]\d+)?$/.exec(hd);
  if (m === null) return { dice: '1d8', minimum: 1 };
  return { dice: `${m[1]}d8${m[2] ?? ''}`, minimum: 1 };
}

/** Whole Hit Dice for saves, sleep and turning: "1/2" → 0, "1-1" → 1, "4+4" → 5, "1+2" → 1. */
export function effectiveHd(hd: string): number {
  if (/^\d+\/\d+$/.test(hd)) return 0;
  const m = /^(\d+)([+-]\d+)?$/.exec(hd);
  if (m === null) return 1;
  const n = Number(m[1]);
  const extra = m[2] === undefined ? 0 : Number(m[2]);
  return extra >= 3 ? n + 1 : n;
}

export function rollEnemies(
  monster: MonsterData,
  count: number,
  rng: Rng,
  startIndex = 1,
): { enemies: EnemyState[]; rolls: DiceRollContract[] } {
  const enemies: EnemyState[] = [];
  const rolls: DiceRollContract[] = [];
  const { dice, minimum } = hitPointDice(monster.hd);
  for (let i = 0; i < count; i++) {
    const roll = rollDice(dice, rng);
    rolls.push(roll);
    const hp = Math.max(minimum, roll.total);
    enemies.push({
      id: `${monster.name.replace(/\s+/g, '-')}-${startIndex + i}`,
      name: monster.name,
      hd: monster.hd,
      hp,
      max_hp: hp,
      ac: monster.ac,
      thac0: monster.thac0,
      size: monster.size,
      damage: [...monster.damage],
      xp: monster.xp,
      tags: [...monster.tags],
      status: 'active',
    });
  }
  return { enemies, rolls };
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
    if (dmg === 'special') {
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
      const dice = /d/.test(dmg) ? dmg : `1d1+${Number(dmg) - 1}`;
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
