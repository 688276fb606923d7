import { z } from 'zod';
import { source } from './common.ts';

/** Damage as printed: "1d8", "1d6+1", "1d3-1", "2d4", "1". */
const damage = z
  .string()
  .regex(/^(\d+d\d+([+-]\d+)?|\d+)$/, 'damage like 1d8, 1d6+1 or 1')
  .nullable();
const type = z.enum(['P', 'B', 'S', 'P/S', 'P/B']).nullable();
const name = z.string().regex(/^[a-z][a-z' ()-]*$/, 'lower-case name');
const weight = z.number().nonnegative().nullable();
const cost = z
  .string()
  .regex(/^\d+ (cp|sp|gp)(\/\d+)?$/)
  .nullable();

const ammunition = z.strictObject({
  name,
  cost,
  weight,
  type,
  damage_sm: damage,
  damage_l: damage,
});

/** rules-data/weapons.yaml — PHB Table 44. */
export const weaponsSchema = z.strictObject({
  source,
  weapons: z.array(
    z.strictObject({
      name,
      cost,
      weight,
      size: z.enum(['S', 'M', 'L']),
      type,
      speed: z.number().int().min(0).max(20),
      damage_sm: damage,
      damage_l: damage,
      ammunition: z.array(ammunition).optional(),
    }),
  ),
});
export type WeaponsData = z.infer<typeof weaponsSchema>;

/** rules-data/armour.yaml — PHB Table 46. */
export const armourSchema = z.strictObject({
  source,
  armour: z.array(
    z.strictObject({
      name,
      ac: z.number().int().min(0).max(10),
      weight: z.number().nonnegative(),
      cost: z.number().nonnegative(),
    }),
  ),
  shields: z.array(
    z.strictObject({
      name,
      ac_bonus: z.number().int().positive(),
      weight: z.number().nonnegative(),
      cost: z.number().nonnegative(),
    }),
  ),
});
export type ArmourData = z.infer<typeof armourSchema>;
