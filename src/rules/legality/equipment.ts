/** Armour and shield: allowed for the class, and the armour class they give. */
import { npcGearTable } from '../../data/npc-gear.ts';
import { armourClass } from '../npc.ts';
import { type LegalityFinding, type ResolvedSheet, an, attempt, error } from './sheet.ts';

/**
 * Armour or a shield that one of the classes may use (each class's limits: a multi-class
 * character may use what any of its classes allows, PHB Chapter 3, Multi-Class Benefits).
 */
function gearAllowed(
  s: ResolvedSheet,
  field: 'armour' | 'shield',
  item: string | undefined,
): LegalityFinding[] {
  if (item === undefined) return [];
  const limits = s.classes.map((c) => npcGearTable.limits[c]);
  if (limits.some((l) => (field === 'armour' ? l.armour : l.shields).includes(item))) return [];
  const use = field === 'armour' ? `wear ${item}` : `carry a ${item}`;
  return [error(field, `${an(s.name)} may not ${use}`, limits.map((l) => l.source).join('; '))];
}

/** Armour that one of the classes may wear. */
export function armourAllowed(s: ResolvedSheet): LegalityFinding[] {
  return gearAllowed(s, 'armour', s.sheet.armour);
}

/** A shield that one of the classes may carry. */
export function shieldAllowed(s: ResolvedSheet): LegalityFinding[] {
  return gearAllowed(s, 'shield', s.sheet.shield);
}

/** The AC the armour, shield and Dexterity give (PHB Tables 46 and 2); the armour known. */
export function armourClassMatches({ sheet }: ResolvedSheet): LegalityFinding[] {
  const { armour, shield, armor_class: given, abilities } = sheet;
  if (armour === undefined || given === undefined || abilities === undefined) return [];
  const ac = attempt(() => armourClass(armour, shield, abilities.dex));
  if (ac instanceof Error) return [error('armour', ac.message, 'PHB Table 46')];
  if (ac.armor_class === given) return [];
  return [
    error(
      'armor_class',
      `AC ${given} should be ${ac.armor_class} (${ac.explanation})`,
      'PHB Table 46; PHB Table 2 (Dexterity defensive adjustment)',
    ),
  ];
}
