import { z } from 'zod';

const row = z.array(z.number().int().min(-10).max(20)).length(20);
const rate = z.strictObject({
  points: z.number().int().positive(),
  per_levels: z.number().int().positive(),
});

/** rules-data/thac0.yaml — PHB Table 53. */
export const thac0Schema = z.strictObject({
  source: z.string(),
  groups: z.strictObject({ warrior: row, priest: row, rogue: row, wizard: row }),
  rate_beyond_20: z.strictObject({ warrior: rate, priest: rate, rogue: rate, wizard: rate }),
});
export type Thac0Data = z.infer<typeof thac0Schema>;
