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
import type { Rng } from '../../core/rng.ts';
import { abilitiesTable } from '../../data/abilities.ts';
import { npcFlavourData, npcGearData } from '../../data/npc.ts';
import { racesTable } from '../../data/races.ts';
import { ABILITIES, type Ability } from '../../rules/abilities.ts';
import {
  CLASSES,
  type ClassKey,
  classRecord,
  isWarrior,
  resolveClass,
} from '../../rules/classes.ts';
import {
  ALIGNMENT_NAMES,
  type AlignmentCode,
  armourClass,
  castableSlots,
  hitPointRule,
  hitPointsForDie,
  resolveAlignment,
} from '../../rules/npc.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { resolveRace } from '../../rules/races.ts';
import { saves, SAVE_CATEGORIES } from '../../rules/saves.ts';
import { thac0Value } from '../../rules/thac0.ts';
import { thiefSkills } from '../../rules/thief-skills.ts';
import { createTableRoller, type RollLogEntry, type TableSet } from '../tables.ts';
import { type Candidate, candidate, rollAbilities } from './abilities.ts';
import { rollFlavour, rollName } from './flavour.ts';
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
  type NpcOptions,
  type RollStep,
} from './types.ts';

export * from './types.ts';
export { checkNpcLegality, type LegalityFinding } from '../../rules/npc.ts';

/** Highest level rolled when the DM gives none (within the race's limit). */
export const DEFAULT_MAX_LEVEL = 10;
export const MAX_NPCS = 10_000;

const TABLES: TableSet = { ...npcFlavourData.tables, ...npcGearData.tables };
const WEIGHT_TOTALS = new Map(
  Object.entries(TABLES).map(([k, t]) => [k, t.entries.reduce((s, e) => s + (e.weight ?? 0), 0)]),
);

function an(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

export interface ResolvedOptions {
  klass?: ClassKey;
  race?: RaceKey;
  alignment?: AlignmentCode;
  level?: number;
  gender?: Gender;
  name?: string;
  method: AbilityMethod;
}

/**
 * Check the options against the rules before anything is rolled. UsageError for an
 * unknown class, race or alignment (with did-you-mean), a level outside 1-20, a race the
 * class does not allow, an alignment the class does not allow, a level above the race's
 * limit for the class, or options that together leave no class and race.
 */
export function resolveNpcOptions(options: NpcOptions): ResolvedOptions {
  const klass = options.class === undefined ? undefined : resolveClass(options.class);
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
  if (klass !== undefined) {
    const rec = classRecord(klass);
    if (race !== undefined && !rec.races.includes(race)) {
      throw new UsageError(
        `${an(race)} cannot be ${an(klass)} (${racesTable.races[race].source}; ${rec.source}: ${an(klass)} may be ${rec.races.join(', ')})`,
      );
    }
    if (alignment !== undefined && !rec.alignments.includes(alignment)) {
      throw new UsageError(
        `${an(klass)} cannot be ${ALIGNMENT_NAMES[alignment]} (${rec.source}: allowed ${rec.alignments.map((a) => ALIGNMENT_NAMES[a as AlignmentCode]).join(', ')})`,
      );
    }
    if (race !== undefined && level !== undefined) {
      const limit = racesTable.races[race].level_limits[klass];
      if (limit !== undefined && limit !== null && level > limit) {
        throw new UsageError(
          `${an(race)} ${klass} cannot rise above level ${limit}, asked for ${level} (DMG Chapter 2, Racial Class and Level Limits)`,
        );
      }
    }
  }
  return {
    ...(klass === undefined ? {} : { klass }),
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
  const key = `${o.klass}|${o.race}|${o.alignment}|${o.level}`;
  let list = candidateCache.get(key);
  if (list === undefined) {
    list = buildCandidates(o);
    candidateCache.set(key, list);
  }
  return list;
}

function buildCandidates(o: ResolvedOptions): Candidate[] {
  const w = npcFlavourData.weights;
  const out: Candidate[] = [];
  for (const klass of o.klass === undefined ? CLASSES : [o.klass]) {
    const rec = classRecord(klass);
    if (o.alignment !== undefined && !rec.alignments.includes(o.alignment)) continue;
    for (const race of o.race === undefined ? rec.races : [o.race]) {
      if (!rec.races.includes(race)) continue;
      const limit = racesTable.races[race].level_limits[klass];
      if (limit === undefined) continue;
      if (o.level !== undefined && limit !== null && o.level > limit) continue;
      out.push(candidate(klass, race, (w.class[klass] ?? 1) * (w.race[race] ?? 1)));
    }
  }
  if (out.length === 0) {
    const asked = [
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

/** Generate one NPC. The seed recorded is `rng.seed`: pass a fresh RNG to make it reproducible. */
export function generateNpc(options: NpcOptions, rng: Rng): Npc {
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
  const { klass, race } = rolled.chosen;
  const rec = classRecord(klass);
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
  if (isWarrior(klass) && scores.str === 18) {
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

  // alignment and level
  let alignment = o.alignment;
  if (alignment === undefined) {
    const pick = weightedPick(
      npcFlavourData.weights.alignment,
      rec.alignments as AlignmentCode[],
      rng,
    );
    alignment = pick.value;
    log.push({
      step: 'alignment',
      table: 'npc-flavour weights',
      source: `dma's own weights, among those ${rec.source} allows`,
      dice: `d${pick.total}`,
      rolls: [pick.roll],
      result: ALIGNMENT_NAMES[alignment],
    });
  }
  const limit = raceRec.level_limits[klass] ?? null;
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
      note: `1-${top}${limit !== null && limit < DEFAULT_MAX_LEVEL ? ` (the ${race} ${klass} limit is ${limit})` : ''}`,
    });
  }

  // hit points: a die per level to name level, then fixed points (PHB Tables 14, 20, 23, 25)
  const hp = hitPointRule(klass, level, scores.con);
  const hpRolls: number[] = [];
  let hitPoints = 0;
  for (let i = 0; i < hp.dice_levels; i++) {
    const d = rng.die(hp.hit_die);
    hpRolls.push(d);
    hitPoints += hitPointsForDie(hp, d);
  }
  const after = level - hp.dice_levels;
  hitPoints += after * hp.per_level_after;
  log.push({
    step: 'hit points',
    source: hp.source,
    dice: `${hp.dice_levels}d${hp.hit_die}`,
    rolls: hpRolls,
    result: hitPoints,
    note:
      `Constitution ${scores.con}: ${hp.con_adjustment >= 0 ? '+' : ''}${hp.con_adjustment} per die` +
      `${isWarrior(klass) ? ' (warrior column)' : ''}, at least 1 per die` +
      (after > 0 ? `; +${hp.per_level_after} for each of ${after} levels past name level` : ''),
  });

  // equipment and armour class
  const { name: kitName, kit } = rollKit(klass, race, roll);
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

  // THAC0 and saving throws from the rules engine
  const thac0 = thac0Value(rec.group, level);
  log.push({
    step: 'thac0',
    table: 'thac0',
    source: 'PHB Table 53',
    rolls: [],
    result: thac0,
    note: `${rec.group}, level ${level}`,
  });
  const sv = saves(klass, level, { race, con: scores.con });
  log.push({
    step: 'saving throws',
    table: 'saving-throws',
    source: sv.derivation.uses.map((u) => u.source).join('; '),
    rolls: [],
    result: SAVE_CATEGORIES.map((c) => `${c} ${sv.saves[c]}`).join(', '),
    ...(sv.adjustments.length === 0
      ? {}
      : {
          note: sv.adjustments
            .map((a) => `${a.label} +${a.value}${a.applies_to ? ` (${a.applies_to})` : ''}`)
            .join('; '),
        }),
  });

  // spells and thief skills
  const notes: string[] = [];
  const castable = castableSlots(klass, level, scores);
  let spells: Npc['spells'];
  if (castable !== undefined) {
    log.push({
      step: 'spell slots',
      table: rec.group === 'wizard' ? 'wizard-spells' : 'priest-spells',
      source:
        rec.group === 'wizard'
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
    spells = memoriseSpells(klass, castable.slots, rng, log);
  } else {
    const from = { paladin: 9, ranger: 8, bard: 2 }[klass as 'paladin' | 'ranger' | 'bard'];
    if (from !== undefined && level >= from) {
      notes.push(
        `${an(klass)} casts spells from level ${from}; that progression is not in the rules data yet, so none are listed`,
      );
    }
  }
  let thiefSkillScores: Npc['thief_skills'];
  if (klass === 'thief' || klass === 'bard') {
    const ts = thiefSkills(level, { race, dex: scores.dex, class: klass });
    thiefSkillScores = Object.fromEntries(ts.skills.map((s) => [s.skill, s.total]));
    log.push({
      step: 'thief skills',
      table: 'thief-skills',
      source: ts.derivation.uses.map((u) => u.source).join('; '),
      rolls: [],
      result: ts.skills.map((s) => `${s.skill} ${s.total}`).join(', '),
      note: ts.derivation.notes[0]!,
    });
  }

  // name and flavour
  let name = o.name;
  if (name === undefined) {
    const n = rollName(race, gender, rng);
    name = n.name;
    log.push(n.step);
  }
  const flavour = rollFlavour({ name, race, class: klass, gender }, roll, roller, log);

  const given: NpcOptions = {};
  if (options.class !== undefined) given.class = options.class;
  if (options.level !== undefined) given.level = options.level;
  if (options.race !== undefined) given.race = options.race;
  if (options.alignment !== undefined) given.alignment = options.alignment;
  if (options.name !== undefined) given.name = options.name;
  if (options.gender !== undefined) given.gender = options.gender;
  given.method = o.method;

  return {
    name,
    class: klass,
    level,
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
    ...(castable === undefined ? {} : { spell_slots: castable.slots, spells: spells! }),
    ...(thiefSkillScores === undefined ? {} : { thief_skills: thiefSkillScores }),
    ...flavour,
    ...(notes.length === 0 ? {} : { notes: notes.join(' ') }),
    roll_log: log,
    seed: rng.seed,
    generator: { ...GENERATOR },
    options: given,
  };
}

/** The campaign store's view of an NPC: its name apart, everything else as `npc` data. */
export function npcRecord(npc: Npc): { name: string; data: Omit<Npc, 'name'> } {
  const { name, ...data } = npc;
  return { name, data };
}

/**
 * Generate `count` NPCs (1-10,000) with the same options; each gets its own RNG forked
 * from `rng`, so `generateNpc(options, createRng(npc.seed))` reproduces any one of them.
 */
export function generateNpcs(options: NpcOptions, count: number, rng: Rng): Npc[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NPCS) {
    throw new UsageError(`count must be a whole number from 1 to ${MAX_NPCS}, got ${count}`);
  }
  resolveNpcOptions(options);
  const out: Npc[] = [];
  for (let i = 0; i < count; i++) out.push(generateNpc(options, rng.fork()));
  return out;
}
