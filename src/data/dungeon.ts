export { default as dungeonData } from '../generated/data/dungeon.ts';
export type { RandomTableData } from './schemas/dungeon.ts';
