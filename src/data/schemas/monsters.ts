import { z } from 'zod';
import { HABITATS } from '../../core/vocabulary.ts';

/**
 * Hit Dice as printed in the Monstrous Manual: "1/2", "1-1", "4", "4+4", or hit points for
 * creatures of less than one die: "2 hp", "1-4 hp"; giants' "12+1-2 hp" (12 dice plus 1d2).
 */
export const hitDiceString = z
  .string()
  .regex(
    /^(\d+\/\d+|\d+|\d+[+-]\d+|\d+ hp|\d+-\d+ hp|\d+\+\d+-\d+ hp|special)$/,
    'hit dice like "1/2", "1-1", "4", "4+4", "2 hp", "1-4 hp" or "special" (molds)',
  );
export const diceString = z
  .string()
  .regex(/^(\d+|\d*d\d+([+-]\d+)?)$/, 'dice like "2d6", "1d4+4" or "3"');
/** An MM treasure type letter, with a multiplier where the book gives one ("Qx5"). */
const treasureLetter = z.string().regex(/^[A-Z](x\d+)?$/, 'a treasure letter like "Q" or "Qx5"');
export const frequency = z.enum(['common', 'uncommon', 'rare', 'very rare']);

/** A movement line as printed: "12", "9, Fl 15 (C)", "6, Sw 12", "3, Br 1", "6, Wb 15". */
export const movementString = z
  .string()
  .regex(
    /^(\d+|(Fl|Sw|Br|Wb|Cl|Jp|Hop) \d+( \([A-E]\))?)(, (Fl|Sw|Br|Wb|Cl|Jp|Hop) \d+( \([A-E]\))?)*$/,
    'movement like "12", "9, Fl 15 (C)" or "Sw 18"',
  );

/** One attack's damage: dice, a fixed number, "by weapon" (+N), or "special". */
const damageEntry = z
  .string()
  .regex(
    /^(\d+|\d*d\d+([+-]\d+)?|special|by weapon( [+-]\d+)?)$/,
    'damage like "1d8", "2", "by weapon", "by weapon +2" or "special"',
  );

/** Mechanics kinds: the reference compiler's special keywords plus a few of our own. */
export const specialKind = z.enum([
  'poison',
  'paralysis',
  'energy drain',
  'petrification',
  'gaze',
  'regeneration',
  'disease',
  'fear',
  'charm',
  'breath weapon',
  'acid',
  'blood drain',
  'constriction',
  'swallow whole',
  'surprise',
  'spells or spell-like powers',
  'rock throwing',
  'charge',
  'trample',
  'strength drain',
  'webs',
  'stench',
  'rear claws',
  'bear hug',
  'dive',
  'hit only by +1 or better weapons',
  'hit only by +2 or better weapons',
  'hit only by +3 or better weapons',
  'hit only by magic weapons',
  'silver weapons',
  'half damage from some weapons',
  'immunities',
  'invisibility',
  'camouflage',
  'rust',
  'engulf',
  'grab',
  'other',
]);

export const saveCategory = z.enum([
  'paralyzation',
  'poison',
  'death magic',
  'rod, staff or wand',
  'petrification',
  'polymorph',
  'breath weapon',
  'spell',
]);

/** A special attack or defence: the mechanics a DM applies at the table, in our words. */
const special = z.strictObject({
  name: z.string().min(1),
  kind: z.array(specialKind).min(1),
  /** the saving throw it allows, if any */
  save: saveCategory.optional(),
  /** modifier to that save ("-2" → -2) */
  save_modifier: z.number().int().optional(),
  /** the mechanics: numbers, durations, ranges */
  text: z.string().min(1),
});

/** A member of a humanoid lair beyond the rank and file (MM "Habitat/Society"). */
const lairMember = z
  .strictObject({
    role: z.string().min(1),
    /** one for every `per` ordinary members */
    per: z.number().int().positive().optional(),
    /** a fixed or rolled number ("1", "2d4") */
    count: diceString.optional(),
    /** a percentage of the ordinary members (females 50, young 100) */
    percent: z.number().int().positive().optional(),
    hd: hitDiceString.optional(),
    /** fixed hit points (a chieftain with 15 hp) or a range "11-14" */
    hp: z.union([z.number().int().positive(), z.string().regex(/^\d+-\d+$/)]).optional(),
    ac: z.number().int().min(-10).max(10).optional(),
    thac0: z.number().int().min(1).max(20).optional(),
    /** bonus to damage rolls */
    damage_bonus: z.number().int().positive().optional(),
    /** combat note: "fight as 1/2 HD, 1d4", "do not fight", spells */
    note: z.string().optional(),
  })
  .refine(
    (m) => [m.per, m.count, m.percent].filter((v) => v !== undefined).length === 1,
    'a lair member has exactly one of per, count and percent',
  );

/** Creatures kept or allied in a lair (worgs with goblins, wolves with orcs). */
const companion = z.strictObject({
  name: z.string().min(1),
  count: diceString,
  /** percentage chance that the lair has them */
  chance: z.number().int().min(1).max(100),
});

const lair = z.strictObject({
  source: z.string().min(1),
  members: z.array(lairMember).min(1),
  companions: z.array(companion).optional(),
  note: z.string().optional(),
});

export const habitat = z.enum(HABITATS);

const monster = z.strictObject({
  name: z.string().regex(/^[a-z][a-z ,'-]*[a-z)]$/, 'lower-case name'),
  /** other names a DM may type ("doppelganger") */
  aliases: z.array(z.string()).optional(),
  /** the Monstrous Manual entry ("MM: Troll", "MM: Giant, Hill") */
  source: z.string().regex(/^MM( p\. \d+)?: /),
  /** what it is (undead, humanoid, vermin, ...): themes favour tags */
  tags: z.array(z.string()).min(1),
  /** where it lives in a dungeon */
  habitat: z.array(habitat).min(1),
  frequency,
  organization: z.string().min(1),
  activity: z.string().optional(),
  /** MM intelligence score or range ("5-7", "0") */
  intelligence: z.string().regex(/^\d+(-\d+)?$/),
  /** as printed, lower case ("chaotic evil", "neutral", "nil" for animals without one) */
  alignment: z.string().min(1),
  /** MM treasure types: individual (J-N carried by each) and lair */
  treasure: z.strictObject({
    individual: z.array(treasureLetter),
    lair: z.array(treasureLetter),
  }),
  /** number appearing as printed in the MM ("2d4", "30-300", "1") */
  number_appearing: z.string().regex(/^(\d+|\d+-\d+|\d+d\d+([+-]\d+)?)$/),
  /** the group met in one dungeon room away from the lair (our judgement, dice) */
  encounter: diceString,
  /** dungeon levels [min, max] on which the creature is stocked */
  level: z.tuple([z.number().int().min(1).max(10), z.number().int().min(1).max(10)]),
  size: z.enum(['T', 'S', 'M', 'L', 'H', 'G']),
  /** height or length as the MM gives it */
  size_note: z.string().optional(),
  ac: z.number().int().min(-10).max(10),
  /** the AC printed in parentheses for armoured humanoids: without their armour */
  ac_unarmoured: z.number().int().min(-10).max(10).optional(),
  ac_note: z.string().optional(),
  movement: movementString,
  hd: hitDiceString,
  /** fixed hit points where the MM gives them (golems) */
  hp: z.number().int().positive().optional(),
  thac0: z.number().int().min(1).max(20),
  /** Hit Dice the creature attacks as, when its entry says so (e.g. stirge: as 4 HD) */
  attacks_as: hitDiceString.optional(),
  attacks: z.number().int().min(0),
  /** one entry per attack */
  damage: z.array(damageEntry),
  /** typical damage of the weapon a "by weapon" creature carries (PHB Table 44 dice) */
  weapon_damage: diceString.optional(),
  /** how the attacks are made ("claw/claw/bite", "weapon") */
  attack_note: z.string().optional(),
  special_attacks: z.array(special),
  special_defenses: z.array(special),
  /** percent; 0 is nil */
  magic_resistance: z.number().int().min(0).max(100),
  /** MM morale: one number or a range ("14", "13-14") */
  morale: z.string().regex(/^(\d+(-\d+)?|special)$/),
  xp: z.number().int().positive(),
  /** other table facts: infravision, light penalties, languages that matter in play */
  notes: z.array(z.string()).optional(),
  /** structured lair for tribes: leaders, chieftain, guards, females, young */
  lair: lair.optional(),
});

/** rules-data/monsters.yaml — Monstrous Manual entries, DMG Table 39. */
export const monstersSchema = z.strictObject({
  source: z.string(),
  frequency_weights: z.strictObject({
    source: z.string(),
    common: z.number().int().positive(),
    uncommon: z.number().int().positive(),
    rare: z.number().int().positive(),
    'very rare': z.number().int().positive(),
  }),
  monsters: z
    .array(monster)
    .min(1)
    .refine(
      (list) => new Set(list.map((m) => m.name)).size === list.length,
      'monster names must be unique',
    )
    .refine((list) => list.every((m) => m.level[0] <= m.level[1]), 'level band must be [min, max]')
    .refine(
      (list) => list.every((m) => m.damage.length === m.attacks),
      'one damage entry per attack',
    )
    .refine(
      (list) =>
        list.every(
          (m) => !m.damage.some((d) => d.startsWith('by weapon')) || m.weapon_damage !== undefined,
        ),
      'a creature with a "by weapon" attack gives weapon_damage (its usual weapon)',
    ),
});
export type MonstersData = z.infer<typeof monstersSchema>;
export type MonsterData = MonstersData['monsters'][number];
export type MonsterSpecial = MonsterData['special_attacks'][number];
export type Frequency = z.infer<typeof frequency>;
