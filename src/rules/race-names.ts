/** Race name resolution, kept apart from the races table so save lookups stay small. */
import type { RaceKey } from '../data/schemas/common.ts';
import { resolveName } from './names.ts';

export const RACES: readonly RaceKey[] = ['human', 'dwarf', 'elf', 'gnome', 'half-elf', 'halfling'];
const RACE_ALIASES: Record<string, RaceKey> = { halfelf: 'half-elf', hobbit: 'halfling' };

export function resolveRace(name: string): RaceKey {
  return resolveName('race', name, RACES, RACE_ALIASES);
}
