/**
 * Schemas of the NPC generator's data (rules-data/npc-*.yaml): name syllables, flavour
 * tables and weights, equipment kits, and the short spell lists. The random tables use
 * the dungeon's table format (src/generators/tables.ts rolls them).
 */
import { z } from 'zod';
import { alignment, classKey, raceKey } from './common.ts';
import { randomTableSchema } from './dungeon.ts';

const syllable = z.string().regex(/^[a-z' -]+$/, 'lower-case syllable');
const syllables = z.array(syllable).min(4);
const nameParts = z.strictObject({
  start: syllables,
  /** optional middle syllables, used with `middle_chance` percent */
  middle: z.array(syllable),
  middle_chance: z.number().int().min(0).max(100),
  end: syllables,
});

/** rules-data/npc-names.yaml — original syllables per race. */
export const npcNamesSchema = z.strictObject({
  source: z.string(),
  races: z.record(
    raceKey,
    z.strictObject({
      male: nameParts,
      female: nameParts,
      /** family or clan name; absent for races that use none */
      family: nameParts.optional(),
      /** how the family name joins the given name, e.g. " " or " of " */
      family_joiner: z.string().optional(),
    }),
  ),
});
export type NpcNamesData = z.infer<typeof npcNamesSchema>;

const weights = <K extends z.ZodType<string>>(key: K) =>
  z.partialRecord(key, z.number().int().positive());

/** rules-data/npc-flavour.yaml — how often each choice comes up, and the flavour tables. */
export const npcFlavourSchema = z.strictObject({
  source: z.string(),
  weights: z.strictObject({
    source: z.string(),
    class: weights(classKey),
    /** the weight of each multi-class combination (times the race's) */
    multiclass: z.number().int().positive(),
    race: weights(raceKey),
    alignment: weights(alignment),
  }),
  /** trait table rolls: how many traits (inclusive range) */
  traits: z.strictObject({ min: z.number().int().min(1), max: z.number().int().max(5) }),
  /** equally likely entries, dealt without repeats within a batch (see the YAML) */
  lists: z.strictObject({
    build: z.array(z.string().min(1)).min(10),
    hair: z.array(z.string().min(1)).min(10),
    eyes: z.array(z.string().min(1)).min(10),
    feature: z.array(z.string().min(1)).min(10),
    manner: z.array(z.string().min(1)).min(10),
    trait: z.array(z.string().min(1)).min(30),
    motivation: z.array(z.string().min(1)).min(10),
    description: z.array(z.string().min(1)).min(4),
  }),
  tables: z.record(z.string(), randomTableSchema),
});
export type NpcFlavourData = z.infer<typeof npcFlavourSchema>;

const itemName = z.string().regex(/^[a-z][a-z' ()-]*$/, 'lower-case name');
const kit = z.strictObject({
  /** a name in rules-data/armour.yaml (`none` for no armour) */
  armour: itemName,
  /** a shield in rules-data/armour.yaml */
  shield: itemName.optional(),
  /** names in rules-data/weapons.yaml */
  weapons: z.array(itemName).min(1),
  items: z.array(itemName),
});

/** rules-data/npc-gear.yaml — equipment kits by class. */
export const npcGearSchema = z.strictObject({
  source: z.string(),
  /** what each class may wear and wield, in words, for the legality check's messages */
  limits: z.record(
    classKey,
    z.strictObject({
      source: z.string(),
      armour: z.array(itemName).min(1),
      shields: z.array(itemName),
    }),
  ),
  kits: z.record(z.string(), kit),
  /** one weighted table per class (`gear_<class>`), results are kit names */
  tables: z.record(z.string(), randomTableSchema),
});
export type NpcGearData = z.infer<typeof npcGearSchema>;

export const wizardSchool = z.enum([
  'abjuration',
  'alteration',
  'conjuration/summoning',
  'enchantment/charm',
  'lesser divination',
  'greater divination',
  'illusion',
  'invocation/evocation',
  'necromancy',
]);
export const priestSphere = z.enum([
  'all',
  'animal',
  'astral',
  'charm',
  'combat',
  'creation',
  'divination',
  'elemental',
  'guardian',
  'healing',
  'necromantic',
  'plant',
  'protection',
  'summoning',
  'sun',
  'weather',
]);
const spellName = z.string().regex(/^[A-Z][A-Za-z0-9' ,&/-]*$/, 'a spell name in title case');

/** rules-data/npc-spells.yaml — a short list of spells per level (PHB Appendices 1 and 2). */
export const npcSpellsSchema = z.strictObject({
  source: z.string(),
  wizard: z
    .array(z.array(z.strictObject({ name: spellName, school: wizardSchool })).min(6))
    .length(9),
  priest: z
    .array(z.array(z.strictObject({ name: spellName, sphere: priestSphere })).min(6))
    .length(7),
  /** priest classes' spheres: major access to every level, minor access to levels 1-3 */
  spheres: z.partialRecord(
    classKey,
    z.strictObject({
      source: z.string(),
      major: z.array(priestSphere).min(1),
      minor: z.array(priestSphere),
    }),
  ),
});
export type NpcSpellsData = z.infer<typeof npcSpellsSchema>;
