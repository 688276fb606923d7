/** The NPC's magic items. */
import { classRecord } from '../../rules/classes.ts';
import { NPC_ITEM_CATEGORIES, npcItemChance, npcMagicItems } from '../../rules/magic-items.ts';
import type { Levels } from './levels.ts';
import type { Rolls } from './rolls.ts';

/**
 * Magic items by level (DMG-style chance per item category; src/rules/magic-items.ts), for
 * the class the NPC has risen furthest in.
 */
export function rollNpcMagicItems(lv: Levels, r: Rolls): string[] {
  const lead = lv.active.reduce((x, e) => (e.level > x.level ? e : x));
  const leadGroup = classRecord(lead.class).group;
  const items = npcMagicItems(r.rng, {
    classGroup: leadGroup,
    level: lead.level,
    klass: lead.class,
  });
  const magicItems = items.map(
    (i) =>
      `${i.name}${i.charges === undefined ? '' : ` (${i.charges} charges)`}${i.quantity === undefined || /^\d/.test(i.name) ? '' : ` (${i.quantity})`}`,
  );
  r.log.push({
    step: 'magic items',
    source: 'DMG Tables 88-110; 5% per level per category (1st-edition DMG Appendix C)',
    rolls: [],
    result: magicItems.join(', ') || 'none',
    note: `${lead.class} ${lead.level}: ${npcItemChance(lead.level)}% for each of ${NPC_ITEM_CATEGORIES[leadGroup].join(', ')}`,
  });
  return magicItems;
}
