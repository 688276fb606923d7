/**
 * The AD&D 2e names every layer shares — the rules data's schemas, the bus contracts —
 * kept in one place so the lists cannot drift apart.
 */

/** PHB chapter 3: the character classes, specialist wizards included. */
export const CLASSES = [
  'fighter',
  'paladin',
  'ranger',
  'mage',
  'abjurer',
  'conjurer',
  'diviner',
  'enchanter',
  'illusionist',
  'invoker',
  'necromancer',
  'transmuter',
  'cleric',
  'druid',
  'thief',
  'bard',
] as const;

/** PHB chapter 3: the four class groups (THAC0 and saves are by group). */
export const CLASS_GROUPS = ['warrior', 'priest', 'rogue', 'wizard'] as const;

/** PHB chapter 2: the player character races. */
export const RACES = ['human', 'dwarf', 'elf', 'gnome', 'half-elf', 'halfling'] as const;

/** Where a creature of the monster catalogue lives (MM habitats, in dungeon terms). */
export const HABITATS = [
  'dungeon',
  'cavern',
  'crypt',
  'warren',
  'ruins',
  'water',
  'sewer',
  'underdark',
  'temple',
  'wilderness',
] as const;
