export { default as abilitiesTable } from '../generated/data/abilities.ts';
