/** Types of the NPC generator (World Designer). */
import type { ThiefSkillKey } from '../../data/schemas/thief-skills.ts';
import type { ClassKey } from '../../rules/classes.ts';
import type { SaveNumbers } from '../../rules/saves.ts';
import type { RaceKey } from '../../data/schemas/common.ts';

export const GENERATOR = { name: 'dma-npc', version: '0.2.0' } as const;

/**
 * How ability scores are rolled (PHB Chapter 1, "Generating Ability Scores"):
 * - `3d6`: Method I — 3d6 for each ability, in order (Str, Dex, Con, Int, Wis, Cha).
 * - `4d6`: 4d6 for each ability, the lowest die dropped, in order (the dice of Method V
 *   without its arranging: a little above average, still at the dice's mercy).
 * - `heroic`: Method V — 4d6 drop the lowest, six times, arranged to suit the class; and,
 *   dma's addition (not a book rule), any total below 8 is re-rolled.
 * In-order methods re-roll a whole set that fits no allowed class and race; arranged
 * methods put the best scores where the class needs them. The roll log says which.
 */
export type AbilityMethod = '3d6' | '4d6' | 'heroic';
export const ABILITY_METHODS: readonly AbilityMethod[] = ['3d6', '4d6', 'heroic'];
export const DEFAULT_METHOD: AbilityMethod = '3d6';

export type Gender = 'male' | 'female';
export const GENDERS: readonly Gender[] = ['male', 'female'];

/** What the DM asks for; everything left out is rolled, legally. */
export interface NpcOptions {
  /** a class, or a multi-class combination ("fighter/mage"; with `dual`, old/new class) */
  class?: string;
  /** a dual-class human: `class` names the old class, then the new one ("fighter/mage") */
  dual?: boolean;
  /** 1-20; when left out, 1-10 within the race's limit */
  level?: number;
  race?: string;
  /** "lawful good", "LG", "neutral", … */
  alignment?: string;
  name?: string;
  gender?: string;
  method?: AbilityMethod;
  /** the optional non-weapon proficiency rule (PHB Chapter 5): roll them too */
  nwp?: boolean;
}

/** One step of the generation: a dice roll, a table lookup or a rules lookup. */
export interface RollStep {
  step: string;
  table?: string;
  source?: string;
  dice?: string;
  rolls: number[];
  result: number | string;
  note?: string;
}

export interface NpcAbilities {
  str: number;
  dex: number;
  con: number;
  int: number;
  wis: number;
  cha: number;
  /** d100 for a warrior with Strength 18; 100 reads 18/00 */
  str_exceptional?: number;
}

export interface NpcSpell {
  name: string;
  level: number;
  /** the wizard school, or the priest sphere */
  school: string;
  /** a multi- or dual-class caster: the class that memorised it */
  class?: string;
}

/** One class of a multi- or dual-class character. */
export interface NpcClassLevel {
  class: ClassKey;
  level: number;
  /** experience points in this class (multi-class: an equal share of the total) */
  xp: number;
  /** spells per day of this class, by spell level */
  spell_slots?: number[];
  /** dual-class: the old class, whose abilities are usable only once the new level exceeds it */
  dual?: 'old' | 'new';
}

/**
 * A generated NPC: the campaign store's `npc` data (src/contracts/entities.ts,
 * `npcDataSchema`) plus its `name`. Keys are written in a fixed order, so the same seed
 * gives the same JSON bytes.
 */
export interface Npc {
  name: string;
  /** the class, or "fighter/mage" for a multi-class (old/new for a dual-class) character */
  class: ClassKey | string;
  /** the level; multi- and dual-class: the highest of `classes` */
  level: number;
  /** multi- and dual-class characters: each class with its level and experience */
  classes?: NpcClassLevel[];
  race: RaceKey;
  gender: Gender;
  /** written out: "lawful good" */
  alignment: string;
  hit_points: number;
  armor_class: number;
  thac0: number;
  abilities: NpcAbilities;
  saves: SaveNumbers;
  armour: string;
  shield?: string;
  weapons: string[];
  equipment: string[];
  spell_slots?: number[];
  spells?: NpcSpell[];
  thief_skills?: Partial<Record<ThiefSkillKey, number>>;
  /** dwarves and halflings: save vs poison with the Constitution bonus (PHB Table 9) */
  poison_save?: number;
  /** a priest with Wisdom 12 or less: percent chance a spell fails (PHB Table 5) */
  spell_failure?: number;
  /** clerics and paladins: the PHB Table 61 column and each row's result */
  turn_undead?: { as_level: number; results: Record<string, string> };
  racial_abilities?: string[];
  /** "long sword (specialised)", …; and the non-proficiency penalty */
  weapon_proficiencies: string[];
  nonweapon_proficiencies?: string[];
  languages: string[];
  /** magic items carried (DMG-style chance by level) */
  magic_items?: string[];
  appearance: string;
  traits: string[];
  personality: string;
  motivation: string;
  description: string;
  notes?: string;
  roll_log: RollStep[];
  seed: number;
  /** a batch's flavour deck (see flavour.ts): with the seed, what reproduces the NPC */
  flavour_deck?: { seed: number; slot: number };
  generator: { name: string; version: string };
  /** the options as given, with the method used */
  options: NpcOptions;
}
