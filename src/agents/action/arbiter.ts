/**
 * The Rules Arbiter (original design 003, agent #1): classifies a player's action by
 * table-driven patterns (English, with Russian keywords) and resolves it by AD&D 2e rules
 * with a seeded RNG. No LLM, no I/O: same text, sheet, target and seed → same result.
 *
 * - attack: d20 + the Strength hit adjustment (melee, PHB Table 1) or the Dexterity missile
 *   adjustment (PHB Table 2) must reach THAC0 − target AC (PHB Table 53). Damage is the
 *   weapon's PHB Table 44 dice vs S/M or vs L targets, plus the Strength damage adjustment
 *   for melee and thrown weapons; a hit always does at least 1 point.
 * - Natural 20 / 1 (`critRule`): 2e has no critical hits in the core rules. With `none`
 *   (the default) a natural 20 or 1 is just a number: it hits or misses by the arithmetic
 *   alone. With `double-damage` a natural 20 always hits and rolls the weapon's damage dice
 *   twice (the modifier is added once), and a natural 1 always misses.
 * - save: d20 ≥ the PHB Table 60 number for the sheet's class, level and race.
 * - ability_check: d20 roll-under — a roll at most the ability score succeeds.
 * - spell: cast from the sheet's `spells` list when it names the spell; otherwise a note.
 * - other: no roll.
 */
import type {
  ActionType,
  AttackResult,
  CharacterSheet,
  MechanicsResult,
  NarrativeHint,
  RulesOutput,
} from '../../contracts/action.ts';
import type { Rng } from '../../core/rng.ts';
import { monstersData, type MonsterData } from '../../data/monsters.ts';
import {
  abilityRow,
  type Ability,
  type DexterityRow,
  type StrengthRow,
} from '../../rules/abilities.ts';
import { rollDice, type DiceRoll } from '../../rules/dice.ts';
import { weapon as findWeapon, weapons, type WeaponRecord } from '../../rules/equipment.ts';
import { saveFor, type SaveCategory } from '../../rules/saves.ts';
import { thac0 as thac0For } from '../../rules/thac0.ts';

export type CritRule = 'none' | 'double-damage';
export type Size = 'T' | 'S' | 'M' | 'L' | 'H' | 'G';

/** What the action is aimed at, resolved by the caller (option, monster, stored entity). */
export interface ActionTarget {
  name?: string;
  ac?: number;
  acSource: 'option' | 'monster' | 'entity' | 'default';
  size: Size;
  monster?: MonsterData;
}

export interface ArbiterInput {
  action: string;
  sheet: CharacterSheet;
  target: ActionTarget;
  rng: Rng;
  critRule?: CritRule;
}

// ---------------------------------------------------------------------------------------------
// classification

interface Rule {
  type: ActionType;
  pattern: RegExp;
}

/** First match wins, so "cast" beats "attack" in "I cast magic missile at the orc". */
const CLASSIFY: readonly Rule[] = [
  {
    type: 'spell',
    pattern: /\b(cast|casts|casting|invoke|i pray for)\b|колду|заклинани|кастую|читаю свиток/iu,
  },
  {
    type: 'save',
    pattern: /\b(sav(e|es|ing)( throw)?|resist|withstand)\b|спас(бросок|аюсь)|сопротивля/iu,
  },
  {
    type: 'attack',
    pattern:
      /\b(attack|attacks|strike|strikes|hit|swing|slash|stab|shoot|fire (at|an arrow)|smite|charge|punch|kick|lunge)\b|атак|бью|ударю|удар|стреля|рублю|колю/iu,
  },
  {
    type: 'ability_check',
    pattern:
      /\b(check|strength|dexterity|constitution|intelligence|wisdom|charisma|lift|bend|force|push|balance|dodge|leap|jump|endure|recall|remember|notice|spot|persuade|convince|intimidate|charm)\b|проверк|сила|ловкост|мудрост|харизм|убеди|поднять|прыга/iu,
  },
];

export function classifyAction(text: string): ActionType {
  return CLASSIFY.find((r) => r.pattern.test(text))?.type ?? 'other';
}

const ABILITY_WORDS: readonly [Ability, RegExp][] = [
  ['str', /\b(str|strength|lift|bend|force|push|break|pull)\b|сил[аыу]|поднять|сломать/iu],
  ['dex', /\b(dex|dexterity|balance|dodge|leap|jump|catch|tumble)\b|ловкост|прыга|увернуть/iu],
  ['con', /\b(con|constitution|endure|hold (my|your) breath|stamina)\b|выносливост|телослож/iu],
  ['int', /\b(int|intelligence|recall|remember|decipher|know)\b|интеллект|вспомн/iu],
  ['wis', /\b(wis|wisdom|notice|spot|sense|perceive|listen)\b|мудрост|замет/iu],
  ['cha', /\b(cha|charisma|persuade|convince|intimidate|charm|bluff)\b|харизм|убеди/iu],
];

const SAVE_WORDS: readonly [SaveCategory, RegExp][] = [
  ['paralyzation', /paraly|poison|death|яд|отрав|паралич|смерт/iu],
  ['rod', /\b(rod|staff|wand)\b|жезл|посох|палочк/iu],
  ['petrification', /petrif|polymorph|stone|gaze|окамен|превращ/iu],
  ['breath', /breath|dragon|дыхани|дракон/iu],
  ['spell', /spell|magic|charm|заклинани|маги/iu],
];

// ---------------------------------------------------------------------------------------------
// targets and weapons

const MONSTERS_LONGEST_FIRST = [...monstersData.monsters].sort(
  (a, b) => b.name.length - a.name.length,
);

/** Russian names of a few common monsters, for "Я атакую гоблина". */
const MONSTER_WORDS_RU: Record<string, RegExp> = {
  goblin: /гоблин/iu,
  kobold: /кобольд/iu,
  orc: /\bорк|орка|орку|орком/iu,
  skeleton: /скелет/iu,
  zombie: /зомби/iu,
  troll: /тролл/iu,
  ogre: /огр/iu,
  'giant rat': /крыс/iu,
};

/** A monster of the rules data by exact name (case-insensitive). */
export function monsterByName(name: string): MonsterData | undefined {
  const key = name.trim().toLowerCase();
  return monstersData.monsters.find((m) => m.name === key);
}

/** The monster a text names ("the goblin", "the giant rats"), longest name first. */
export function monsterInText(text: string): MonsterData | undefined {
  const lower = text.toLowerCase();
  const found = MONSTERS_LONGEST_FIRST.find((m) =>
    new RegExp(`\\b${m.name.replace(/[-\s]/g, '[-\\s]')}s?\\b`).test(lower),
  );
  if (found !== undefined) return found;
  const ru = Object.entries(MONSTER_WORDS_RU).find(([, re]) => re.test(text));
  return ru === undefined ? undefined : monsterByName(ru[0]);
}

/** Generic weapon words and their Russian equivalents, matched against the inventory. */
const WEAPON_WORDS: readonly [string, RegExp][] = [
  ['sword', /\bsword|blade\b|меч|клинк/iu],
  ['axe', /\baxe\b|топор/iu],
  ['bow', /\bbow\b|\barrows?\b|лук|стрел/iu],
  ['crossbow', /crossbow|арбалет/iu],
  ['dagger', /\bdagger|\bknife|кинжал|нож/iu],
  ['hammer', /hammer|молот/iu],
  ['spear', /\bspear|копь|копьё/iu],
  ['mace', /\bmace|булав/iu],
  ['staff', /\bstaff\b|посох/iu],
  ['club', /\bclub\b|дубин/iu],
];

interface WeaponChoice {
  record?: WeaponRecord;
  name: string;
  launcher: boolean;
}

const WEAPON_NAMES_LONGEST_FIRST = weapons()
  .map((w) => w.name)
  .sort((a, b) => b.length - a.length);

function tryWeapon(name: string): WeaponChoice | undefined {
  try {
    const w = findWeapon(name.replace(/\s*[+-]\d+$/, ''));
    return { record: w.weapon, name: w.weapon.name, launcher: w.launcher };
  } catch {
    return undefined;
  }
}

/** The weapon the text names, else an inventory weapon matching its word, else the first one. */
export function chooseWeapon(text: string, inventory: readonly string[]): WeaponChoice {
  const lower = text.toLowerCase();
  const named = WEAPON_NAMES_LONGEST_FIRST.find((n) => lower.includes(n));
  if (named !== undefined) return tryWeapon(named)!;
  for (const alias of ['longsword', 'shortsword', 'broadsword', 'longbow', 'shortbow']) {
    if (lower.includes(alias)) return tryWeapon(alias)!;
  }
  const carried = inventory
    .map((item) => tryWeapon(item))
    .filter((w): w is WeaponChoice => w !== undefined);
  const word = WEAPON_WORDS.find(([, re]) => re.test(text));
  if (word !== undefined) {
    const match = carried.find((w) => w.name.includes(word[0]));
    if (match !== undefined) return match;
    const generic = tryWeapon(word[0] === 'sword' ? 'long sword' : word[0]);
    if (generic !== undefined) return generic;
  }
  return carried[0] ?? { name: 'unarmed', launcher: false };
}

// ---------------------------------------------------------------------------------------------
// resolution

function strengthScore(sheet: CharacterSheet): string {
  const a = sheet.abilities;
  if (a.str_exceptional === undefined) return String(a.str);
  return `18/${a.str_exceptional === 100 ? '00' : String(a.str_exceptional).padStart(2, '0')}`;
}

/** Roll one die group with an extra modifier; the DiceRoll's total stays dice + modifier. */
function rollWith(notation: string, modifier: number, rng: Rng): DiceRoll {
  const r = rollDice(notation, rng);
  r.modifier += modifier;
  r.total += modifier;
  if (modifier !== 0) r.notation = `${r.notation}${modifier > 0 ? '+' : ''}${modifier}`;
  return r;
}

function doubleDice(notation: string): string {
  const m = /^(\d*)d(\d+)(.*)$/.exec(notation.trim())!;
  return `${Number(m[1] === '' ? 1 : m[1]) * 2}d${m[2]}${m[3]}`;
}

function resolveAttack(input: ArbiterInput, hints: NarrativeHint[]): AttackResult {
  const { sheet, target, rng } = input;
  const critRule = input.critRule ?? 'none';
  const notes: string[] = [];
  const weapon = chooseWeapon(input.action, sheet.inventory);
  if (weapon.record === undefined) hints.push('unarmed');
  const t = thac0For(sheet.class, sheet.level);
  const ac = target.ac ?? 10;
  if (target.ac === undefined) {
    hints.push('no_target_ac');
    notes.push('no target armour class given (--target-ac, --target or a monster name): AC 10');
  }
  const missile = weapon.launcher;
  const klass = { class: t.class ?? sheet.class };
  let hitAdj = 0;
  let dmgAdj = 0;
  if (missile) {
    hitAdj = (abilityRow('dex', sheet.abilities.dex).row as DexterityRow).missile;
  } else {
    const row = abilityRow('str', strengthScore(sheet), klass).row as StrengthRow;
    hitAdj = row.hit;
    dmgAdj = row.dmg;
  }
  const needed = t.thac0 - ac;
  const attackRoll = rollWith('1d20', hitAdj, rng);
  const natural = attackRoll.rolls[0]!;
  let hit = attackRoll.total >= needed;
  if (critRule === 'double-damage') {
    if (natural === 20 && !hit) notes.push('natural 20: hits whatever the target needs');
    if (natural === 1 && hit) notes.push('natural 1: misses whatever the roll needed');
    if (natural === 20) hit = true;
    if (natural === 1) hit = false;
  }
  const large = target.size === 'L' || target.size === 'H' || target.size === 'G';
  let dice: string;
  let weaponName = weapon.name;
  if (weapon.record === undefined) {
    dice = '1d2';
  } else if (missile) {
    const ammo = weapon.record.ammunition![0]!;
    dice = (large ? ammo.damage_l : ammo.damage_sm) ?? '1d2';
    weaponName = `${weapon.name} (${ammo.name})`;
  } else {
    dice = (large ? weapon.record.damage_l : weapon.record.damage_sm) ?? '1d2';
  }
  if (!/d/.test(dice)) dice = `1d1+${Number(dice) - 1}`;
  const critical = natural === 20 && hit && critRule === 'double-damage';
  let damageRoll: DiceRoll | undefined;
  let total = 0;
  if (hit) {
    damageRoll = rollWith(critical ? doubleDice(dice) : dice, dmgAdj, rng);
    total = Math.max(1, damageRoll.total);
    if (damageRoll.total < 1) notes.push('a hit always does at least 1 point of damage');
    if (critical) notes.push('critical (double-damage rule): the weapon dice rolled twice');
  }
  if (natural === 20 && hit) hints.push('critical_hit');
  if (natural === 1 && !hit) hints.push('fumble');
  if (critRule === 'none' && (natural === 20 || natural === 1)) {
    notes.push(
      `natural ${natural}: no automatic ${natural === 20 ? 'hit' : 'miss'} under 2e core rules (--crit-rule none)`,
    );
  }
  return {
    action_type: 'attack',
    attacker: sheet.name,
    ...(target.name === undefined ? {} : { target: target.name }),
    target_ac: ac,
    target_ac_source: target.ac === undefined ? 'default' : target.acSource,
    target_size: target.size,
    weapon: weaponName,
    attack: missile ? 'missile' : 'melee',
    thac0: t.thac0,
    needed,
    attack_roll: attackRoll,
    hit,
    ...(damageRoll === undefined ? {} : { damage_roll: damageRoll }),
    total_damage: total,
    is_critical: natural === 20,
    is_fumble: natural === 1,
    crit_rule: critRule,
    notes,
  };
}

function resolveSave(input: ArbiterInput): MechanicsResult & { success: boolean } {
  const { sheet, rng } = input;
  const found = SAVE_WORDS.find(([, re]) => re.test(input.action));
  const category = found?.[0] ?? 'spell';
  const notes = found === undefined ? ['no save category in the text: save vs spell'] : [];
  const s = saveFor(sheet.class, sheet.level, category, {
    ...(sheet.race === undefined ? {} : { race: sheet.race }),
    con: sheet.abilities.con,
  });
  const roll = rollDice('1d20', rng);
  return {
    action_type: 'save',
    category: s.category,
    label: s.label,
    needed: s.value,
    save_roll: roll,
    success: roll.total >= s.value,
    notes,
  };
}

function resolveAbilityCheck(input: ArbiterInput): MechanicsResult & { success: boolean } {
  const found = ABILITY_WORDS.find(([, re]) => re.test(input.action));
  const ability = found?.[0] ?? 'dex';
  const score = input.sheet.abilities[ability];
  const roll = rollDice('1d20', input.rng);
  return {
    action_type: 'ability_check',
    ability,
    score,
    check_roll: roll,
    success: roll.total <= score,
    notes: [
      ...(found === undefined ? ['no ability in the text: a Dexterity check'] : []),
      'roll-under: a d20 at most the ability score succeeds (DMG, ability checks)',
    ],
  };
}

function resolveSpell(input: ArbiterInput, hints: NarrativeHint[]): MechanicsResult {
  const known = input.sheet.spells ?? [];
  const lower = input.action.toLowerCase();
  const spell = [...known]
    .sort((a, b) => b.length - a.length)
    .find((s) => lower.includes(s.toLowerCase()));
  const asked =
    /\bcast(?:s|ing)?\s+(?:an?\s+|the\s+|my\s+)?([a-z' -]+?)(?:\s+(?:at|on|to|upon|against)\b|[.!]|$)/i.exec(
      input.action,
    )?.[1];
  if (spell !== undefined) {
    return {
      action_type: 'spell',
      spell,
      known: true,
      notes: ["cast from the sheet's spells; the DM applies its effect and the slot is used"],
    };
  }
  hints.push('spell_unknown');
  return {
    action_type: 'spell',
    ...(asked === undefined ? {} : { spell: asked.trim() }),
    known: false,
    notes: [
      known.length === 0
        ? 'the sheet lists no prepared or known spells; the DM decides'
        : `not among the sheet's spells (${known.join(', ')}); the DM decides`,
    ],
  };
}

/** Classify and resolve an action. Unknown classes and bad scores throw UsageError (exit 3). */
export function arbitrate(input: ArbiterInput): RulesOutput {
  const type = classifyAction(input.action);
  const hints: NarrativeHint[] = [];
  let mechanics: MechanicsResult;
  let success: boolean;
  switch (type) {
    case 'attack': {
      const a = resolveAttack(input, hints);
      mechanics = a;
      success = a.hit;
      break;
    }
    case 'save':
    case 'ability_check': {
      const r = type === 'save' ? resolveSave(input) : resolveAbilityCheck(input);
      mechanics = r;
      success = r.success;
      break;
    }
    case 'spell':
      mechanics = resolveSpell(input, hints);
      success = mechanics.action_type === 'spell' && mechanics.known;
      break;
    case 'other':
      hints.push('no_mechanics');
      mechanics = { action_type: 'other', message: 'No mechanics required' };
      success = true;
      break;
  }
  return { action_type: type, mechanics_result: mechanics, success, narrative_hints: hints };
}

/**
 * A monster's answer to an attack (used by the offline narrator): its first damaging attack
 * with its THAC0 against the character's armour class. Undefined when it has none.
 */
export function enemyCounterattack(
  monster: MonsterData,
  sheet: CharacterSheet,
  rng: Rng,
): { attacker: string; hit: boolean; damage: number } | undefined {
  const dice = monster.damage.find((d) => /^(\d+|\d*d\d+([+-]\d+)?)$/.test(d));
  if (dice === undefined) return undefined;
  const roll = rollDice('1d20', rng);
  const hit = roll.total >= monster.thac0 - sheet.armor_class;
  const damage = hit
    ? Math.max(1, rollDice(/d/.test(dice) ? dice : `1d1+${Number(dice) - 1}`, rng).total)
    : 0;
  return { attacker: monster.name, hit, damage };
}
