/** Races (PHB Tables 7 and 8, DMG racial level limits). */
import { racesTable } from '../data/races.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import type { RacesData } from '../data/schemas/races.ts';
import type { ClassKey } from './classes.ts';
import { derivation, type Derivation } from './derivation.ts';
import { resolveRace } from './race-names.ts';

export { RACES, resolveRace } from './race-names.ts';

export type RaceRecord = RacesData['races'][RaceKey];

export interface RaceResult extends RaceRecord {
  race: RaceKey;
  /** the classes the race may take (the keys of level_limits) */
  classes: ClassKey[];
  derivation: Derivation;
}

export function race(name: string): RaceResult {
  const key = resolveRace(name);
  const rec = racesTable.races[key];
  return {
    race: key,
    ...rec,
    classes: Object.keys(rec.level_limits) as ClassKey[],
    derivation: derivation([
      {
        table: 'races',
        source: 'PHB Tables 7 and 8; DMG Chapter 2, Racial Class and Level Limits',
        row: key,
      },
    ]),
  };
}
