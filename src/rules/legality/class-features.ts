/** What only some classes do: memorise spells, use thieving skills. */
import { classRecord } from '../classes.ts';
import { MULTICLASS_SOURCE } from '../multiclass.ts';
import { type SheetClass, castableSlots } from '../npc.ts';
import { type LegalityFinding, type ResolvedSheet, an, error } from './sheet.ts';

type Spell = NonNullable<ResolvedSheet['sheet']['spells']>[number];

/** The citation for one caster's spells per day. */
const slotSource = (klass: SheetClass['class']) =>
  classRecord(klass).group === 'wizard' || klass === 'bard'
    ? 'PHB Tables 21 and 32; PHB Table 4 (maximum spell level)'
    : 'PHB Table 24; PHB Table 5 (bonus spells); PHB Chapter 3 (paladin, ranger)';

/**
 * One caster's memorised spells within the day's slots, level by level (Intelligence caps
 * a wizard's or bard's spell level; Wisdom adds a priest's bonus spells).
 */
function casterWithinSlots(
  e: SheetClass,
  spells: readonly Spell[],
  slots: readonly number[],
): LegalityFinding[] {
  const counts: number[] = [];
  for (const sp of spells) counts[sp.level - 1] = (counts[sp.level - 1] ?? 0) + 1;
  const out: LegalityFinding[] = [];
  counts.forEach((n, i) => {
    const allowed = slots[i] ?? 0;
    if (n > allowed) {
      out.push(
        error(
          'spells',
          `${n} ${e.class} spells of level ${i + 1} memorised, the day allows ${allowed}`,
          slotSource(e.class),
        ),
      );
    }
  });
  return out;
}

/**
 * Spells only for a usable caster class at a level that casts, each caster within its
 * slots; a multi-class caster's spells each name their class.
 */
export function spellsWithinSlots(s: ResolvedSheet): LegalityFinding[] {
  const { sheet, active, name } = s;
  const spells = sheet.spells;
  const ab = sheet.abilities;
  if (spells === undefined || spells.length === 0) return [];
  const casters = active.filter(
    (e) => ab !== undefined && castableSlots(e.class, e.level, ab) !== undefined,
  );
  if (casters.length === 0 || ab === undefined) {
    return [
      error(
        'spells',
        `${an(name)} of level ${sheet.level} casts no spells the rules data can check`,
        classRecord(s.classes[0]!).source,
      ),
    ];
  }
  const out = casters.flatMap((e) => {
    const mine = spells.filter((sp) =>
      casters.length === 1 ? sp.class === undefined || sp.class === e.class : sp.class === e.class,
    );
    return casterWithinSlots(e, mine, castableSlots(e.class, e.level, ab)!.slots);
  });
  const unassigned = spells.filter(
    (sp) => casters.length > 1 && !casters.some((e) => e.class === sp.class),
  );
  if (unassigned.length > 0) {
    out.push(
      error(
        'spells',
        `${unassigned.length} spells name no caster class of ${name}`,
        MULTICLASS_SOURCE,
      ),
    );
  }
  return out;
}

/**
 * Thieving skills only for a thief or bard; a ranger's hide in shadows and move silently
 * (PHB Chapter 3, Thief; Ranger).
 */
export function thiefSkillsAllowed({ sheet, active, name }: ResolvedSheet): LegalityFinding[] {
  if (sheet.thief_skills === undefined) return [];
  if (active.some((e) => e.class === 'thief' || e.class === 'bard')) return [];
  const ranger = active.some((e) => e.class === 'ranger');
  const keys = Object.keys(sheet.thief_skills);
  if (ranger && keys.every((k) => k === 'hide_in_shadows' || k === 'move_silently')) return [];
  return [error('thief_skills', `${an(name)} has no thieving skills`, 'PHB Chapter 3, Thief')];
}
