import { z } from 'zod';
import { source } from './common.ts';

export const turnCell = z.union([
  z.number().int().min(2).max(20),
  z.literal('T'),
  z.literal('D'),
  z.literal('D*'),
  z.null(),
]);
export type TurnCell = z.infer<typeof turnCell>;

/** rules-data/turn-undead.yaml — PHB Table 61. */
export const turnUndeadSchema = z.strictObject({
  source,
  columns: z.array(z.string()).length(12),
  rows: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z]+$/),
        label: z.string(),
        cells: z.array(turnCell).length(12),
      }),
    )
    .length(13),
});
export type TurnUndeadData = z.infer<typeof turnUndeadSchema>;
