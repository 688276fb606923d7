import { z } from 'zod';
import { source } from './common.ts';

const thac0 = z.number().int().min(-10).max(20);

/** rules-data/monster-thac0.yaml — DMG Table 39. */
export const monsterThac0Schema = z.strictObject({
  source,
  half_or_less: thac0,
  one_minus: thac0,
  by_hit_dice: z.array(thac0).min(1),
});
export type MonsterThac0Data = z.infer<typeof monsterThac0Schema>;
