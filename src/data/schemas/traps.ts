import { z } from 'zod';
import { diceString } from './monsters.ts';

/** where a trap can be set */
export const trapPlacement = z.enum(['door', 'chest', 'corridor', 'room', 'stairs']);
export type TrapPlacement = z.infer<typeof trapPlacement>;

/** a racial detection ability of the PHB (keys of `racial_detection`) */
const racialKey = z.enum([
  'dwarf-slope',
  'dwarf-new-construction',
  'dwarf-sliding-walls',
  'dwarf-stonework-traps',
  'gnome-slope',
  'gnome-unsafe-stonework',
  'halfling-slope',
]);

const save = z.strictObject({
  /** PHB save category, or none (the effect simply happens) */
  category: z.enum(['ppd', 'rsw', 'pp', 'bw', 'sp', 'none']),
  /** what a successful save does */
  outcome: z.enum(['negates', 'half', 'partial', 'none']),
  /** modifier to the save roll (+ helps the victim) */
  modifier: z.number().int().optional(),
});

const trap = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['mechanical', 'magical']),
  placements: z.array(trapPlacement).min(1),
  /** dungeon levels the trap suits (inclusive) */
  levels: z.tuple([z.number().int().min(1).max(20), z.number().int().min(1).max(20)]),
  /** relative frequency among the traps that fit */
  weight: z.number().int().positive(),
  trigger: z.string().min(3),
  effect: z.string().min(3),
  /** damage dice of the effect, if it deals damage */
  damage: diceString.optional(),
  /** missiles or blades roll to hit: as a monster of this THAC0, this many attacks */
  attack: z.strictObject({ thac0: z.number().int().min(1).max(20), count: diceString }).optional(),
  save,
  detection: z.strictObject({
    /** percent added to a thief's Find/Remove Traps roll to find it (PHB Table 26) */
    thief_adjust: z.number().int(),
    racial: z.array(racialKey).optional(),
    /** spells and items that reveal it */
    spells: z.array(z.string()).min(1),
    /** what careful searching or probing reveals without a skill */
    signs: z.string().min(3),
  }),
  removal: z.strictObject({
    /** can a thief disarm it with Find/Remove Traps? */
    thief: z.boolean(),
    thief_adjust: z.number().int(),
    how: z.string().min(3),
    bypass: z.string().min(3),
  }),
  reset: z.enum(['automatic', 'manual', 'none']),
  source: z.string().regex(/^(PHB|DMG)\b/),
});
export type TrapData = z.infer<typeof trap>;

/** rules-data/traps.yaml — DMG ch. 6 (Traps), PHB ch. 2 and 3 (detection), spells. */
export const trapsSchema = z.strictObject({
  source: z.string(),
  notes: z.array(z.string()),
  thief: z.strictObject({
    source: z.string(),
    /** Find/Remove Traps: a failed removal roll this high springs the trap */
    springs_on: z.number().int().min(1).max(100),
    /** magical traps: the thief's chance is multiplied by this */
    magical_factor: z.number().min(0).max(1),
  }),
  racial_detection: z.record(
    racialKey,
    z.strictObject({
      race: z.enum(['dwarf', 'gnome', 'halfling']),
      ability: z.string(),
      /** success on this many or fewer on the die */
      chance: z.strictObject({
        die: z.number().int().positive(),
        max: z.number().int().positive(),
      }),
      source: z.string().regex(/^PHB\b/),
    }),
  ),
  traps: z.array(trap).min(30),
});
export type TrapsData = z.infer<typeof trapsSchema>;
