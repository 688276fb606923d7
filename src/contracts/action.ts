/**
 * Contracts of the `dma action` pipeline (original design 003, "Agent Communication"):
 * Rules Arbiter → Narrative Director → Response Synthesizer.
 *
 * - CharacterSheet is the stored `pc` entity's data schema (pcDataSchema): one schema for a
 *   sheet in a file and for a PC in the campaign. 2e bounds replace the original's 5e-ish
 *   ones: abilities 1–25 (exceptional strength for warriors only), armour class 10 down to −10.
 * - DiceRoll is src/rules/dice.ts's DiceRoll with the validation rules of 003: every die
 *   within its sides, total = the counted dice + modifier, is_critical / is_fumble present
 *   exactly on a single d20 showing 20 / 1. Advantage-style rolls ("2d20kh1") list every die
 *   in `rolls` and the chosen one in `kept`.
 */
import { z } from 'zod';
import { pcDataSchema, type PcData } from './entities.ts';

export const characterSheetSchema = pcDataSchema;
export type CharacterSheet = PcData;

const int = z.number().int();

export const diceRollSchema = z
  .object({
    notation: z.string().min(1),
    dice: z.string().regex(/^\d+d\d+$/, 'dice like "1d20" or "2d8"'),
    rolls: z.array(int.min(1)).min(1),
    kept: z.array(int.min(1)).optional(),
    dropped: z.array(int.min(1)).optional(),
    modifier: int,
    total: int,
    is_critical: z.literal(true).optional(),
    is_fumble: z.literal(true).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const [count, sides] = r.dice.split('d').map(Number) as [number, number];
    if (r.rolls.length !== count)
      ctx.addIssue({ code: 'custom', path: ['rolls'], message: `${r.dice} rolls ${count} dice` });
    if (r.rolls.some((v) => v > sides))
      ctx.addIssue({ code: 'custom', path: ['rolls'], message: `a d${sides} shows 1 to ${sides}` });
    const counted = r.kept ?? r.rolls;
    const sum = counted.reduce((s, v) => s + v, 0);
    if (r.total !== sum + r.modifier)
      ctx.addIssue({ code: 'custom', path: ['total'], message: 'total must be dice + modifier' });
    const single = r.dice === '1d20';
    if ((r.is_critical === true) !== (single && r.rolls[0] === 20))
      ctx.addIssue({
        code: 'custom',
        path: ['is_critical'],
        message: 'is_critical marks exactly a natural 20 on a single d20',
      });
    if ((r.is_fumble === true) !== (single && r.rolls[0] === 1))
      ctx.addIssue({
        code: 'custom',
        path: ['is_fumble'],
        message: 'is_fumble marks exactly a natural 1 on a single d20',
      });
  });
export type DiceRollContract = z.infer<typeof diceRollSchema>;

export const ACTION_TYPES = [
  'attack',
  'save',
  'ability_check',
  'spell',
  'thief_skill',
  'strength_feat',
  'turn_undead',
  'refused',
  'dm_call',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const NARRATIVE_HINTS = [
  'critical_hit',
  'fumble',
  'unarmed',
  'no_target_ac',
  'spell_unknown',
  'no_mechanics',
  'refused',
  'dm_call',
  'enemy_defeated',
  'combat_over',
] as const;
export type NarrativeHint = (typeof NARRATIVE_HINTS)[number];

const modifier = z.object({ label: z.string(), value: int, source: z.string() }).strict();
export type RollModifier = z.infer<typeof modifier>;

const attackFields = z
  .object({
    action_type: z.literal('attack'),
    attacker: z.string(),
    target: z.string().optional(),
    target_ac: int.min(-10).max(10),
    /** where the AC came from: --target-ac, a monster of the rules data, a stored entity, default */
    target_ac_source: z.enum(['option', 'monster', 'entity', 'default']),
    target_size: z.enum(['T', 'S', 'M', 'L', 'H', 'G']),
    weapon: z.string(),
    attack: z.enum(['melee', 'missile']),
    thac0: int,
    /** d20 + modifier must reach this: THAC0 − target AC */
    needed: int,
    attack_roll: diceRollSchema,
    hit: z.boolean(),
    damage_roll: diceRollSchema.optional(),
    total_damage: int.min(0),
    is_critical: z.boolean(),
    is_fumble: z.boolean(),
    crit_rule: z.enum(['none', 'double-damage']),
    /** every adjustment to the attack roll, each with its book citation */
    modifiers: z.array(modifier).optional(),
    /** PHB Table 45 range band, for missile attacks */
    range: z
      .object({
        band: z.enum(['short', 'medium', 'long']),
        yards: int.optional(),
        modifier: int,
      })
      .strict()
      .optional(),
    /** weapon speed factor (PHB Table 44), used by the initiative in combat */
    speed: int.optional(),
    sources: z.array(z.string()).optional(),
    notes: z.array(z.string()),
  })
  .strict();
/** an attack, with the off-hand attack when fighting with two weapons (PHB Chapter 9) */
const attackResult = attackFields.extend({ second_attack: attackFields.optional() }).strict();

const saveResult = z
  .object({
    action_type: z.literal('save'),
    category: z.enum(['paralyzation', 'rod', 'petrification', 'breath', 'spell']),
    label: z.string(),
    /** d20 must reach this (PHB Table 60 with the sheet's class, level and race) */
    needed: int,
    save_roll: diceRollSchema,
    success: z.boolean(),
    /** what the save does to the effect: half damage, negates, … (from the source's rule) */
    outcome: z.string().optional(),
    sources: z.array(z.string()).optional(),
    notes: z.array(z.string()),
  })
  .strict();

const abilityCheckResult = z
  .object({
    action_type: z.literal('ability_check'),
    ability: z.enum(['str', 'dex', 'con', 'int', 'wis', 'cha']),
    score: int,
    /** roll-under: d20 + modifier must be at most the score */
    check_roll: diceRollSchema,
    success: z.boolean(),
    sources: z.array(z.string()).optional(),
    notes: z.array(z.string()),
  })
  .strict();

const thiefSkillResult = z
  .object({
    action_type: z.literal('thief_skill'),
    skill: z.string(),
    label: z.string(),
    /** the character's percentage: PHB Tables 26-29 */
    chance: int.min(0).max(100),
    /** d100 (1-100) at most the chance succeeds */
    skill_roll: diceRollSchema,
    success: z.boolean(),
    sources: z.array(z.string()),
    notes: z.array(z.string()),
  })
  .strict();

const strengthFeatResult = z
  .object({
    action_type: z.literal('strength_feat'),
    feat: z.enum(['bend_bars', 'open_doors']),
    strength: z.string(),
    /** bend bars: the percentage; open doors: the d20 number to roll at or under */
    chance: int,
    die: z.enum(['d100', 'd20']),
    feat_roll: diceRollSchema,
    success: z.boolean(),
    sources: z.array(z.string()),
    notes: z.array(z.string()),
  })
  .strict();

const turnResult = z
  .object({
    action_type: z.literal('turn_undead'),
    undead: z.string(),
    priest_level: int,
    /** the PHB Table 61 cell: a number to roll, T, D, D* or null (cannot turn) */
    cell: z.union([int, z.string(), z.null()]),
    turn_roll: diceRollSchema.optional(),
    /** 2d6 creatures affected when the turning works */
    affected_roll: diceRollSchema.optional(),
    result: z.enum(['turned', 'destroyed', 'failed', 'cannot']),
    success: z.boolean(),
    sources: z.array(z.string()),
    notes: z.array(z.string()),
  })
  .strict();

const spellTarget = z
  .object({
    name: z.string(),
    save_needed: int.optional(),
    save_roll: diceRollSchema.optional(),
    saved: z.boolean().optional(),
    attack_roll: diceRollSchema.optional(),
    hit: z.boolean().optional(),
    damage: int.optional(),
    effect: z.string(),
  })
  .strict();

const spellResult = z
  .object({
    action_type: z.literal('spell'),
    spell: z.string().optional(),
    /** true when the sheet lists the spell as prepared or known */
    known: z.boolean(),
    /** the catalogue entry's stat line, when the spell is in rules-data/spells.yaml */
    class: z.enum(['wizard', 'priest']).optional(),
    level: int.optional(),
    caster_level: int.optional(),
    range: z.string().optional(),
    duration: z.string().optional(),
    area: z.string().optional(),
    casting_time: z.string().optional(),
    save: z.string().optional(),
    damage_roll: diceRollSchema.optional(),
    /** damage of each missile/bolt, when the spell makes several */
    damage_rolls: z.array(diceRollSchema).optional(),
    healing_roll: diceRollSchema.optional(),
    total_damage: int.optional(),
    total_healing: int.optional(),
    targets: z.array(spellTarget).optional(),
    /** memorised copies left on the sheet after this casting */
    memorised_left: int.optional(),
    refused: z.string().optional(),
    sources: z.array(z.string()).optional(),
    notes: z.array(z.string()),
  })
  .strict();

const refusedResult = z
  .object({ action_type: z.literal('refused'), reason: z.string(), notes: z.array(z.string()) })
  .strict();
const dmCallResult = z
  .object({ action_type: z.literal('dm_call'), reason: z.string(), notes: z.array(z.string()) })
  .strict();

export const mechanicsResultSchema = z.discriminatedUnion('action_type', [
  attackResult,
  saveResult,
  abilityCheckResult,
  spellResult,
  thiefSkillResult,
  strengthFeatResult,
  turnResult,
  refusedResult,
  dmCallResult,
]);
export type MechanicsResult = z.infer<typeof mechanicsResultSchema>;
export type AttackResult = z.infer<typeof attackResult>;

export const rulesOutputSchema = z
  .object({
    action_type: z.enum(ACTION_TYPES),
    mechanics_result: mechanicsResultSchema,
    success: z.boolean(),
    narrative_hints: z.array(z.enum(NARRATIVE_HINTS)),
  })
  .strict()
  .refine((r) => r.action_type === r.mechanics_result.action_type, {
    message: 'action_type must match mechanics_result.action_type',
    path: ['action_type'],
  });
export type RulesOutput = z.infer<typeof rulesOutputSchema>;

export const enemyAttackSchema = z
  .object({ attacker: z.string().min(1), damage: int.min(0).max(1000) })
  .strict();

export const gameStateUpdatesSchema = z
  .object({
    in_combat: z.boolean(),
    enemies: z.array(z.string()),
    combat_ended: z.boolean(),
    enemy_attacks: z.array(enemyAttackSchema),
  })
  .strict();
export type GameStateUpdates = z.infer<typeof gameStateUpdatesSchema>;

export const narrativeOutputSchema = z
  .object({ narrative: z.string().min(1), game_state_updates: gameStateUpdatesSchema })
  .strict();
export type NarrativeOutput = z.infer<typeof narrativeOutputSchema>;

export const synthesizerOutputSchema = z.object({ final_message: z.string().min(1) }).strict();
export type SynthesizerOutput = z.infer<typeof synthesizerOutputSchema>;

export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
