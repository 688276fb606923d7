/**
 * The d20 roll needed to hit an armour class: THAC0 - AC, less the attacker's bonuses.
 * Melee adds the Strength hit adjustment (PHB Table 1); missile attacks add Dexterity's
 * missile adjustment (PHB Table 2). A weapon that is a launcher makes the attack a missile
 * attack unless `missile` says otherwise. The result is not clamped to 2..20: a DM
 * decides what a roll "needed 22" means at the table.
 */
import { UsageError } from '../core/errors.ts';
import { abilityRow, type DexterityRow, type StrengthRow } from './abilities.ts';
import { type Adjustment, derivation, type Derivation, mergeDerivations } from './derivation.ts';
import { weapon as findWeapon, type WeaponRecord } from './equipment.ts';
import { thac0 as thac0For } from './thac0.ts';

export type Attacker = { class: string; level: number } | { thac0: number };

export interface ToHitOptions {
  /** Strength score, e.g. "18/76" (melee) */
  str?: string | number;
  /** Dexterity score (missile) */
  dex?: string | number;
  /** weapon name from PHB Table 44 */
  weapon?: string;
  /** force a missile (true) or melee (false) attack */
  missile?: boolean;
}

export interface ToHitResult {
  thac0: number;
  ac: number;
  attack: 'melee' | 'missile';
  /** d20 roll needed (≥) */
  roll_needed: number;
  adjustments: Adjustment[];
  weapon?: WeaponRecord;
  derivation: Derivation;
}

export function toHit(attacker: Attacker, ac: number, options: ToHitOptions = {}): ToHitResult {
  if (!Number.isInteger(ac) || ac < -10 || ac > 10) {
    throw new UsageError(`armour class ${ac} is outside -10..10`);
  }
  const parts: Derivation[] = [];
  let base: number;
  let klass: string | undefined;
  if ('thac0' in attacker) {
    if (!Number.isInteger(attacker.thac0) || attacker.thac0 < -20 || attacker.thac0 > 25) {
      throw new UsageError(`THAC0 ${attacker.thac0} is outside -20..25`);
    }
    base = attacker.thac0;
  } else {
    const t = thac0For(attacker.class, attacker.level);
    base = t.thac0;
    klass = t.class;
    parts.push(t.derivation);
  }
  const w = options.weapon === undefined ? undefined : findWeapon(options.weapon);
  if (w !== undefined) parts.push(w.derivation);
  const missile = options.missile ?? w?.launcher ?? false;
  const adjustments: Adjustment[] = [];
  if (!missile && options.str !== undefined) {
    const r = abilityRow('str', options.str, klass === undefined ? {} : { class: klass });
    const hit = (r.row as StrengthRow).hit;
    parts.push(r.derivation);
    adjustments.push({
      label: `Strength ${r.score} hit probability`,
      value: hit,
      source: r.derivation.uses[0]!.source,
    });
  }
  if (missile && options.dex !== undefined) {
    const r = abilityRow('dex', options.dex);
    const adj = (r.row as DexterityRow).missile;
    parts.push(r.derivation);
    adjustments.push({
      label: `Dexterity ${r.score} missile attack`,
      value: adj,
      source: r.derivation.uses[0]!.source,
    });
  }
  const bonus = adjustments.reduce((s, a) => s + a.value, 0);
  const notes = [
    `roll needed = THAC0 ${base} - AC ${ac}${bonus === 0 ? '' : ` - bonuses ${bonus}`}`,
  ];
  return {
    thac0: base,
    ac,
    attack: missile ? 'missile' : 'melee',
    roll_needed: base - ac - bonus,
    adjustments,
    ...(w === undefined ? {} : { weapon: w.weapon }),
    derivation: mergeDerivations(...parts, derivation([], adjustments, notes)),
  };
}
