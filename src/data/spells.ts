export { default as spellsData } from '../generated/data/spells.ts';
export type { SpellData, SpellDice, SpellsData, LevelCount } from './schemas/spells.ts';
