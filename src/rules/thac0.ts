/**
 * THAC0 by class group and level (PHB Table 53). Replaced by the full System Mastery
 * engine (issue #3); kept minimal here for the first command.
 */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { thac0Table } from '../data/thac0.ts';

export type Group = 'warrior' | 'priest' | 'rogue' | 'wizard';

const classGroups: Record<string, Group> = {
  warrior: 'warrior',
  fighter: 'warrior',
  paladin: 'warrior',
  ranger: 'warrior',
  priest: 'priest',
  cleric: 'priest',
  druid: 'priest',
  rogue: 'rogue',
  thief: 'rogue',
  bard: 'rogue',
  wizard: 'wizard',
  mage: 'wizard',
};

export function groupOf(name: string): Group {
  const g = classGroups[name.toLowerCase()];
  if (!g)
    throw new UsageError(`unknown class "${name}"${didYouMean(name, Object.keys(classGroups))}`);
  return g;
}

export function thac0For(classOrGroup: string, level: number): { group: Group; thac0: number } {
  const group = groupOf(classOrGroup);
  if (level < 1 || level > 20)
    throw new UsageError(`level ${level} is outside 1–20 (PHB Table 53)`);
  return { group, thac0: thac0Table.groups[group][level - 1]! };
}
