/**
 * Campaign entities stored by the Scribe (src/store/): one strict Zod schema per entity
 * type for the `data` column, the relationship shape, and the export/import document.
 *
 * Field names follow the original design's NPC model (character class, level 0–20,
 * alignment, hit_points, armor_class, thac0) and the CharacterSheet contract for `pc`.
 * "armor_class" keeps the books' (and the original model's) spelling.
 *
 * Choices worth knowing:
 * - Exceptional strength is a separate integer `abilities.str_exceptional` (1–100, where
 *   100 reads "18/00"), allowed only when `str` is 18 and the class is a warrior's —
 *   numbers sort and compare, the "18/76" string does not. `formatStrength` renders it.
 * - `npc` and `pc` are strict (unknown keys are errors: a typo is caught at the door);
 *   `dungeon` and `room` check their known fields and pass nested generated content
 *   through, so the generators can grow without a store migration.
 */
import { z } from 'zod';
import {
  EXCEPTIONAL_STRENGTH_MESSAGE,
  HP_MESSAGE,
  ISO_TIMESTAMP_MESSAGE,
  PLAIN_OBJECT_MESSAGE,
  ROLL_STEP_MESSAGE,
  WARRIOR_MESSAGE,
  exceptionalStrengthFits,
  exceptionalStrengthIsAWarriors,
  hpWithinMax,
  isIsoTimestamp,
  isRollStep,
} from './entity-rules.ts';
import { ALIGNMENT_SPELLINGS } from '../core/alignments.ts';
import { ENTITY_TYPES, type EntityType } from './entity-types.ts';

export { isRollStep };

export * from './entity-types.ts';
export const entityTypeSchema = z.enum(ENTITY_TYPES);

const text = z.string().max(20_000);
const shortText = z.string().min(1).max(200);
const int = z.number().int();

/** Ability scores 1–25 (PHB Table 1 runs to 25 with magic); exceptional strength apart. */
export const abilitiesSchema = z
  .object({
    str: int.min(1).max(25),
    dex: int.min(1).max(25),
    con: int.min(1).max(25),
    int: int.min(1).max(25),
    wis: int.min(1).max(25),
    cha: int.min(1).max(25),
    /** warriors with 18 strength: d100, 100 = 18/00 (PHB Table 1) */
    str_exceptional: int.min(1).max(100).optional(),
  })
  .strict()
  .refine(exceptionalStrengthFits, {
    message: EXCEPTIONAL_STRENGTH_MESSAGE,
    path: ['str_exceptional'],
  });
export type Abilities = z.infer<typeof abilitiesSchema>;

/** "18/76", "18/00" or "17". */
export function formatStrength(a: Pick<Abilities, 'str' | 'str_exceptional'>): string {
  if (a.str_exceptional === undefined) return String(a.str);
  return `18/${a.str_exceptional === 100 ? '00' : String(a.str_exceptional).padStart(2, '0')}`;
}

/**
 * Saving throws, the five categories of PHB Table 60, under the names the rules engine
 * (`SAVE_CATEGORIES` in src/rules/saves.ts) and `dma save` use.
 */
export const savesSchema = z
  .object({
    paralyzation: int.min(1).max(20),
    rod: int.min(1).max(20),
    petrification: int.min(1).max(20),
    breath: int.min(1).max(20),
    spell: int.min(1).max(20),
  })
  .strict();

/** Thief skills in percent (PHB Table 26 onwards); each optional. */
const percent = int.min(0).max(100);
export const thiefSkillsSchema = z
  .object({
    pick_pockets: percent.optional(),
    open_locks: percent.optional(),
    find_remove_traps: percent.optional(),
    move_silently: percent.optional(),
    hide_in_shadows: percent.optional(),
    detect_noise: percent.optional(),
    climb_walls: percent.optional(),
    read_languages: percent.optional(),
  })
  .strict();

export const spellSchema = z
  .object({
    name: shortText,
    level: int.min(1).max(9),
    school: shortText.optional(),
    /** a multi- or dual-class caster: the class the spell is memorised as */
    class: shortText.optional(),
  })
  .strict();

/** One class of a multi- or dual-class character (PHB Chapter 3). */
export const classLevelSchema = z
  .object({
    class: shortText,
    level: int.min(1).max(20),
    xp: int.min(0).optional(),
    /** spells per day of this class by spell level */
    spell_slots: z.array(int.min(0).max(20)).max(9).optional(),
    /** a dual-class character's old and new class */
    dual: z.enum(['old', 'new']).optional(),
  })
  .strict();

/**
 * One step of a generation (a dice roll, a table lookup, a choice), so `explain` and
 * `audit` can show where each number came from: `rolls` are the dice as they fell (empty
 * for a lookup), `result` what the step gave.
 */
export const rollSchema = z
  .object({
    step: shortText,
    table: shortText.optional(),
    /** book citation or "dma's own" */
    source: shortText.optional(),
    dice: z.string().min(1).max(50).optional(),
    rolls: z.array(int).max(100),
    result: z.union([int, z.string().min(1).max(2000)]),
    note: z.string().max(500).optional(),
  })
  .strict();

// checked by hand (entity-rules.ts isRollStep): per-step schema objects were the cost of
// validating 10,000 NPCs; a test keeps it and rollSchema in step
const rollStep = z.custom<z.infer<typeof rollSchema>>(isRollStep, ROLL_STEP_MESSAGE);

/** The generator options an NPC was made with (what the DM asked for). */
export const npcOptionsSchema = z
  .object({
    class: shortText.optional(),
    level: int.min(1).max(20).optional(),
    race: shortText.optional(),
    alignment: shortText.optional(),
    name: shortText.optional(),
    gender: shortText.optional(),
    method: z.enum(['3d6', '4d6', 'heroic']).optional(),
    dual: z.boolean().optional(),
    nwp: z.boolean().optional(),
  })
  .strict();

/** PHB Table 1 note: only warriors (fighter, paladin, ranger) roll exceptional strength. */
const exceptionalStrengthNeedsWarrior = {
  check: exceptionalStrengthIsAWarriors,
  message: { message: WARRIOR_MESSAGE, path: ['abilities', 'str_exceptional'] },
};

export const npcDataSchema = z
  .object({
    class: shortText,
    level: int.min(0).max(20),
    /** multi- and dual-class characters: each class, its level and experience */
    classes: z.array(classLevelSchema).min(2).max(3).optional(),
    race: shortText.optional(),
    gender: shortText.optional(),
    alignment: z.enum(ALIGNMENT_SPELLINGS as [string, ...string[]]).optional(),
    hit_points: int.min(0).max(1000).optional(),
    armor_class: int.min(-10).max(10).optional(),
    thac0: int.min(-10).max(25).optional(),
    abilities: abilitiesSchema.optional(),
    saves: savesSchema.optional(),
    equipment: z.array(shortText).max(500).optional(),
    /** the worn armour (PHB Table 46 name, "none"), the shield and the weapons carried */
    armour: shortText.optional(),
    shield: shortText.optional(),
    weapons: z.array(shortText).max(50).optional(),
    /** spells per day by spell level (index 0 = 1st level), bonuses included */
    spell_slots: z.array(int.min(0).max(20)).max(9).optional(),
    spells: z.array(spellSchema).max(200).optional(),
    thief_skills: thiefSkillsSchema.optional(),
    /** save vs poison after a dwarf's, gnome's or halfling's Constitution bonus (PHB Table 9) */
    poison_save: int.min(1).max(20).optional(),
    /** percent chance a priest's spell fails for low Wisdom (PHB Table 5) */
    spell_failure: int.min(0).max(100).optional(),
    /** clerics and paladins: the PHB Table 61 column used and each row's result */
    turn_undead: z
      .object({ as_level: int.min(1).max(100), results: z.record(z.string(), z.string().max(10)) })
      .strict()
      .optional(),
    racial_abilities: z.array(shortText).max(30).optional(),
    weapon_proficiencies: z.array(shortText).max(30).optional(),
    nonweapon_proficiencies: z.array(shortText).max(60).optional(),
    magic_items: z.array(shortText).max(50).optional(),
    languages: z.array(shortText).max(50).optional(),
    description: text.optional(),
    appearance: text.optional(),
    personality: text.optional(),
    /** two or three personality traits ("curious", "blunt") */
    traits: z.array(shortText).max(10).optional(),
    motivation: text.optional(),
    notes: text.optional(),
    /**
     * the roll log: the steps (older records), or their compact stored form, a string
     * "dma-log:1\n…" (src/core/roll-log.ts), which decodes to the same steps
     */
    roll_log: z
      .union([z.array(rollStep).max(2000), z.string().startsWith('dma-log:1\n').max(400_000)])
      .optional(),
    /** the RNG seed the generator started from */
    seed: int.optional(),
    /** a batch's flavour deck: with the seed, what reproduces a batch-made NPC */
    flavour_deck: z
      .object({ seed: int, slot: int.min(0).max(9) })
      .strict()
      .optional(),
    /** what produced the record */
    generator: z.object({ name: shortText, version: shortText }).strict().optional(),
    options: npcOptionsSchema.optional(),
  })
  .strict()
  .refine(exceptionalStrengthNeedsWarrior.check, exceptionalStrengthNeedsWarrior.message);
export type NpcData = z.infer<typeof npcDataSchema>;

/** A player character: the CharacterSheet contract (original design 003). */
export const pcDataSchema = z
  .object({
    name: shortText,
    class: shortText,
    level: int.min(1).max(20),
    race: shortText.optional(),
    alignment: z.enum(ALIGNMENT_SPELLINGS as [string, ...string[]]).optional(),
    abilities: abilitiesSchema,
    hp: int.min(0),
    max_hp: int.min(1),
    armor_class: int.min(-10).max(10),
    gold: z.number().min(0),
    inventory: z.array(shortText).max(1000),
    location: z.string().max(200).optional(),
    xp: int.min(0),
    /** spells prepared or known, by name (`dma action "I cast sleep"` checks this list) */
    spells: z.array(shortText).max(200).optional(),
    player: shortText.optional(),
    description: text.optional(),
    notes: text.optional(),
  })
  .strict()
  .refine(hpWithinMax, { message: HP_MESSAGE, path: ['hp'] })
  .refine(exceptionalStrengthNeedsWarrior.check, exceptionalStrengthNeedsWarrior.message);
export type PcData = z.infer<typeof pcDataSchema>;

export const locationDataSchema = z
  .object({
    location_type: shortText.optional(),
    size: z.enum(['small', 'medium', 'large']).optional(),
    description: text.optional(),
    notes: text.optional(),
    /** ids of entities found here */
    contents: z.array(z.string()).max(10_000).optional(),
  })
  .strict();

export const itemDataSchema = z
  .object({
    kind: shortText.optional(),
    value_gp: z.number().min(0).optional(),
    weight_lb: z.number().min(0).optional(),
    magical: z.boolean().optional(),
    description: text.optional(),
    notes: text.optional(),
  })
  .strict();

export const factionDataSchema = z
  .object({
    alignment: z.enum(ALIGNMENT_SPELLINGS as [string, ...string[]]).optional(),
    goals: z.array(z.string().max(2000)).max(100).optional(),
    description: text.optional(),
    notes: text.optional(),
  })
  .strict();

export const noteDataSchema = z
  .object({ text: text, tags: z.array(shortText).max(100).optional() })
  .strict();

/** Generated dungeon: known fields checked, generated layout and contents passed through. */
export const dungeonDataSchema = z
  .object({
    level: int.min(1).max(50).optional(),
    seed: int.optional(),
    generator: z
      .union([shortText, z.object({ name: shortText, version: shortText }).passthrough()])
      .optional(),
    width: int.min(1).optional(),
    height: int.min(1).optional(),
    description: text.optional(),
    notes: text.optional(),
    rooms: z.array(z.unknown()).optional(),
    map: z.string().optional(),
  })
  .passthrough();

export const roomDataSchema = z
  .object({
    dungeon_id: z.string().optional(),
    number: int.min(0).optional(),
    description: text.optional(),
    notes: text.optional(),
    contents: z.unknown().optional(),
    exits: z.array(z.unknown()).optional(),
  })
  .passthrough();

export const entityDataSchemas = {
  npc: npcDataSchema,
  pc: pcDataSchema,
  location: locationDataSchema,
  dungeon: dungeonDataSchema,
  room: roomDataSchema,
  item: itemDataSchema,
  faction: factionDataSchema,
  note: noteDataSchema,
} satisfies Record<EntityType, z.ZodType>;

export const entityNameSchema = z.string().trim().min(1).max(255);

/** An ISO 8601 UTC or offset timestamp that is also a real date (what Date#toISOString writes). */
const isoTimestamp = z.string().refine(isIsoTimestamp, ISO_TIMESTAMP_MESSAGE);
const plainObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  PLAIN_OBJECT_MESSAGE,
);
const uuid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'not a uuid',
  );

export const relationshipTypeSchema = z.string().trim().min(1).max(100);
export const strengthSchema = z.number().min(-1).max(1);

/** Records in an export document; `data` is checked per type by `entityDataSchemas`. */
export const exportedEntitySchema = z
  .object({
    id: uuid,
    type: entityTypeSchema,
    name: entityNameSchema,
    data: plainObject,
    version: int.min(1),
    created_at: isoTimestamp,
    updated_at: isoTimestamp,
  })
  .strict();

export const exportedRelationshipSchema = z
  .object({
    id: uuid,
    source: uuid,
    target: uuid,
    type: relationshipTypeSchema,
    strength: strengthSchema.nullable(),
    created_at: isoTimestamp,
  })
  .strict();

export const exportDocumentHeaderSchema = z.looseObject({
  schema_version: z.string().regex(/^1\.\d+$/, 'unsupported schema_version (this dma reads 1.x)'),
  exported_at: isoTimestamp,
  entities: z.array(z.unknown()),
  relationships: z.array(z.unknown()),
});
