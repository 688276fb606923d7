/**
 * Rules legality of a character sheet (an NPC record or a PC) for `dma audit`: class, race
 * and alignment allowed together; level within 1-20 and the race's limit; ability scores
 * within the race's range and the class's minimums; exceptional strength for warriors with
 * 18 only; hit points within what the hit dice allow; THAC0 and saving throws as the tables
 * give them. Never throws for a bad sheet: every problem is a finding.
 *
 * The NPC generator branch brings `checkNpcLegality` (src/rules/npc.ts) with the same finding
 * shape and more checks (armour, spells, thief skills); once merged, `dma audit` should call it.
 */
import { abilitiesTable } from '../data/abilities.ts';
import { racesTable } from '../data/races.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import { ABILITIES, type Ability } from './abilities.ts';
import { classRecord, groupRecord, isWarrior, resolveClass, type ClassKey } from './classes.ts';
import { resolveRace } from './race-names.ts';
import { SAVE_CATEGORIES, saves, type SaveCategory } from './saves.ts';
import { thac0Value } from './thac0.ts';

export type Severity = 'error' | 'warning';
export interface LegalityFinding {
  severity: Severity;
  /** the field at fault: "abilities.cha", "hit_points", "saves.rod" */
  field: string;
  message: string;
  /** the rule's book citation */
  source: string;
}

/** The parts of a character sheet the check reads; unknown or missing fields are skipped. */
export interface CharacterSheet {
  class?: unknown;
  level?: unknown;
  race?: unknown;
  alignment?: unknown;
  abilities?: unknown;
  hit_points?: unknown;
  /** PCs: current and maximum hit points */
  hp?: unknown;
  max_hp?: unknown;
  thac0?: unknown;
  saves?: unknown;
}

const ABILITY_TITLES: Record<Ability, string> = {
  str: 'Strength',
  dex: 'Dexterity',
  con: 'Constitution',
  int: 'Intelligence',
  wis: 'Wisdom',
  cha: 'Charisma',
};

/** PHB Chapter 4: the nine alignments by code, and their written-out names. */
const ALIGNMENTS: Record<string, string> = {
  LG: 'lawful good',
  NG: 'neutral good',
  CG: 'chaotic good',
  LN: 'lawful neutral',
  N: 'true neutral',
  CN: 'chaotic neutral',
  LE: 'lawful evil',
  NE: 'neutral evil',
  CE: 'chaotic evil',
};

function alignmentCode(value: string): string | undefined {
  const v = value.trim().toLowerCase().replace(/[-_]/g, ' ');
  for (const [code, name] of Object.entries(ALIGNMENTS)) {
    if (v === code.toLowerCase() || v === name || (code === 'N' && v === 'neutral')) return code;
  }
  return undefined;
}

/** The store's save keys (paralyzation_poison_death, …) and the engine's (paralyzation, …). */
const SAVE_ALIASES: Record<SaveCategory, string[]> = {
  paralyzation: ['paralyzation', 'paralyzation_poison_death'],
  rod: ['rod', 'rod_staff_wand'],
  petrification: ['petrification', 'petrification_polymorph'],
  breath: ['breath', 'breath_weapon'],
  spell: ['spell'],
};

const a = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The lowest and highest hit points of a class at a level and Constitution (PHB Tables 14-25, 3). */
export function hitPointRange(
  klass: ClassKey,
  level: number,
  con: number,
): { min: number; max: number; dice: number; die: number; conAdj: number; source: string } {
  const g = groupRecord(classRecord(klass).group);
  const row = abilitiesTable.constitution.rows[con - 1]!;
  const conAdj = isWarrior(klass) ? row.hp_warrior : row.hp;
  const dieMin = row.hit_die_minimum ?? 1;
  const dice = Math.min(level, g.name_level);
  const fixed = Math.max(0, level - dice) * g.hp_per_level_after;
  const perDie = (roll: number) => Math.max(1, Math.max(roll, dieMin) + conAdj);
  return {
    min: dice * perDie(1) + fixed,
    max: dice * perDie(g.hit_die) + fixed,
    dice,
    die: g.hit_die,
    conAdj,
    source: `${g.source}; ${abilitiesTable.constitution.source}`,
  };
}

export function checkCharacterSheet(sheet: CharacterSheet): LegalityFinding[] {
  const out: LegalityFinding[] = [];
  const add = (severity: Severity, field: string, message: string, source: string) =>
    out.push({ severity, field, message, source });

  if (typeof sheet.class !== 'string') {
    add('error', 'class', 'the sheet has no class', 'PHB Chapter 3');
    return out;
  }
  let klass: ClassKey;
  try {
    klass = resolveClass(sheet.class);
  } catch (err) {
    add('error', 'class', (err as Error).message, 'PHB Chapter 3');
    return out;
  }
  const rec = classRecord(klass);

  let race: RaceKey | undefined;
  if (typeof sheet.race === 'string') {
    try {
      race = resolveRace(sheet.race);
    } catch (err) {
      add('error', 'race', (err as Error).message, 'PHB Chapter 2');
    }
  }
  const raceRec = race === undefined ? undefined : racesTable.races[race];
  if (race !== undefined && !(rec.races as readonly string[]).includes(race)) {
    add(
      'error',
      'race',
      `${a(race)} cannot be ${a(klass)} (${a(klass)} may be ${rec.races.join(', ')})`,
      `PHB Table 8; ${rec.source}`,
    );
  }

  if (typeof sheet.alignment === 'string') {
    const code = alignmentCode(sheet.alignment);
    if (code === undefined) {
      add('error', 'alignment', `unknown alignment "${sheet.alignment}"`, 'PHB Chapter 4');
    } else if (!(rec.alignments as readonly string[]).includes(code)) {
      add(
        'error',
        'alignment',
        `${a(klass)} cannot be ${ALIGNMENTS[code]} (allowed: ${rec.alignments.map((c) => ALIGNMENTS[c]).join(', ')})`,
        rec.source,
      );
    }
  }

  const level = sheet.level;
  if (!isInt(level) || level < 1 || level > 20) {
    add('error', 'level', `level ${String(level)} is outside 1-20`, 'PHB Chapter 3');
    return out;
  }
  const limit = (raceRec?.level_limits as Partial<Record<ClassKey, number | null>> | undefined)?.[
    klass
  ];
  if (typeof limit === 'number' && level > limit) {
    add(
      'error',
      'level',
      `${a(race ?? 'character')} ${klass} cannot rise above level ${limit}, not ${level}`,
      'DMG Chapter 2, Racial Class and Level Limits',
    );
  }

  const ab = isObj(sheet.abilities) ? sheet.abilities : undefined;
  let con: number | undefined;
  if (ab !== undefined) {
    for (const k of ABILITIES) {
      const score = ab[k];
      if (!isInt(score)) continue;
      const [lo, hi] = raceRec === undefined ? [3, 18] : [raceRec.minimums[k], raceRec.maximums[k]];
      if (score < lo || score > hi) {
        add(
          'error',
          `abilities.${k}`,
          `${ABILITY_TITLES[k]} ${score} is outside ${race === undefined ? '' : `the ${race}'s `}${lo}-${hi}`,
          raceRec === undefined ? 'PHB Chapter 1' : 'PHB Table 7 (Racial Ability Requirements)',
        );
      }
      const min = (rec.minimums as Partial<Record<Ability, number>>)[k];
      if (min !== undefined && score < min) {
        add(
          'error',
          `abilities.${k}`,
          `${a(klass)} needs ${ABILITY_TITLES[k]} ${min}, not ${score}`,
          `PHB Table 13; ${rec.source}`,
        );
      }
    }
    if (ab.str_exceptional !== undefined && (!isWarrior(klass) || ab.str !== 18)) {
      add(
        'error',
        'abilities.str_exceptional',
        `exceptional strength is for warriors with Strength 18 only (${a(klass)} with Strength ${String(ab.str)})`,
        'PHB Table 1',
      );
    }
    if (isInt(ab.con) && ab.con >= 1 && ab.con <= 25) con = ab.con;
  }

  const hp = isInt(sheet.hit_points) ? sheet.hit_points : isInt(sheet.max_hp) ? sheet.max_hp : null;
  const hpField = isInt(sheet.hit_points) ? 'hit_points' : 'max_hp';
  if (hp !== null && con !== undefined) {
    const r = hitPointRange(klass, level, con);
    if (hp < r.min || hp > r.max) {
      add(
        'error',
        hpField,
        `${hp} hit points is outside ${r.min}-${r.max} (${r.dice}d${r.die}, Constitution ${con} ${r.conAdj >= 0 ? '+' : ''}${r.conAdj} per die)`,
        r.source,
      );
    }
  }
  if (isInt(sheet.hp) && isInt(sheet.max_hp) && sheet.hp > sheet.max_hp) {
    add('error', 'hp', `current hp ${sheet.hp} exceeds max_hp ${sheet.max_hp}`, 'PHB Chapter 9');
  }

  if (isInt(sheet.thac0)) {
    const expected = thac0Value(rec.group, level);
    if (sheet.thac0 !== expected) {
      add(
        'error',
        'thac0',
        `THAC0 ${sheet.thac0} should be ${expected} (${rec.group} level ${level})`,
        'PHB Table 53',
      );
    }
  }

  if (isObj(sheet.saves)) {
    const expected = saves(klass, level, {
      ...(race === undefined ? {} : { race }),
      ...(con === undefined ? {} : { con }),
    }).saves;
    for (const cat of SAVE_CATEGORIES) {
      const key = SAVE_ALIASES[cat].find((k) => k in (sheet.saves as object));
      const v = key === undefined ? undefined : (sheet.saves as Record<string, unknown>)[key];
      if (isInt(v) && v !== expected[cat]) {
        add(
          'error',
          `saves.${key}`,
          `save vs ${cat} ${v} should be ${expected[cat]}`,
          'PHB Table 60; PHB Table 9 (racial Constitution bonus)',
        );
      }
    }
  }
  return out;
}
