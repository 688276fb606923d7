export { default as characterExtrasTable } from '../generated/data/character_extras.ts';
