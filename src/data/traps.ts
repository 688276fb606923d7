export { default as trapsData } from '../generated/data/traps.ts';
export type { TrapData, TrapPlacement, TrapsData } from './schemas/traps.ts';
