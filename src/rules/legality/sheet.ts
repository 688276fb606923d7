/**
 * What the legality checks share: the sheet they read, the finding they return, and the
 * sheet as the checks see it once its classes, race and levels are known.
 */
import type { RaceKey } from '../../data/schemas/common.ts';
import type { Ability } from '../abilities.ts';
import type { ClassKey } from '../classes.ts';
import type { SheetClass } from '../npc.ts';
import type { SaveNumbers } from '../saves.ts';

export type Severity = 'error' | 'warning';
export interface LegalityFinding {
  severity: Severity;
  /** the field at fault: "abilities.cha", "hit_points", "saves.rod" */
  field: string;
  message: string;
  /** the rule's book citation */
  source: string;
}

/** The parts of a character sheet the check reads (an NPC record or a PC). */
export interface CharacterSheet {
  /** a class, or a multi- or dual-class name ("fighter/mage") */
  class: string;
  level: number;
  /** multi- and dual-class: each class with its level (and experience) */
  classes?: readonly SheetClass[];
  race?: string;
  alignment?: string;
  abilities?: Record<Ability, number> & { str_exceptional?: number };
  hit_points?: number;
  armor_class?: number;
  thac0?: number;
  saves?: Partial<SaveNumbers>;
  armour?: string;
  shield?: string;
  spell_slots?: number[];
  spells?: readonly { name: string; level: number; class?: string }[];
  thief_skills?: Record<string, number | undefined>;
}

/** The sheet once its classes and race are resolved. */
export interface SheetIdentity {
  sheet: CharacterSheet;
  /** the classes in the sheet's order; a dual-class sheet's old class first */
  classes: ClassKey[];
  /** the classes joined: "fighter/mage" */
  name: string;
  /** a dual-class sheet (a class marked old or new) */
  dual: boolean;
  /** more than one class and not dual-class */
  multi: boolean;
  /** undefined when the sheet names no race or one the rules do not know */
  race?: RaceKey;
}

/** ...and each class's level (the sheet's list, or the one level for every class). */
export interface LevelledSheet extends SheetIdentity {
  entries: SheetClass[];
}

/** ...and the classes whose abilities the character may use (`activeClasses`). */
export interface ResolvedSheet extends LevelledSheet {
  active: SheetClass[];
}

/** A check: every finding of one rule, in the order the sheet breaks it. */
export type Check<S> = (s: S) => LegalityFinding[];

export const error = (field: string, message: string, source: string): LegalityFinding => ({
  severity: 'error',
  field,
  message,
  source,
});

/** The value, or the error a rules lookup threw (a bad sheet is a finding, not a throw). */
export function attempt<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
}

export const an = (w: string) => (/^[aeiou]/i.test(w) ? `an ${w}` : `a ${w}`);
