/** The NPC generator's data: name syllables, flavour tables, equipment kits, spell lists. */
export { default as npcNamesData } from '../generated/data/npc-names.ts';
export { default as npcFlavourData } from '../generated/data/npc-flavour.ts';
export { default as npcGearData } from '../generated/data/npc-gear.ts';
export { default as npcSpellsData } from '../generated/data/npc-spells.ts';
export type { NpcFlavourData, NpcGearData, NpcNamesData, NpcSpellsData } from './schemas/npc.ts';
