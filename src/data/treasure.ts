export { default as treasureData } from '../generated/data/treasure.ts';
export type { TreasureLine } from './schemas/treasure.ts';
