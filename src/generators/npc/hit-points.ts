/** Hit points rolled by class, level and Constitution, each die logged. */
import type { Rng } from '../../core/rng.ts';
import { type ClassKey, classRecord, groupRecord, isWarrior } from '../../rules/classes.ts';
import { DUAL_CLASS } from '../../rules/multiclass.ts';
import { type HitPointRule, hitPointRule, hitPointsForDie } from '../../rules/npc.ts';
import type { Body } from './body.ts';
import type { Levels } from './levels.ts';
import type { Rolls } from './rolls.ts';
import type { NpcClassLevel } from './types.ts';

/** Hit points rolled for `levels` levels of a class from `from` (exclusive), logged. */
function rollHitPoints(
  klass: ClassKey,
  from: number,
  to: number,
  con: number,
  warriorCon: boolean,
  rng: Rng,
): { total: number; rolls: number[]; rule: HitPointRule } {
  const rule = hitPointRule(klass, to, con, warriorCon);
  const rolls: number[] = [];
  let total = 0;
  for (let l = from + 1; l <= to; l++) {
    if (l <= rule.dice_levels) {
      const d = rng.die(rule.hit_die);
      rolls.push(d);
      total += hitPointsForDie(rule, d);
    } else total += rule.per_level_after;
  }
  return { total, rolls, rule };
}

/** Hit points (PHB Tables 14, 20, 23, 25; multi-class: averaged; dual-class: the new class's levels past the old). */
export function rollNpcHitPoints(b: Body, lv: Levels, r: Rolls): number {
  return b.dual
    ? dualClassHitPoints(b, lv.sheetClasses, r)
    : hitPointsByClass(b, lv.sheetClasses, r);
}

function dualClassHitPoints(b: Body, sheetClasses: NpcClassLevel[], r: Rolls): number {
  const con = b.scores.con;
  const [old, next] = sheetClasses as [NpcClassLevel, NpcClassLevel];
  const a = rollHitPoints(old.class, 0, old.level, con, isWarrior(old.class), r.rng);
  let hitPoints = a.total;
  let note = `${old.class} ${old.level}: ${a.total}`;
  const rolls = [...a.rolls];
  if (next.level > old.level) {
    const more = rollHitPoints(
      next.class,
      old.level,
      next.level,
      con,
      isWarrior(next.class),
      r.rng,
    );
    hitPoints += more.total;
    rolls.push(...more.rolls);
    note += `; ${next.class} levels ${old.level + 1}-${next.level}: +${more.total}`;
  } else {
    note += `; no new hit points until ${next.class} level ${old.level + 1}`;
  }
  r.log.push({
    step: 'hit points',
    source: `${a.rule.source}; ${DUAL_CLASS.source}`,
    rolls,
    result: hitPoints,
    note: `Constitution ${con}; ${note}`,
  });
  return hitPoints;
}

function hitPointsByClass(b: Body, sheetClasses: NpcClassLevel[], r: Rolls): number {
  const { multi, warrior } = b;
  const con = b.scores.con;
  let sum = 0;
  const rolls: number[] = [];
  const parts: string[] = [];
  let source = '';
  for (const e of sheetClasses) {
    const h = rollHitPoints(e.class, 0, e.level, con, warrior, r.rng);
    sum += h.total;
    rolls.push(...h.rolls);
    const after = e.level - h.rule.dice_levels;
    parts.push(
      `${multi ? `${e.class}: ` : ''}${h.rule.dice_levels}d${h.rule.hit_die}` +
        (after > 0
          ? ` +${h.rule.per_level_after} for each of ${after} levels past name level`
          : '') +
        (multi ? ` = ${h.total}` : ''),
    );
    source = source === '' ? h.rule.source : `${source}; ${h.rule.source}`;
    if (!multi) {
      parts.push(
        `Constitution ${con}: ${h.rule.con_adjustment >= 0 ? '+' : ''}${h.rule.con_adjustment} per die${warrior ? ' (warrior column)' : ''}, at least 1 per die`,
      );
    } else if (parts.length === 1) {
      parts.unshift(
        `Constitution ${con}: ${h.rule.con_adjustment >= 0 ? '+' : ''}${h.rule.con_adjustment} per die${warrior ? ' (warrior column, a class is a warrior)' : ''}`,
      );
    }
  }
  const hitPoints = multi ? Math.max(1, Math.floor(sum / sheetClasses.length)) : sum;
  const group = (e: NpcClassLevel) => groupRecord(classRecord(e.class).group);
  r.log.push({
    step: 'hit points',
    source: multi
      ? `PHB Tables ${[...new Set(sheetClasses.map((e) => group(e).source.replace('PHB Table ', '')))].join(', ')} (hit dice); PHB Table 3 (Constitution); PHB Chapter 3, Multi-Class Benefits`
      : source,
    dice: sheetClasses
      .map((e) => `${Math.min(e.level, group(e).name_level)}d${group(e).hit_die}`)
      .join('+'),
    rolls,
    result: hitPoints,
    note:
      parts.join('; ') +
      (multi ? `; total ${sum} ÷ ${sheetClasses.length} classes, fractions dropped` : ''),
  });
  return hitPoints;
}
