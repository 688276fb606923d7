export { default as spellProgressionTable } from '../generated/data/spell_progression.ts';
