export { default as missileRangesTable } from '../generated/data/missile_ranges.ts';
export type { MissileRangesData } from './schemas/missile-ranges.ts';
