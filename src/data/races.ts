export { default as racesTable } from '../generated/data/races.ts';
