/**
 * World Designer: rules-legal NPCs. Pure: the RNG is a parameter; same options and seed →
 * byte-identical JSON. Every number comes from the rules engine (src/rules/) or a roll,
 * and every roll and table lookup is written to the NPC's roll log for `explain`/`audit`.
 *
 * Order of generation (fixed, so seeds stay stable): gender, ability scores with class
 * and race, racial adjustments, exceptional strength, alignment, level, hit points,
 * equipment and AC, THAC0, saves, spells or thief skills, name, flavour.
 */
import { UsageError } from '../../core/errors.ts';
import { encodeRollLog } from '../../core/roll-log.ts';
import type { Rng } from '../../core/rng.ts';
import { abilitiesTable } from '../../data/abilities.ts';
import { experienceTable } from '../../data/experience.ts';
import { npcFlavourTable } from '../../data/npc-flavour.ts';
import { npcGearTable } from '../../data/npc-gear.ts';
import { racesTable } from '../../data/races.ts';
import { ABILITIES, type Ability } from '../../rules/abilities.ts';
import {
  CLASSES,
  type ClassKey,
  classRecord,
  groupRecord,
  isWarrior,
  resolveClass,
} from '../../rules/classes.ts';
import {
  DUAL_CLASS,
  MULTICLASS_SOURCE,
  checkMulticlassRace,
  multiclassCombinations,
  resolveClassSet,
} from '../../rules/multiclass.ts';
import {
  ALIGNMENT_NAMES,
  type AlignmentCode,
  type HitPointRule,
  activeClasses,
  armourClass,
  castableSlots,
  characterThac0,
  hitPointRule,
  hitPointsForDie,
  resolveAlignment,
} from '../../rules/npc.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { resolveRace } from '../../rules/races.ts';
import { saves, SAVE_CATEGORIES } from '../../rules/saves.ts';
import { rangerSkills, thiefSkills } from '../../rules/thief-skills.ts';
import { createTableRoller, type RollLogEntry, type TableSet } from '../tables.ts';
import { type Candidate, candidate, rollAbilities } from './abilities.ts';
import { DECK_SIZE, type FlavourDeck, rollFlavour, rollName } from './flavour.ts';
import { NPC_ITEM_CATEGORIES, npcItemChance, npcMagicItems } from '../../rules/magic-items.ts';
import {
  rollLanguages,
  rollNonweaponProficiencies,
  rollWeaponProficiencies,
} from './proficiencies.ts';
import { poisonSave, racialAbilities, spellFailure, turningLine } from '../../rules/extras.ts';
import { memoriseSpells, rollKit } from './gear.ts';
import {
  ABILITY_METHODS,
  DEFAULT_METHOD,
  GENDERS,
  GENERATOR,
  type AbilityMethod,
  type Gender,
  type Npc,
  type NpcAbilities,
  type NpcClassLevel,
  type NpcOptions,
  type NpcSpell,
  type RollStep,
} from './types.ts';

export * from './types.ts';
export { checkNpcLegality, type LegalityFinding } from '../../rules/npc.ts';

/** Highest level rolled when the DM gives none (within the race's limit). */
export const DEFAULT_MAX_LEVEL = 10;
export const MAX_NPCS = 10_000;

const TABLES: TableSet = { ...npcFlavourTable.tables, ...npcGearTable.tables };
export type { FlavourDeck } from './flavour.ts';
const WEIGHT_TOTALS = new Map(
  Object.entries(TABLES).map(([k, t]) => [k, t.entries.reduce((s, e) => s + (e.weight ?? 0), 0)]),
);

function an(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

export interface ResolvedOptions {
  /** the classes asked for: one, a multi-class combination, or dual-class old then new */
  classes?: ClassKey[];
  /** the classes' name: "fighter", "fighter/mage" */
  className?: string;
  dual?: boolean;
  race?: RaceKey;
  alignment?: AlignmentCode;
  level?: number;
  gender?: Gender;
  name?: string;
  method: AbilityMethod;
}

/** UsageError unless the classes allow the alignment (every class must allow it). */
function checkAlignment(classes: readonly ClassKey[], alignment: AlignmentCode): void {
  for (const klass of classes) {
    const rec = classRecord(klass);
    if (!rec.alignments.includes(alignment)) {
      throw new UsageError(
        `${an(klass)} cannot be ${ALIGNMENT_NAMES[alignment]} (${rec.source}: allowed ${rec.alignments.map((a) => ALIGNMENT_NAMES[a as AlignmentCode]).join(', ')})`,
      );
    }
  }
}

/** The highest level the race allows any of the classes (null: unlimited). */
function topLimit(classes: readonly ClassKey[], race: RaceKey): number | null | undefined {
  let top: number | null | undefined;
  for (const klass of classes) {
    const limit = racesTable.races[race].level_limits[klass];
    if (limit === undefined) return undefined;
    if (limit === null) top = null;
    else if (top !== null) top = Math.max(top ?? 0, limit);
  }
  return top;
}

/**
 * Check the options against the rules before anything is rolled. UsageError for an
 * unknown class, race or alignment (with did-you-mean), a level outside 1-20, a race the
 * class (or multi-class combination) does not allow, an alignment the class does not
 * allow, a level above the race's limit for the class, or options that together leave
 * no class and race.
 */
export function resolveNpcOptions(options: NpcOptions): ResolvedOptions {
  let classes: ClassKey[] | undefined;
  let className: string | undefined;
  const dual = options.dual === true;
  if (options.class !== undefined) {
    if (dual) {
      const parts = options.class.split('/').map((p) => resolveClass(p.trim()));
      if (parts.length !== 2 || parts[0] === parts[1]) {
        throw new UsageError(
          `a dual-class character names two classes, the old then the new: --class fighter/mage --dual (${DUAL_CLASS.source})`,
        );
      }
      classes = parts;
    } else {
      classes = resolveClassSet(options.class).classes;
    }
    className = classes.join('/');
  } else if (dual) {
    throw new UsageError('--dual needs --class old/new, e.g. --class fighter/mage --dual');
  }
  const race = options.race === undefined ? undefined : resolveRace(options.race);
  const alignment =
    options.alignment === undefined ? undefined : resolveAlignment(options.alignment);
  const level = options.level;
  if (level !== undefined && (!Number.isInteger(level) || level < 1 || level > 20)) {
    throw new UsageError(`level ${String(level)} is outside 1-20 (PHB Chapter 3 class tables)`);
  }
  let gender: Gender | undefined;
  if (options.gender !== undefined) {
    const g = options.gender.trim().toLowerCase();
    if (!(GENDERS as readonly string[]).includes(g)) {
      throw new UsageError(`gender must be one of ${GENDERS.join(', ')}, got "${options.gender}"`);
    }
    gender = g as Gender;
  }
  const method = options.method ?? DEFAULT_METHOD;
  if (!ABILITY_METHODS.includes(method)) {
    throw new UsageError(
      `method must be one of ${ABILITY_METHODS.join(', ')}, got "${String(method)}"`,
    );
  }
  let name: string | undefined;
  if (options.name !== undefined) {
    name = options.name.trim();
    if (name.length === 0 || name.length > 64) {
      throw new UsageError('name must be 1-64 characters');
    }
  }
  if (classes !== undefined) {
    if (dual && race !== undefined && !DUAL_CLASS.races.includes(race)) {
      throw new UsageError(
        `only ${DUAL_CLASS.races.join(', ')}s may be dual-class, not ${an(race)} (${DUAL_CLASS.source})`,
      );
    }
    if (!dual && classes.length > 1 && race !== undefined) {
      checkMulticlassRace(resolveClassSet(className!), race);
    }
    for (const klass of classes) {
      const rec = classRecord(klass);
      if (race !== undefined && !rec.races.includes(race)) {
        throw new UsageError(
          `${an(race)} cannot be ${an(klass)} (${racesTable.races[race].source}; ${rec.source}: ${an(klass)} may be ${rec.races.join(', ')})`,
        );
      }
    }
    if (alignment !== undefined) checkAlignment(classes, alignment);
    if (race !== undefined && level !== undefined && !dual) {
      const limit = topLimit(classes, race);
      if (limit !== undefined && limit !== null && level > limit) {
        throw new UsageError(
          `${an(race)} ${className} cannot rise above level ${limit}, asked for ${level} (DMG Chapter 2, Racial Class and Level Limits)`,
        );
      }
    }
  }
  return {
    ...(classes === undefined ? {} : { classes, className: className! }),
    ...(dual ? { dual } : {}),
    ...(race === undefined ? {} : { race }),
    ...(alignment === undefined ? {} : { alignment }),
    ...(level === undefined ? {} : { level }),
    ...(gender === undefined ? {} : { gender }),
    ...(name === undefined ? {} : { name }),
    method,
  };
}

const candidateCache = new Map<string, Candidate[]>();

/** Every class and race the options allow, weighted (rules-data/npc-flavour.yaml); cached. */
function candidates(o: ResolvedOptions): Candidate[] {
  const key = `${o.className}|${o.dual}|${o.race}|${o.alignment}|${o.level}`;
  let list = candidateCache.get(key);
  if (list === undefined) {
    list = buildCandidates(o);
    candidateCache.set(key, list);
  }
  return list;
}

function buildCandidates(o: ResolvedOptions): Candidate[] {
  const w = npcFlavourTable.weights;
  const out: Candidate[] = [];
  const alignmentOk = (classes: readonly ClassKey[]) =>
    o.alignment === undefined ||
    classes.every((c) => classRecord(c).alignments.includes(o.alignment!));
  // at least one alignment all the classes share
  const shared = (classes: readonly ClassKey[]) =>
    classRecord(classes[0]!).alignments.some((a) =>
      classes.every((c) => classRecord(c).alignments.includes(a)),
    );
  if (o.dual) {
    const classes = o.classes!;
    if (alignmentOk(classes) && shared(classes)) {
      for (const race of o.race === undefined ? DUAL_CLASS.races : [o.race]) {
        if (!classes.every((c) => classRecord(c).races.includes(race))) continue;
        out.push(
          candidate(classes, race, 1, {
            old: DUAL_CLASS.old_class_minimum,
            next: DUAL_CLASS.new_class_minimum,
          }),
        );
      }
    }
  } else {
    const sets: ClassKey[][] =
      o.classes !== undefined
        ? [o.classes]
        : [...CLASSES.map((c) => [c]), ...multiclassCombinations().map((c) => c.classes)];
    for (const classes of sets) {
      if (!alignmentOk(classes) || !shared(classes)) continue;
      const multi = classes.length > 1;
      const combo = multi ? resolveClassSet(classes.join('/')) : undefined;
      const races = combo?.races ?? classRecord(classes[0]!).races;
      for (const race of o.race === undefined ? races : [o.race]) {
        if (!races.includes(race)) continue;
        const limit = topLimit(classes, race);
        if (limit === undefined) continue;
        if (o.level !== undefined && limit !== null && o.level > limit) continue;
        const weight = multi
          ? w.multiclass * (w.race[race] ?? 1)
          : (w.class[classes[0]!] ?? 1) * (w.race[race] ?? 1);
        out.push(candidate(classes, race, weight));
      }
    }
  }
  if (out.length === 0) {
    const asked = [
      o.className === undefined ? undefined : `${o.dual ? 'dual-class ' : ''}${o.className}`,
      o.race === undefined ? undefined : `race ${o.race}`,
      o.alignment === undefined ? undefined : `alignment ${ALIGNMENT_NAMES[o.alignment]}`,
      o.level === undefined ? undefined : `level ${o.level}`,
    ].filter((x) => x !== undefined);
    throw new UsageError(
      `no class allows ${asked.join(', ')} together (PHB Chapter 3 class rules; DMG Chapter 2, Racial Class and Level Limits)`,
    );
  }
  return out;
}

function weightedPick<K extends string>(
  weights: Partial<Record<K, number>>,
  allowed: readonly K[],
  rng: Rng,
): { value: K; roll: number; total: number } {
  const total = allowed.reduce((s, k) => s + (weights[k] ?? 1), 0);
  const roll = rng.int(1, total);
  let acc = 0;
  for (const k of allowed) {
    acc += weights[k] ?? 1;
    if (roll <= acc) return { value: k, roll, total };
  }
  throw new RangeError('weighted pick out of range');
}

/** XP of a class at a level (PHB Tables 14, 20, 23, 25). */
function xpAt(klass: ClassKey, level: number): number {
  return experienceTable.tables[classRecord(klass).xp_table].xp[level - 1]!;
}

/** A multi-class character's levels from an equal share of experience, within the race's limits. */
function levelsForShare(classes: readonly ClassKey[], race: RaceKey, share: number): number[] {
  return classes.map((c) => {
    const xp = experienceTable.tables[classRecord(c).xp_table].xp;
    let level = 1;
    while (level < 20 && xp[level]! <= share) level++;
    const limit = racesTable.races[race].level_limits[c];
    return limit === undefined || limit === null ? level : Math.min(level, limit);
  });
}

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

/** Generate one NPC. The seed recorded is `rng.seed`: pass a fresh RNG to make it reproducible. */
export function generateNpc(options: NpcOptions, rng: Rng, deck?: FlavourDeck): Npc {
  const o = resolveNpcOptions(options);
  const pool = candidates(o);
  const log: RollStep[] = [];
  const rollerLog: RollLogEntry[] = [];
  const roller = createTableRoller(TABLES, rng, rollerLog);
  const roll = (step: string, table: string): string => {
    const from = rollerLog.length;
    const result = roller.roll(table);
    for (let i = from; i < rollerLog.length; i++) {
      const e = rollerLog[i]!;
      const t = TABLES[e.table]!;
      log.push({
        step,
        table: e.table,
        ...(t.source === undefined ? {} : { source: t.source }),
        dice: t.dice === 'weight' ? `d${WEIGHT_TOTALS.get(e.table)!}` : t.dice,
        rolls: [e.roll],
        result: e.result,
      });
    }
    return result;
  };

  const gender = o.gender ?? (roll('gender', 'gender') as Gender);

  // ability scores, class and race
  const rolled = rollAbilities(o.method, pool, rng);
  log.push(...rolled.steps);
  const { classes, race } = rolled.chosen;
  const klass = rolled.chosen.klass;
  const multi = classes.length > 1 && o.dual !== true;
  const dual = o.dual === true;
  const raceRec = racesTable.races[race];
  const adj = raceRec.adjustments as Partial<Record<Ability, number>>;
  const scores = {} as Record<Ability, number>;
  ABILITIES.forEach((a, i) => (scores[a] = rolled.raw[i]! + (adj[a] ?? 0)));
  const adjusted = ABILITIES.filter((a) => adj[a] !== undefined);
  if (adjusted.length > 0) {
    log.push({
      step: 'racial adjustments',
      source: 'PHB Table 8 (Racial Ability Adjustments)',
      rolls: [],
      result: adjusted
        .map((a) => `${a} ${adj[a]! > 0 ? '+' : ''}${adj[a]} = ${scores[a]}`)
        .join(', '),
    });
  }
  const abilities: NpcAbilities = { ...scores };
  const warrior = classes.some((c) => isWarrior(c));
  if (warrior && scores.str === 18) {
    const d = rng.int(1, 100);
    abilities.str_exceptional = d;
    log.push({
      step: 'exceptional strength',
      source: abilitiesTable.strength.source,
      dice: 'd100',
      rolls: [d],
      result: `18/${d === 100 ? '00' : String(d).padStart(2, '0')}`,
      note: 'warriors with Strength 18 roll percentile dice',
    });
  }

  // alignment: one every class allows
  let alignment = o.alignment;
  if (alignment === undefined) {
    const allowed = (classRecord(classes[0]!).alignments as AlignmentCode[]).filter((a) =>
      classes.every((c) => classRecord(c).alignments.includes(a)),
    );
    const pick = weightedPick(npcFlavourTable.weights.alignment, allowed, rng);
    alignment = pick.value;
    log.push({
      step: 'alignment',
      table: 'npc-flavour weights',
      source: `dma's own weights, among those ${classes.map((c) => classRecord(c).source).join('; ')} allow${classes.length > 1 ? '' : 's'}`,
      dice: `d${pick.total}`,
      rolls: [pick.roll],
      result: ALIGNMENT_NAMES[alignment],
    });
  }

  // levels (and, for multi- and dual-class characters, experience)
  const limit = topLimit(classes, race) ?? null;
  let level = o.level;
  if (level === undefined) {
    const top = Math.min(DEFAULT_MAX_LEVEL, limit ?? DEFAULT_MAX_LEVEL);
    level = rng.int(1, top);
    log.push({
      step: 'level',
      source: 'DMG Chapter 2, Racial Class and Level Limits',
      dice: `d${top}`,
      rolls: [level],
      result: level,
      note: `1-${top}${limit !== null && limit < DEFAULT_MAX_LEVEL ? ` (the ${race} ${klass} limit is ${limit})` : ''}${dual ? ' (the new class)' : ''}`,
    });
  }
  let entries: NpcClassLevel[] | undefined;
  if (multi) {
    // an equal share of experience that puts the best class at `level`, rolled within its band
    const can = (l: number) =>
      classes.filter((c) => {
        const lim = raceRec.level_limits[c];
        return lim === null || (lim !== undefined && lim >= l);
      });
    const lo = level === 1 ? 0 : Math.min(...can(level).map((c) => xpAt(c, level!)));
    const higher = level < 20 ? can(level + 1) : [];
    const hi = higher.length === 0 ? lo : Math.min(...higher.map((c) => xpAt(c, level! + 1))) - 1;
    const share = rng.int(lo, Math.max(lo, hi));
    const levels = levelsForShare(classes, race, share);
    entries = classes.map((c, i) => ({ class: c, level: levels[i]!, xp: share }));
    log.push({
      step: 'experience',
      source: `${MULTICLASS_SOURCE}; PHB Tables 14, 20, 23 and 25`,
      dice: `${lo}-${Math.max(lo, hi)}`,
      rolls: [share],
      result: entries.map((e) => `${e.class} ${e.level}`).join(', '),
      note: `${share} XP to each class (${share * classes.length} in all), split equally; the best class at level ${level}${classes.some((c, i) => levels[i]! < levelsForShare([c], 'human', share)[0]!) ? '; held at the racial limit' : ''}`,
    });
  } else if (dual) {
    const oldTop = 9;
    const oldLevel = rng.int(2, oldTop);
    const [oldClass, newClass] = classes as [ClassKey, ClassKey];
    entries = [
      { class: oldClass, level: oldLevel, xp: xpAt(oldClass, oldLevel), dual: 'old' },
      { class: newClass, level, xp: xpAt(newClass, level), dual: 'new' },
    ];
    log.push({
      step: 'dual class',
      source: DUAL_CLASS.source,
      dice: `2-${oldTop}`,
      rolls: [oldLevel],
      result: `${oldClass} ${oldLevel}, then ${newClass} ${level}`,
      note:
        level > oldLevel
          ? `the ${newClass} level exceeds the ${oldClass} level: both classes' abilities are usable`
          : `the ${oldClass} abilities are held back until ${newClass} level ${oldLevel + 1}`,
    });
  }
  const sheetClasses: NpcClassLevel[] = entries ?? [{ class: classes[0]!, level, xp: 0 }];
  const active = activeClasses(sheetClasses);
  const topLevel = Math.max(...sheetClasses.map((e) => e.level));

  // hit points (PHB Tables 14, 20, 23, 25; multi-class: averaged; dual-class: see above)
  let hitPoints: number;
  if (dual) {
    const [old, next] = sheetClasses as [NpcClassLevel, NpcClassLevel];
    const a = rollHitPoints(old.class, 0, old.level, scores.con, isWarrior(old.class), rng);
    hitPoints = a.total;
    let note = `${old.class} ${old.level}: ${a.total}`;
    const rolls = [...a.rolls];
    if (next.level > old.level) {
      const b = rollHitPoints(
        next.class,
        old.level,
        next.level,
        scores.con,
        isWarrior(next.class),
        rng,
      );
      hitPoints += b.total;
      rolls.push(...b.rolls);
      note += `; ${next.class} levels ${old.level + 1}-${next.level}: +${b.total}`;
    } else {
      note += `; no new hit points until ${next.class} level ${old.level + 1}`;
    }
    log.push({
      step: 'hit points',
      source: `${a.rule.source}; ${DUAL_CLASS.source}`,
      rolls,
      result: hitPoints,
      note: `Constitution ${scores.con}; ${note}`,
    });
  } else {
    let sum = 0;
    const rolls: number[] = [];
    const parts: string[] = [];
    let source = '';
    for (const e of sheetClasses) {
      const r = rollHitPoints(e.class, 0, e.level, scores.con, warrior, rng);
      sum += r.total;
      rolls.push(...r.rolls);
      const after = e.level - r.rule.dice_levels;
      parts.push(
        `${multi ? `${e.class}: ` : ''}${r.rule.dice_levels}d${r.rule.hit_die}` +
          (after > 0
            ? ` +${r.rule.per_level_after} for each of ${after} levels past name level`
            : '') +
          (multi ? ` = ${r.total}` : ''),
      );
      source = source === '' ? r.rule.source : `${source}; ${r.rule.source}`;
      if (!multi) {
        parts.push(
          `Constitution ${scores.con}: ${r.rule.con_adjustment >= 0 ? '+' : ''}${r.rule.con_adjustment} per die${warrior ? ' (warrior column)' : ''}, at least 1 per die`,
        );
      } else if (parts.length === 1) {
        parts.unshift(
          `Constitution ${scores.con}: ${r.rule.con_adjustment >= 0 ? '+' : ''}${r.rule.con_adjustment} per die${warrior ? ' (warrior column, a class is a warrior)' : ''}`,
        );
      }
    }
    hitPoints = multi ? Math.max(1, Math.floor(sum / sheetClasses.length)) : sum;
    log.push({
      step: 'hit points',
      source: multi
        ? `PHB Tables ${[...new Set(sheetClasses.map((e) => groupRecord(classRecord(e.class).group).source.replace('PHB Table ', '')))].join(', ')} (hit dice); PHB Table 3 (Constitution); PHB Chapter 3, Multi-Class Benefits`
        : source,
      dice: sheetClasses
        .map(
          (e) =>
            `${Math.min(e.level, groupRecord(classRecord(e.class).group).name_level)}d${groupRecord(classRecord(e.class).group).hit_die}`,
        )
        .join('+'),
      rolls,
      result: hitPoints,
      note:
        parts.join('; ') +
        (multi ? `; total ${sum} ÷ ${sheetClasses.length} classes, fractions dropped` : ''),
    });
  }

  // equipment and armour class
  const { name: kitName, kit } = rollKit(classes, race, roll);
  const ac = armourClass(kit.armour, kit.shield, scores.dex);
  log.push({
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

  // THAC0 and saving throws: the best of the usable classes
  const t0 = characterThac0(sheetClasses);
  const thac0 = t0.thac0;
  log.push({
    step: 'thac0',
    table: 'thac0',
    source: 'PHB Table 53',
    rolls: [],
    result: thac0,
    note:
      active.length > 1
        ? `the best of ${active.map((e) => `${e.class} ${e.level}`).join(', ')} (${t0.class})`
        : `${classRecord(active[0]!.class).group}, level ${active[0]!.level}`,
  });
  // each save the best of the usable classes' (the adjustments are the same for each)
  const each = active.map((e) => saves(e.class, e.level, { race, con: scores.con }));
  const best = { ...each[0]!.saves };
  for (const r of each.slice(1))
    for (const c of SAVE_CATEGORIES) best[c] = Math.min(best[c], r.saves[c]);
  const sv = {
    saves: best,
    adjustments:
      each.length === 1
        ? each[0]!.adjustments
        : each
            .flatMap((r) => r.adjustments)
            .filter((a, i, all) => all.findIndex((b) => b.label === a.label) === i),
    derivation: each[0]!.derivation,
  };
  log.push({
    step: 'saving throws',
    table: 'saving-throws',
    source: [...new Set(sv.derivation.uses.map((u) => u.source))].join('; '),
    rolls: [],
    result: SAVE_CATEGORIES.map((c) => `${c} ${sv.saves[c]}`).join(', '),
    ...(sv.adjustments.length === 0 && active.length === 1
      ? {}
      : {
          note: [
            ...(active.length > 1 ? ['each the best of the classes'] : []),
            ...sv.adjustments.map(
              (a) => `${a.label} +${a.value}${a.applies_to ? ` (${a.applies_to})` : ''}`,
            ),
          ].join('; '),
        }),
  });

  // spells (every usable caster class) and thief skills
  const notes: string[] = [];
  let spells: NpcSpell[] | undefined;
  let spellSlotsTop: number[] | undefined;
  const wizardInArmour =
    kit.armour !== 'none' && classes.some((c) => classRecord(c).group === 'wizard');
  for (const e of active) {
    const castable = castableSlots(e.class, e.level, scores);
    if (castable === undefined) continue;
    const group = classRecord(e.class).group;
    const table =
      e.class === 'bard' || e.class === 'paladin' || e.class === 'ranger'
        ? `${e.class}-spells`
        : group === 'wizard'
          ? 'wizard-spells'
          : 'priest-spells';
    log.push({
      step: sheetClasses.length > 1 ? `spell slots, ${e.class}` : 'spell slots',
      table,
      source:
        e.class === 'bard'
          ? 'PHB Table 32; PHB Table 4 (maximum spell level)'
          : e.class === 'paladin' || e.class === 'ranger'
            ? `PHB Chapter 3, ${e.class === 'paladin' ? 'Paladin' : 'Ranger'} (spell progression)`
            : group === 'wizard'
              ? 'PHB Table 21; PHB Table 4 (maximum spell level)'
              : 'PHB Table 24; PHB Table 5 (Wisdom bonus spells)',
      rolls: [],
      result: castable.slots.join('/'),
      ...(castable.capped_above === undefined
        ? {}
        : {
            note: `Intelligence ${scores.int} allows spells up to level ${castable.capped_above}`,
          }),
    });
    const chosen = memoriseSpells(e.class, castable.slots, rng, log);
    spells = [
      ...(spells ?? []),
      ...(sheetClasses.length > 1 ? chosen.map((sp) => ({ ...sp, class: e.class })) : chosen),
    ];
    if (entries !== undefined) e.spell_slots = castable.slots;
    else spellSlotsTop = castable.slots;
  }
  if (wizardInArmour && spells !== undefined) {
    notes.push(
      `casts no wizard spells while wearing ${kit.armour} (PHB Chapter 3, Multi-Class Benefits)`,
    );
  }
  let thiefSkillScores: Npc['thief_skills'];
  const rogue = active.find((e) => e.class === 'thief' || e.class === 'bard');
  if (rogue !== undefined) {
    const ts = thiefSkills(rogue.level, {
      race,
      dex: scores.dex,
      class: rogue.class,
      armour: kit.armour,
    });
    thiefSkillScores = Object.fromEntries(ts.skills.map((s) => [s.skill, s.total]));
    log.push({
      step: 'thief skills',
      table: 'thief-skills',
      source:
        rogue.class === 'bard'
          ? 'PHB Table 33; PHB Tables 27, 28 and 29 (race, Dexterity, armour)'
          : 'PHB Tables 26, 27, 28 and 29 (base, race, Dexterity, armour)',
      rolls: [],
      result: ts.skills.map((s) => `${s.skill} ${s.total}`).join(', '),
      note: `${ts.derivation.notes[0]!}; ${ts.derivation.notes[1]!}`,
    });
  }
  const ranger = active.find((e) => e.class === 'ranger');
  if (ranger !== undefined) {
    const rs = rangerSkills(ranger.level, { race, dex: scores.dex, armour: kit.armour });
    if (rs.skills !== undefined) {
      thiefSkillScores = { ...(thiefSkillScores ?? {}), ...rs.skills };
    } else notes.push(rs.derivation.notes[0]!);
    log.push({
      step: 'ranger skills',
      table: 'ranger-skills',
      source: 'PHB Chapter 3, Ranger Abilities; PHB Tables 27, 28 and 29 (race, Dexterity, armour)',
      rolls: [],
      result:
        rs.skills === undefined
          ? 'none in this armour'
          : `hide_in_shadows ${rs.skills.hide_in_shadows}, move_silently ${rs.skills.move_silently}`,
    });
  }

  // the rest of the stat block: turning, racial abilities, proficiencies, languages
  const turner = active.find((e) => e.class === 'cleric' || e.class === 'paladin');
  const turning = turner === undefined ? undefined : turningLine(turner.class, turner.level);
  if (turning !== undefined) {
    log.push({
      step: 'turn undead',
      table: 'turn-undead',
      source: 'PHB Table 61',
      rolls: [],
      result: Object.entries(turning.results)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      note: `${turner!.class} ${turner!.level}${turner!.class === 'paladin' ? ', turning as a priest two levels lower' : ''}: column ${turning.as_level}`,
    });
  }
  const priest = active.find((e) => e.class === 'cleric' || e.class === 'druid');
  const failure = priest === undefined ? 0 : spellFailure(scores.wis);
  if (failure > 0) {
    log.push({
      step: 'spell failure',
      table: 'wisdom',
      source: 'PHB Table 5 (Wisdom)',
      rolls: [],
      result: failure,
      note: `Wisdom ${scores.wis}: each priest spell fails on d100 ≤ ${failure}`,
    });
  }
  const poison = poisonSave(race, scores.con, sv.saves.paralyzation);
  const racial = racialAbilities(race);
  const profs = rollWeaponProficiencies(sheetClasses, dual, race, kit.weapons, rng, log);
  const nonweapon =
    options.nwp === true ? rollNonweaponProficiencies(sheetClasses, scores, rng, log) : undefined;
  const languages = rollLanguages(race, scores.int, rng, log);
  // magic items by level (DMG-style chance per item category; src/rules/magic-items.ts):
  // for the class the NPC has risen furthest in
  const lead = active.reduce((b, e) => (e.level > b.level ? e : b));
  const leadGroup = classRecord(lead.class).group;
  const items = npcMagicItems(rng, { classGroup: leadGroup, level: lead.level, klass: lead.class });
  const magicItems = items.map(
    (i) =>
      `${i.name}${i.charges === undefined ? '' : ` (${i.charges} charges)`}${i.quantity === undefined || /^\d/.test(i.name) ? '' : ` (${i.quantity})`}`,
  );
  log.push({
    step: 'magic items',
    source: 'DMG Tables 88-110; 5% per level per category (1st-edition DMG Appendix C)',
    rolls: [],
    result: magicItems.join(', ') || 'none',
    note: `${lead.class} ${lead.level}: ${npcItemChance(lead.level)}% for each of ${NPC_ITEM_CATEGORIES[leadGroup].join(', ')}`,
  });

  // name and flavour
  let name = o.name;
  if (name === undefined) {
    const n = rollName(race, gender, rng);
    name = n.name;
    log.push(n.step);
  }
  const prose = dual ? `${classes[1]} (once a ${classes[0]})` : klass;
  const flavour = rollFlavour({ name, race, class: prose, gender }, rng, log, deck);

  const given: NpcOptions = {};
  if (options.class !== undefined) given.class = options.class;
  if (options.dual === true) given.dual = true;
  if (options.nwp === true) given.nwp = true;
  if (options.level !== undefined) given.level = options.level;
  if (options.race !== undefined) given.race = options.race;
  if (options.alignment !== undefined) given.alignment = options.alignment;
  if (options.name !== undefined) given.name = options.name;
  if (options.gender !== undefined) given.gender = options.gender;
  given.method = o.method;

  return {
    name,
    class: klass,
    level: topLevel,
    ...(entries === undefined ? {} : { classes: entries }),
    race,
    gender,
    alignment: ALIGNMENT_NAMES[alignment],
    hit_points: hitPoints,
    armor_class: ac.armor_class,
    thac0,
    abilities,
    saves: sv.saves,
    armour: kit.armour,
    ...(kit.shield === undefined ? {} : { shield: kit.shield }),
    weapons: [...kit.weapons],
    equipment,
    ...(spellSlotsTop === undefined ? {} : { spell_slots: spellSlotsTop }),
    ...(spells === undefined ? {} : { spells }),
    ...(thiefSkillScores === undefined ? {} : { thief_skills: thiefSkillScores }),
    ...(poison === undefined ? {} : { poison_save: poison }),
    ...(failure > 0 ? { spell_failure: failure } : {}),
    ...(turning === undefined ? {} : { turn_undead: turning }),
    ...(racial.length === 0 ? {} : { racial_abilities: racial }),
    weapon_proficiencies: profs,
    ...(nonweapon === undefined ? {} : { nonweapon_proficiencies: nonweapon }),
    languages,
    ...(magicItems.length === 0 ? {} : { magic_items: magicItems }),
    ...flavour,
    ...(notes.length === 0 ? {} : { notes: notes.join(' ') }),
    roll_log: log,
    seed: rng.seed,
    ...(deck === undefined ? {} : { flavour_deck: { ...deck } }),
    generator: { ...GENERATOR },
    options: given,
  };
}

/**
 * The campaign store's view of an NPC: its name apart, everything else as `npc` data,
 * the roll log in its compact stored form (src/core/roll-log.ts; kept whole).
 */
export function npcRecord(npc: Npc): {
  name: string;
  data: Omit<Npc, 'name' | 'roll_log'> & { roll_log: string };
} {
  const { name, roll_log, ...rest } = npc;
  return { name, data: { ...rest, roll_log: encodeRollLog(roll_log) } };
}

/**
 * Generate `count` NPCs (1-10,000) with the same options; each gets its own RNG forked
 * from `rng`, and each run of 10 shares a flavour deck (no trait, look or motivation
 * repeats in it), so `generateNpc(options, createRng(npc.seed), npc.flavour_deck)`
 * reproduces any one of them.
 */
export function generateNpcs(options: NpcOptions, count: number, rng: Rng): Npc[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NPCS) {
    throw new UsageError(`count must be a whole number from 1 to ${MAX_NPCS}, got ${count}`);
  }
  resolveNpcOptions(options);
  const out: Npc[] = [];
  let deckSeed = 0;
  for (let i = 0; i < count; i++) {
    if (i % DECK_SIZE === 0) deckSeed = rng.fork().seed;
    out.push(generateNpc(options, rng.fork(), { seed: deckSeed, slot: i % DECK_SIZE }));
  }
  return out;
}
