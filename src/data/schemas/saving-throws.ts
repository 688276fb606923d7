import { z } from 'zod';
import { classKey, int, raceKey, saveKey, source } from './common.ts';

const save = int.min(1).max(20);
const band = z.strictObject({
  from: int.min(0),
  to: int.min(0).nullable(),
  ppd: save,
  rsw: save,
  pp: save,
  bw: save,
  sp: save,
});
/** Bands must be contiguous and end open-ended. */
const bands = z
  .array(band)
  .refine(
    (bs) =>
      bs.every((b, i) => (i === 0 ? true : b.from === (bs[i - 1]!.to ?? -1) + 1)) &&
      bs.at(-1)?.to === null &&
      bs.slice(0, -1).every((b) => b.to !== null && b.to >= b.from),
    'bands must be contiguous, ordered, and the last one open-ended (to: null)',
  );

/** rules-data/saving-throws.yaml — PHB Table 60, PHB Table 9. */
export const savingThrowsSchema = z.strictObject({
  source,
  groups: z.strictObject({ warrior: bands, priest: bands, rogue: bands, wizard: bands }),
  constitution_bonus: z.strictObject({
    source,
    bands: z.array(z.strictObject({ from: int, to: int, bonus: int.positive() })),
    races: z.partialRecord(
      raceKey,
      z.strictObject({ categories: z.array(saveKey), poison: z.boolean() }),
    ),
  }),
  class_bonus: z.partialRecord(
    classKey,
    z.strictObject({ source, bonus: int, categories: z.array(saveKey) }),
  ),
});
export type SavingThrowsData = z.infer<typeof savingThrowsSchema>;
