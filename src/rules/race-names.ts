/** Race name resolution, kept apart from the races table so save lookups stay small. */
import type { RaceKey } from '../data/schemas/common.ts';
import { createResolver } from './names.ts';

export const RACES: readonly RaceKey[] = ['human', 'dwarf', 'elf', 'gnome', 'half-elf', 'halfling'];
const RACE_ALIASES: Record<string, RaceKey> = { halfelf: 'half-elf', hobbit: 'halfling' };

/** A race name (case-insensitive; "half elf" works) → its key. */
export const resolveRace = createResolver('race', RACES, RACE_ALIASES);
