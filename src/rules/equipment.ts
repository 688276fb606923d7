/** Weapons (PHB Table 44) and armour (PHB Table 46) by name. */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { armourTable } from '../data/armour.ts';
import type { ArmourData, WeaponsData } from '../data/schemas/equipment.ts';
import { weaponsTable } from '../data/weapons.ts';
import { derivation, type Derivation } from './derivation.ts';

export type WeaponRecord = WeaponsData['weapons'][number];
export type AmmunitionRecord = NonNullable<WeaponRecord['ammunition']>[number];
export type ArmourRecord = ArmourData['armour'][number];
export type ShieldRecord = ArmourData['shields'][number];

function key(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

const WEAPON_ALIASES: Record<string, string> = {
  longsword: 'long sword',
  shortsword: 'short sword',
  broadsword: 'broad sword',
  longbow: 'long bow',
  shortbow: 'short bow',
  'bastard sword': 'bastard sword (one-handed)',
  'two handed sword': 'two-handed sword',
  'throwing axe': 'hand axe',
  'war hammer': 'warhammer',
  staff: 'quarterstaff',
};

export interface WeaponResult {
  weapon: WeaponRecord;
  /** true for bows, crossbows, slings and the blowgun (their ammunition deals the damage) */
  launcher: boolean;
  derivation: Derivation;
}

/** A weapon by name (case-insensitive; "longsword" works). Unknown → UsageError with did-you-mean. */
export function weapon(name: string): WeaponResult {
  const k = key(name);
  const target = WEAPON_ALIASES[k] ?? k;
  const found = weaponsTable.weapons.find((w) => w.name === target);
  if (found === undefined) {
    const names = weaponsTable.weapons.map((w) => w.name);
    throw new UsageError(
      `unknown weapon "${name}"${didYouMean(k, [...names, ...Object.keys(WEAPON_ALIASES)])}`,
    );
  }
  const launcher = found.ammunition !== undefined;
  return {
    weapon: found,
    launcher,
    derivation: derivation([{ table: 'weapons', source: weaponsTable.source, row: found.name }]),
  };
}

export function weapons(): readonly WeaponRecord[] {
  return weaponsTable.weapons;
}

export interface ArmourResult {
  armour: ArmourRecord | ShieldRecord;
  kind: 'armour' | 'shield';
  derivation: Derivation;
}

/** Armour or a shield by name (case-insensitive). */
export function armour(name: string): ArmourResult {
  const k = key(name);
  const a = armourTable.armour.find((x) => x.name === k);
  const s = armourTable.shields.find((x) => x.name === k || x.name === `${k} shield`);
  const found = a ?? s;
  if (found === undefined) {
    const names = [
      ...armourTable.armour.map((x) => x.name),
      ...armourTable.shields.map((x) => x.name),
    ];
    throw new UsageError(`unknown armour "${name}"${didYouMean(k, names)}`);
  }
  return {
    armour: found,
    kind: a !== undefined ? 'armour' : 'shield',
    derivation: derivation([{ table: 'armour', source: armourTable.source, row: found.name }]),
  };
}
