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
export { checkNpcLegality, type LegalityFinding } from '../../rules/legality.ts';

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

/** What the steps of one NPC's generation share: its RNG, its roll log, the table roller. */
interface Rolls {
  rng: Rng;
  log: RollStep[];
  /** roll on a table of TABLES (references followed), every roll logged under `step` */
  roll: (step: string, table: string) => string;
}

function startRolls(rng: Rng): Rolls {
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
  return { rng, log, roll };
}

/** Who the NPC is before any level: gender, class and race, ability scores. */
interface Body {
  gender: Gender;
  classes: ClassKey[];
  race: RaceKey;
  /** the classes' name, "fighter/mage" */
  klass: string;
  multi: boolean;
  dual: boolean;
  /** after racial adjustments */
  scores: Record<Ability, number>;
  abilities: NpcAbilities;
  warrior: boolean;
}

/** Gender, then ability scores with class and race, racial adjustments, exceptional strength. */
function rollBody(o: ResolvedOptions, r: Rolls): Body {
  const gender = o.gender ?? (r.roll('gender', 'gender') as Gender);
  const rolled = rollAbilities(o.method, candidates(o), r.rng);
  r.log.push(...rolled.steps);
  const { classes, race, klass } = rolled.chosen;
  const adj = racesTable.races[race].adjustments as Partial<Record<Ability, number>>;
  const scores = {} as Record<Ability, number>;
  ABILITIES.forEach((a, i) => (scores[a] = rolled.raw[i]! + (adj[a] ?? 0)));
  const adjusted = ABILITIES.filter((a) => adj[a] !== undefined);
  if (adjusted.length > 0) {
    r.log.push({
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
    const d = r.rng.int(1, 100);
    abilities.str_exceptional = d;
    r.log.push({
      step: 'exceptional strength',
      source: abilitiesTable.strength.source,
      dice: 'd100',
      rolls: [d],
      result: `18/${d === 100 ? '00' : String(d).padStart(2, '0')}`,
      note: 'warriors with Strength 18 roll percentile dice',
    });
  }
  const multi = classes.length > 1 && o.dual !== true;
  return { gender, classes, race, klass, multi, dual: o.dual === true, scores, abilities, warrior };
}

/** The alignment asked for, or one every class allows, by dma's weights. */
function rollAlignment(o: ResolvedOptions, classes: readonly ClassKey[], r: Rolls): AlignmentCode {
  if (o.alignment !== undefined) return o.alignment;
  const allowed = (classRecord(classes[0]!).alignments as AlignmentCode[]).filter((a) =>
    classes.every((c) => classRecord(c).alignments.includes(a)),
  );
  const pick = weightedPick(npcFlavourTable.weights.alignment, allowed, r.rng);
  r.log.push({
    step: 'alignment',
    table: 'npc-flavour weights',
    source: `dma's own weights, among those ${classes.map((c) => classRecord(c).source).join('; ')} allow${classes.length > 1 ? '' : 's'}`,
    dice: `d${pick.total}`,
    rolls: [pick.roll],
    result: ALIGNMENT_NAMES[pick.value],
  });
  return pick.value;
}

interface Levels {
  /** the multi- or dual-class sheet's classes (undefined for a single class) */
  entries: NpcClassLevel[] | undefined;
  sheetClasses: NpcClassLevel[];
  /** the classes whose abilities are usable */
  active: NpcClassLevel[];
  topLevel: number;
}

/** The level (the best class's), and for multi- and dual-class characters each class's. */
function rollLevels(o: ResolvedOptions, b: Body, r: Rolls): Levels {
  const { classes, race, klass, dual } = b;
  const limit = topLimit(classes, race) ?? null;
  let level = o.level;
  if (level === undefined) {
    const top = Math.min(DEFAULT_MAX_LEVEL, limit ?? DEFAULT_MAX_LEVEL);
    level = r.rng.int(1, top);
    r.log.push({
      step: 'level',
      source: 'DMG Chapter 2, Racial Class and Level Limits',
      dice: `d${top}`,
      rolls: [level],
      result: level,
      note: `1-${top}${limit !== null && limit < DEFAULT_MAX_LEVEL ? ` (the ${race} ${klass} limit is ${limit})` : ''}${dual ? ' (the new class)' : ''}`,
    });
  }
  const entries = b.multi
    ? multiclassLevels(classes, race, level, r)
    : dual
      ? dualClassLevels(classes, level, r)
      : undefined;
  const sheetClasses: NpcClassLevel[] = entries ?? [{ class: classes[0]!, level, xp: 0 }];
  return {
    entries,
    sheetClasses,
    active: activeClasses(sheetClasses),
    topLevel: Math.max(...sheetClasses.map((e) => e.level)),
  };
}

/** An equal share of experience that puts the best class at `level`, rolled within its band. */
function multiclassLevels(
  classes: readonly ClassKey[],
  race: RaceKey,
  level: number,
  r: Rolls,
): NpcClassLevel[] {
  const raceRec = racesTable.races[race];
  const can = (l: number) =>
    classes.filter((c) => {
      const lim = raceRec.level_limits[c];
      return lim === null || (lim !== undefined && lim >= l);
    });
  const lo = level === 1 ? 0 : Math.min(...can(level).map((c) => xpAt(c, level)));
  const higher = level < 20 ? can(level + 1) : [];
  const hi = higher.length === 0 ? lo : Math.min(...higher.map((c) => xpAt(c, level + 1))) - 1;
  const share = r.rng.int(lo, Math.max(lo, hi));
  const levels = levelsForShare(classes, race, share);
  const entries = classes.map((c, i) => ({ class: c, level: levels[i]!, xp: share }));
  r.log.push({
    step: 'experience',
    source: `${MULTICLASS_SOURCE}; PHB Tables 14, 20, 23 and 25`,
    dice: `${lo}-${Math.max(lo, hi)}`,
    rolls: [share],
    result: entries.map((e) => `${e.class} ${e.level}`).join(', '),
    note: `${share} XP to each class (${share * classes.length} in all), split equally; the best class at level ${level}${classes.some((c, i) => levels[i]! < levelsForShare([c], 'human', share)[0]!) ? '; held at the racial limit' : ''}`,
  });
  return entries;
}

/** A dual-class human: the old class's level rolled, the new class at `level`. */
function dualClassLevels(classes: readonly ClassKey[], level: number, r: Rolls): NpcClassLevel[] {
  const oldTop = 9;
  const oldLevel = r.rng.int(2, oldTop);
  const [oldClass, newClass] = classes as [ClassKey, ClassKey];
  r.log.push({
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
  return [
    { class: oldClass, level: oldLevel, xp: xpAt(oldClass, oldLevel), dual: 'old' },
    { class: newClass, level, xp: xpAt(newClass, level), dual: 'new' },
  ];
}

/** Hit points (PHB Tables 14, 20, 23, 25; multi-class: averaged; dual-class: the new class's levels past the old). */
function rollNpcHitPoints(b: Body, lv: Levels, r: Rolls): number {
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

/** An equipment kit for the classes (one the race can wield) and the armour class it gives. */
function equip(b: Body, r: Rolls) {
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
function combatNumbers(b: Body, lv: Levels, r: Rolls) {
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

/** Spell slots and memorised spells of every usable caster class. */
function rollSpells(b: Body, lv: Levels, armour: string, r: Rolls, notes: string[]) {
  let spells: NpcSpell[] | undefined;
  let spellSlotsTop: number[] | undefined;
  const several = lv.sheetClasses.length > 1;
  for (const e of lv.active) {
    const castable = castableSlots(e.class, e.level, b.scores);
    if (castable === undefined) continue;
    const group = classRecord(e.class).group;
    const halfCaster = e.class === 'paladin' || e.class === 'ranger';
    r.log.push({
      step: several ? `spell slots, ${e.class}` : 'spell slots',
      table:
        e.class === 'bard' || halfCaster
          ? `${e.class}-spells`
          : group === 'wizard'
            ? 'wizard-spells'
            : 'priest-spells',
      source:
        e.class === 'bard'
          ? 'PHB Table 32; PHB Table 4 (maximum spell level)'
          : halfCaster
            ? `PHB Chapter 3, ${e.class === 'paladin' ? 'Paladin' : 'Ranger'} (spell progression)`
            : group === 'wizard'
              ? 'PHB Table 21; PHB Table 4 (maximum spell level)'
              : 'PHB Table 24; PHB Table 5 (Wisdom bonus spells)',
      rolls: [],
      result: castable.slots.join('/'),
      ...(castable.capped_above === undefined
        ? {}
        : {
            note: `Intelligence ${b.scores.int} allows spells up to level ${castable.capped_above}`,
          }),
    });
    const chosen = memoriseSpells(e.class, castable.slots, r.rng, r.log);
    spells = [
      ...(spells ?? []),
      ...(several ? chosen.map((sp) => ({ ...sp, class: e.class })) : chosen),
    ];
    if (lv.entries !== undefined) e.spell_slots = castable.slots;
    else spellSlotsTop = castable.slots;
  }
  const wizardInArmour =
    armour !== 'none' && b.classes.some((c) => classRecord(c).group === 'wizard');
  if (wizardInArmour && spells !== undefined) {
    notes.push(
      `casts no wizard spells while wearing ${armour} (PHB Chapter 3, Multi-Class Benefits)`,
    );
  }
  return { spells, spellSlotsTop };
}

/** A thief's or bard's skills, and a ranger's hiding and moving silently. */
function rogueSkills(b: Body, lv: Levels, armour: string, r: Rolls, notes: string[]) {
  let skills: Npc['thief_skills'];
  const rogue = lv.active.find((e) => e.class === 'thief' || e.class === 'bard');
  if (rogue !== undefined) {
    const ts = thiefSkills(rogue.level, {
      race: b.race,
      dex: b.scores.dex,
      class: rogue.class,
      armour,
    });
    skills = Object.fromEntries(ts.skills.map((s) => [s.skill, s.total]));
    r.log.push({
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
  const ranger = lv.active.find((e) => e.class === 'ranger');
  if (ranger !== undefined) {
    const rs = rangerSkills(ranger.level, { race: b.race, dex: b.scores.dex, armour });
    if (rs.skills !== undefined) skills = { ...(skills ?? {}), ...rs.skills };
    else notes.push(rs.derivation.notes[0]!);
    r.log.push({
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
  return skills;
}

/** A cleric's or paladin's turning line, and a priest's spell failure for low Wisdom. */
function priestLines(b: Body, lv: Levels, r: Rolls) {
  const turner = lv.active.find((e) => e.class === 'cleric' || e.class === 'paladin');
  const turning = turner === undefined ? undefined : turningLine(turner.class, turner.level);
  if (turner !== undefined && turning !== undefined) {
    r.log.push({
      step: 'turn undead',
      table: 'turn-undead',
      source: 'PHB Table 61',
      rolls: [],
      result: Object.entries(turning.results)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      note: `${turner.class} ${turner.level}${turner.class === 'paladin' ? ', turning as a priest two levels lower' : ''}: column ${turning.as_level}`,
    });
  }
  const priest = lv.active.find((e) => e.class === 'cleric' || e.class === 'druid');
  const failure = priest === undefined ? 0 : spellFailure(b.scores.wis);
  if (failure > 0) {
    r.log.push({
      step: 'spell failure',
      table: 'wisdom',
      source: 'PHB Table 5 (Wisdom)',
      rolls: [],
      result: failure,
      note: `Wisdom ${b.scores.wis}: each priest spell fails on d100 ≤ ${failure}`,
    });
  }
  return { turning, failure };
}

/**
 * Magic items by level (DMG-style chance per item category; src/rules/magic-items.ts), for
 * the class the NPC has risen furthest in.
 */
function rollNpcMagicItems(lv: Levels, r: Rolls): string[] {
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

/** The options the caller gave (recorded so the NPC can be regenerated), method filled in. */
function givenOptions(options: NpcOptions, method: AbilityMethod): NpcOptions {
  const given: NpcOptions = {};
  if (options.class !== undefined) given.class = options.class;
  if (options.dual === true) given.dual = true;
  if (options.nwp === true) given.nwp = true;
  if (options.level !== undefined) given.level = options.level;
  if (options.race !== undefined) given.race = options.race;
  if (options.alignment !== undefined) given.alignment = options.alignment;
  if (options.name !== undefined) given.name = options.name;
  if (options.gender !== undefined) given.gender = options.gender;
  given.method = method;
  return given;
}

/**
 * Generate one NPC. The seed recorded is `rng.seed`: pass a fresh RNG to make it
 * reproducible. The steps run in the order of the module comment; each draws from `rng`
 * in turn, so reordering them changes every seed's NPC.
 */
export function generateNpc(options: NpcOptions, rng: Rng, deck?: FlavourDeck): Npc {
  const o = resolveNpcOptions(options);
  const r = startRolls(rng);
  const body = rollBody(o, r);
  const alignment = rollAlignment(o, body.classes, r);
  const lv = rollLevels(o, body, r);
  const hitPoints = rollNpcHitPoints(body, lv, r);
  const { kit, armorClass, equipment } = equip(body, r);
  const combat = combatNumbers(body, lv, r);
  const notes: string[] = [];
  const { spells, spellSlotsTop } = rollSpells(body, lv, kit.armour, r, notes);
  const thiefSkillScores = rogueSkills(body, lv, kit.armour, r, notes);
  const { turning, failure } = priestLines(body, lv, r);
  const { race, classes } = body;
  const poison = poisonSave(race, body.scores.con, combat.saves.paralyzation);
  const racial = racialAbilities(race);
  const profs = rollWeaponProficiencies(lv.sheetClasses, body.dual, race, kit.weapons, rng, r.log);
  const nonweapon =
    options.nwp === true
      ? rollNonweaponProficiencies(lv.sheetClasses, body.scores, rng, r.log)
      : undefined;
  const languages = rollLanguages(race, body.scores.int, rng, r.log);
  const magicItems = rollNpcMagicItems(lv, r);
  let name = o.name;
  if (name === undefined) {
    const n = rollName(race, body.gender, rng);
    name = n.name;
    r.log.push(n.step);
  }
  const prose = body.dual ? `${classes[1]} (once a ${classes[0]})` : body.klass;
  const flavour = rollFlavour({ name, race, class: prose, gender: body.gender }, rng, r.log, deck);

  return {
    name,
    class: body.klass,
    level: lv.topLevel,
    ...(lv.entries === undefined ? {} : { classes: lv.entries }),
    race,
    gender: body.gender,
    alignment: ALIGNMENT_NAMES[alignment],
    hit_points: hitPoints,
    armor_class: armorClass,
    thac0: combat.thac0,
    abilities: body.abilities,
    saves: combat.saves,
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
    roll_log: r.log,
    seed: rng.seed,
    ...(deck === undefined ? {} : { flavour_deck: { ...deck } }),
    generator: { ...GENERATOR },
    options: givenOptions(options, o.method),
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
