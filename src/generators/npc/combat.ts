/** The numbers of combat: the kit and the armour class it gives, THAC0, saving throws. */
import { classRecord } from '../../rules/classes.ts';
import { armourClass, characterThac0 } from '../../rules/npc.ts';
import { saves, SAVE_CATEGORIES } from '../../rules/saves.ts';
import type { Body } from './body.ts';
import { rollKit } from './gear.ts';
import type { Levels } from './levels.ts';
import type { Rolls } from './rolls.ts';

/** An equipment kit for the classes (one the race can wield) and the armour class it gives. */
export function equip(b: Body, r: Rolls) {
  const { name: kitName, kit } = rollKit(b.classes, b.race, r.roll);
  const ac = armourClass(kit.armour, kit.shield, b.scores.dex);
  r.log.push({
    step: 'armour class',
    table: 'armour',
    source: 'PHB Table 46; PHB Table 2 (Dexterity defensive adjustment)',
    rolls: [],
    result: ac.armor_class,
    note: `${kitName}: ${ac.explanation}`,
  });
  const equipment = [
    ...(kit.armour === 'none' ? [] : [kit.armour]),
    ...(kit.shield === undefined ? [] : [kit.shield]),
    ...kit.weapons,
    ...kit.items,
  ];
  return { kit, armorClass: ac.armor_class, equipment };
}

/** THAC0 and each saving throw: the best of the usable classes (PHB Tables 53, 60). */
export function combatNumbers(b: Body, lv: Levels, r: Rolls) {
  const { active } = lv;
  const t0 = characterThac0(lv.sheetClasses);
  r.log.push({
    step: 'thac0',
    table: 'thac0',
    source: 'PHB Table 53',
    rolls: [],
    result: t0.thac0,
    note:
      active.length > 1
        ? `the best of ${active.map((e) => `${e.class} ${e.level}`).join(', ')} (${t0.class})`
        : `${classRecord(active[0]!.class).group}, level ${active[0]!.level}`,
  });
  // the adjustments are the same for each class
  const each = active.map((e) => saves(e.class, e.level, { race: b.race, con: b.scores.con }));
  const best = { ...each[0]!.saves };
  for (const s of each.slice(1))
    for (const c of SAVE_CATEGORIES) best[c] = Math.min(best[c], s.saves[c]);
  const adjustments =
    each.length === 1
      ? each[0]!.adjustments
      : each
          .flatMap((s) => s.adjustments)
          .filter((a, i, all) => all.findIndex((x) => x.label === a.label) === i);
  r.log.push({
    step: 'saving throws',
    table: 'saving-throws',
    source: [...new Set(each[0]!.derivation.uses.map((u) => u.source))].join('; '),
    rolls: [],
    result: SAVE_CATEGORIES.map((c) => `${c} ${best[c]}`).join(', '),
    ...(adjustments.length === 0 && active.length === 1
      ? {}
      : {
          note: [
            ...(active.length > 1 ? ['each the best of the classes'] : []),
            ...adjustments.map(
              (a) => `${a.label} +${a.value}${a.applies_to ? ` (${a.applies_to})` : ''}`,
            ),
          ].join('; '),
        }),
  });
  return { thac0: t0.thac0, saves: best };
}
