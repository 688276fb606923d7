/** Building blocks shared by the rules-data schemas. */
import { z } from 'zod';
import { CLASSES, RACES } from '../../core/vocabulary.ts';

export const abilityKey = z.enum(['str', 'dex', 'con', 'int', 'wis', 'cha']);
export type AbilityKey = z.infer<typeof abilityKey>;

export const groupKey = z.enum(['warrior', 'priest', 'rogue', 'wizard']);
export type GroupKey = z.infer<typeof groupKey>;

export const saveKey = z.enum(['ppd', 'rsw', 'pp', 'bw', 'sp']);
export type SaveKey = z.infer<typeof saveKey>;

export const raceKey = z.enum(RACES);
export type RaceKey = z.infer<typeof raceKey>;

export const classKey = z.enum(CLASSES);
export type ClassKey = z.infer<typeof classKey>;

export const alignment = z.enum(['LG', 'NG', 'CG', 'LN', 'N', 'CN', 'LE', 'NE', 'CE']);

/** A book citation, e.g. "PHB Table 60". */
export const source = z.string().regex(/^(PHB|DMG)\b/, 'a citation starting with PHB or DMG');

export const int = z.number().int();
export const pct = z.number().int().min(0).max(100);
