export { default as monstersData } from '../generated/data/monsters.ts';
export type { MonsterData, Frequency } from './schemas/monsters.ts';
