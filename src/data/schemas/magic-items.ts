import { z } from 'zod';

/**
 * rules-data/magic-items.yaml — DMG Appendix 2 (Magical Item Tables 88-110).
 *
 * Table 88 picks a table; a table with subtables rolls its subtable die first (DMG:
 * "Potions and Oils (d6)"), then a d20 on the subtable. Armour and weapons are composed
 * from a type table and an adjustment table (Tables 105-106, 108-109), with a special
 * table (107, 110) for named pieces.
 */

/** item categories, as the DMG groups them (and as the reference data spells them) */
export const magicCategory = z.enum([
  'potion',
  'scroll',
  'ring',
  'rod',
  'staff',
  'wand',
  'miscellaneous',
  'armor',
  'weapon',
]);
export type MagicCategory = z.infer<typeof magicCategory>;

/** who can use an item: the four PHB class groups, or single classes where the DMG says so */
export const usableBy = z.enum([
  'warrior',
  'priest',
  'rogue',
  'wizard',
  'fighter',
  'paladin',
  'ranger',
  'cleric',
  'druid',
  'thief',
  'bard',
]);
export type UsableBy = z.infer<typeof usableBy>;

const roll = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

/** charges: fixed, or dice such as "1d20+80" (the count found, not the maximum) */
const charges = z.string().regex(/^(\d+|\d*d\d+([+-]\d+)?)$/);

export const magicItem = z.strictObject({
  /** the item's true name, lowercase (DM-facing) */
  name: z.string().min(1),
  /** which table of `tables` it is rolled on */
  table: z.string(),
  /** subtable letter, when the table has subtables */
  sub: z.string().optional(),
  /** inclusive d20 (or the table's die) range */
  roll,
  /** DMG XP value; null where the DMG prints "--" (cursed and similar items) */
  xp: z.number().int().min(0).nullable(),
  /** gp value (see `gp_note` of the file: 1e DMG sale values where one exists) */
  gp: z.number().int().min(0),
  /** true when gp is our estimate, not a printed value */
  gp_estimated: z.boolean().optional(),
  /** the item is cursed (said only in DM-facing output) */
  cursed: z.boolean().optional(),
  /** what players are told it is until identified (cursed and deceptive items) */
  appears_as: z.string().optional(),
  /** absent: anyone; otherwise the groups or classes that can use it */
  usable_by: z.array(usableBy).min(1).optional(),
  charges: charges.optional(),
  /**
   * kinds of the item rolled on d100 when it is found (a ring of protection's bonus, a
   * dragon control potion's dragon): the suffix is added to the name, and xp/gp replace
   * the row's where given
   */
  variants: z
    .array(
      z.strictObject({
        roll,
        suffix: z.string().min(1),
        xp: z.number().int().min(0).nullable().optional(),
        gp: z.number().int().min(0).optional(),
      }),
    )
    .min(2)
    .optional(),
  /** a short mechanical summary, our own words */
  summary: z.string().min(3),
});
export type MagicItemData = z.infer<typeof magicItem>;

const subtable = z.strictObject({ name: z.string(), range: roll });

const table = z.strictObject({
  title: z.string(),
  source: z.string().regex(/^DMG\b/),
  category: magicCategory,
  /** die of the item roll on each (sub)table */
  die: z.number().int().positive(),
  /** die that picks the subtable, when there are subtables */
  subtable_die: z.number().int().positive().optional(),
  subtables: z.array(subtable).optional(),
  /** rolls that say "DM's choice": the roller rolls the table again */
  dm_choice: z.array(z.strictObject({ sub: z.string().optional(), roll })).optional(),
});

const adjustment = z.strictObject({
  roll,
  /** +1..+5, or -1..-3 for cursed pieces; 0 = roll on the special table */
  bonus: z.number().int(),
  xp: z.number().int().min(0).nullable(),
  gp: z.number().int().min(0),
  cursed: z.boolean().optional(),
  special: z.boolean().optional(),
});

const baseType = z.strictObject({
  roll,
  /** the piece's name ("chain mail", "long sword") */
  name: z.string(),
  /** shields and arrows have their own XP/gp scales */
  kind: z.string().optional(),
  /** for weapons: the PHB weapon of weapons.yaml this is (for damage) */
  weapon: z.string().optional(),
  /** for weapons: the groups that may use it (PHB ch. 3 weapon restrictions) */
  usable_by: z.array(usableBy).optional(),
  /** ammunition is found in quantity */
  quantity: z.string().optional(),
  special: z.boolean().optional(),
});

const composed = z.strictObject({
  source: z.string().regex(/^DMG\b/),
  die: z.number().int().positive(),
  types: z.array(baseType).min(1),
  adjustment_source: z.string().regex(/^DMG\b/),
  adjustment_die: z.number().int().positive(),
  /** per kind ("armor", "shield", "weapon", "ammunition"): the adjustment table */
  adjustments: z.record(z.string(), z.array(adjustment).min(1)),
  /** the table of named special pieces (items with this table id) */
  special_table: z.string(),
});

export const magicItemsSchema = z.strictObject({
  source: z.string(),
  gp_note: z.string(),
  notes: z.array(z.string()),
  categories: z.strictObject({
    source: z.string().regex(/^DMG\b/),
    die: z.number().int().positive(),
    entries: z.array(z.strictObject({ roll, table: z.string() })).min(1),
  }),
  tables: z.record(z.string(), table),
  armor: composed,
  weapons: composed,
  /** scroll contents, DMG Table 90 spell rows: number of spells and level dice */
  scroll_spells: z.strictObject({
    source: z.string().regex(/^DMG\b/),
    /** d% split between wizard and priest scrolls (the rest are priest) */
    wizard_chance: z.number().int().min(0).max(100),
    entries: z
      .array(
        z.strictObject({
          /** the `name` of the scroll item row this expands */
          item: z.string(),
          spells: z.number().int().positive(),
          wizard_levels: z.tuple([z.number().int().min(1), z.number().int().max(9)]),
          priest_levels: z.tuple([z.number().int().min(1), z.number().int().max(7)]),
        }),
      )
      .min(1),
  }),
  items: z.array(magicItem).min(1),
});
export type MagicItemsData = z.infer<typeof magicItemsSchema>;
