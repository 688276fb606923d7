/**
 * Registry of rules-data files: `rules-data/<name>.yaml` is validated by `schema` at
 * generate time and compiled to `src/generated/data/<name>.ts` (no YAML at run time).
 * Adding a table is one YAML file, one schema file and one line here.
 */
import type { z } from 'zod';
import { abilitiesSchema } from './abilities.ts';
import { armourSchema, weaponsSchema } from './equipment.ts';
import { characterExtrasSchema } from './character-extras.ts';
import { classesSchema } from './classes.ts';
import { dungeonSchema } from './dungeon.ts';
import { experienceSchema } from './experience.ts';
import { monsterThac0Schema } from './monster-thac0.ts';
import { magicItemsSchema } from './magic-items.ts';
import { monstersSchema } from './monsters.ts';
import { multiclassSchema } from './multiclass.ts';
import { npcFlavourSchema, npcGearSchema, npcNamesSchema, npcSpellsSchema } from './npc.ts';
import { racesSchema } from './races.ts';
import { savingThrowsSchema } from './saving-throws.ts';
import { spellProgressionSchema } from './spell-progression.ts';
import { spellsSchema } from './spells.ts';
import { missileRangesSchema } from './missile-ranges.ts';
import { thac0Schema } from './thac0.ts';
import { thiefSkillsSchema } from './thief-skills.ts';
import { trapsSchema } from './traps.ts';
import { treasureSchema } from './treasure.ts';
import { turnUndeadSchema } from './turn-undead.ts';

export interface RulesDataEntry {
  /** file name under rules-data/ without `.yaml` */
  name: string;
  schema: z.ZodType;
  /** the exported type name in the schema module, used by the generated module */
  typeName: string;
  /** schema module path relative to src/data/schemas/ */
  module: string;
}

export const rulesDataRegistry: RulesDataEntry[] = [
  { name: 'thac0', schema: thac0Schema, typeName: 'Thac0Data', module: 'thac0.ts' },
  {
    name: 'monster_thac0',
    schema: monsterThac0Schema,
    typeName: 'MonsterThac0Data',
    module: 'monster-thac0.ts',
  },
  {
    name: 'saving_throws',
    schema: savingThrowsSchema,
    typeName: 'SavingThrowsData',
    module: 'saving-throws.ts',
  },
  { name: 'abilities', schema: abilitiesSchema, typeName: 'AbilitiesData', module: 'abilities.ts' },
  { name: 'classes', schema: classesSchema, typeName: 'ClassesData', module: 'classes.ts' },
  { name: 'races', schema: racesSchema, typeName: 'RacesData', module: 'races.ts' },
  {
    name: 'experience',
    schema: experienceSchema,
    typeName: 'ExperienceData',
    module: 'experience.ts',
  },
  {
    name: 'turn_undead',
    schema: turnUndeadSchema,
    typeName: 'TurnUndeadData',
    module: 'turn-undead.ts',
  },
  {
    name: 'spell_progression',
    schema: spellProgressionSchema,
    typeName: 'SpellProgressionData',
    module: 'spell-progression.ts',
  },
  {
    name: 'thief_skills',
    schema: thiefSkillsSchema,
    typeName: 'ThiefSkillsData',
    module: 'thief-skills.ts',
  },
  { name: 'weapons', schema: weaponsSchema, typeName: 'WeaponsData', module: 'equipment.ts' },
  { name: 'armour', schema: armourSchema, typeName: 'ArmourData', module: 'equipment.ts' },
  { name: 'monsters', schema: monstersSchema, typeName: 'MonstersData', module: 'monsters.ts' },
  { name: 'treasure', schema: treasureSchema, typeName: 'TreasureData', module: 'treasure.ts' },
  { name: 'dungeon', schema: dungeonSchema, typeName: 'DungeonData', module: 'dungeon.ts' },
  {
    name: 'character_extras',
    schema: characterExtrasSchema,
    typeName: 'CharacterExtrasData',
    module: 'character-extras.ts',
  },
  {
    name: 'multiclass',
    schema: multiclassSchema,
    typeName: 'MulticlassData',
    module: 'multiclass.ts',
  },
  { name: 'npc-names', schema: npcNamesSchema, typeName: 'NpcNamesData', module: 'npc.ts' },
  { name: 'npc-flavour', schema: npcFlavourSchema, typeName: 'NpcFlavourData', module: 'npc.ts' },
  { name: 'npc-gear', schema: npcGearSchema, typeName: 'NpcGearData', module: 'npc.ts' },
  { name: 'npc-spells', schema: npcSpellsSchema, typeName: 'NpcSpellsData', module: 'npc.ts' },
  { name: 'spells', schema: spellsSchema, typeName: 'SpellsData', module: 'spells.ts' },
  {
    name: 'missile_ranges',
    schema: missileRangesSchema,
    typeName: 'MissileRangesData',
    module: 'missile-ranges.ts',
  },
  {
    name: 'magic_items',
    schema: magicItemsSchema,
    typeName: 'MagicItemsData',
    module: 'magic-items.ts',
  },
  { name: 'traps', schema: trapsSchema, typeName: 'TrapsData', module: 'traps.ts' },
];
