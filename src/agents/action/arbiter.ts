/**
 * The Rules Arbiter (original design 003, agent #1): classifies a player's action
 * (classify.ts) and resolves it by the PHB's named mechanics with a seeded RNG. No LLM, no
 * I/O: same text, sheet, target, encounter and seed → same result.
 *
 * - attack: the sheet's own weapon (a weapon the text names must be carried, else the action
 *   is refused). Melee: d20 + Strength hit adjustment (PHB Table 1); missile: + Dexterity
 *   missile adjustment (PHB Table 2) + range band (PHB Table 45: short 0, medium −2, long −5);
 *   two weapons: −2 primary / −4 off hand, offset by the Dexterity reaction adjustment (PHB
 *   Chapter 9). Must reach THAC0 − AC (PHB Table 53). Damage by PHB Table 44 (vs S/M or L)
 *   plus the Strength damage adjustment for melee and thrown weapons, at least 1 on a hit.
 *   Natural 20/1 (`critRule`): nothing special under 2e core rules (`none`); with
 *   `double-damage` a 20 always hits with the dice doubled and a 1 always misses.
 * - thief skills: d100 at or under the character's percentage (PHB Tables 26–29).
 * - bend bars/lift gates: d100 at or under PHB Table 1's percentage; open doors: d20 at or
 *   under Table 1's number (the parenthesised one for locked, barred or held doors).
 * - save: d20 ≥ PHB Table 60 with the save's real outcome (breath: half damage; petrification,
 *   paralyzation, poison, death magic: negates; spells as the spell says).
 * - turn undead: PHB Table 61 (clerics; paladins two levels lower from 3rd level).
 * - spell: rules-data/spells.yaml (spells.ts); refused unless memorised and castable.
 * - ability check: d20 at or under the score (proficiency-style check).
 * - refused: impossible actions, missing weapons/spells/skills. dm_call: no roll resolves it.
 */
import type {
  ActionType,
  AttackResult,
  CharacterSheet,
  MechanicsResult,
  NarrativeHint,
  RollModifier,
  RulesOutput,
} from '../../contracts/action.ts';
import type { Rng } from '../../core/rng.ts';
import { missileRangesTable } from '../../data/missile-ranges.ts';
import { monstersTable, type MonsterData } from '../../data/monsters.ts';
import { spellsTable } from '../../data/spells.ts';
import { thiefSkillsTable } from '../../data/thief-skills.ts';
import {
  abilityRow,
  type Ability,
  type DexterityRow,
  type StrengthRow,
} from '../../rules/abilities.ts';
import { classRecord, resolveClass } from '../../rules/classes.ts';
import { rollDice, type DiceRoll } from '../../rules/dice.ts';
import { weapon as findWeapon, weapons, type WeaponRecord } from '../../rules/equipment.ts';
import { saveFor, type SaveCategory } from '../../rules/saves.ts';
import { thac0 as thac0For } from '../../rules/thac0.ts';
import { findMonster } from '../../rules/monsters.ts';
import { thiefSkills } from '../../rules/thief-skills.ts';
import { resolveUndead, turnUndead } from '../../rules/turn-undead.ts';
import {
  classifyAction,
  doorIsLocked,
  impossibleReason,
  strengthFeatOf,
  thiefSkillOf,
} from './classify.ts';
import { applyDamage, effectiveHd, findEnemy, Refusal, type EnemyState } from './enemies.ts';

export { Refusal };
import { resolveSpell } from './spells.ts';

export { classifyAction };

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
  /** distance to the target in yards (--range); else read from the text */
  rangeYards?: number;
  /** the enemies of the stored fight, mutated in place by the action (hp, status) */
  enemies?: EnemyState[];
}

/** What an action changed besides the enemies: healing, a memorised spell used up. */
export interface ArbiterEffects {
  heal: number;
  spellUsed?: string;
  /** derivation lines for --explain: tables with citations, adjustments */
  explain: string[];
}

// ---------------------------------------------------------------------------------------------
// targets and weapons

const MONSTERS_LONGEST_FIRST = [...monstersTable.monsters].sort(
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

/** A monster of the rules data by exact name (case-insensitive, a plural "s" allowed). */
export function monsterByName(name: string): MonsterData | undefined {
  return findMonster(name);
}

/** The monster a text names ("the goblin", "the giant rats"), longest name first. */
export function monsterInText(text: string): MonsterData | undefined {
  const lower = text.toLowerCase();
  const found = MONSTERS_LONGEST_FIRST.find((m) =>
    new RegExp(`\\b${m.name.replace(/[-\s]/g, '[-\\s]')}(s|es)?\\b`).test(lower),
  );
  if (found !== undefined) return found;
  const ru = Object.entries(MONSTER_WORDS_RU).find(([, re]) => re.test(text));
  return ru === undefined ? undefined : monsterByName(ru[0]);
}

/** Generic weapon words (and Russian ones) → the weapon names they can mean. */
const WEAPON_WORDS: readonly [RegExp, (name: string) => boolean][] = [
  [/\bcrossbow|арбалет/iu, (n) => n.includes('crossbow')],
  [/\bbow\b|\barrows?\b|лук\b|луком|из лука|стрел/iu, (n) => / bow$/.test(n)],
  [/\bsling\b|пращ/iu, (n) => n.endsWith('sling')],
  [/\bsword\b|\bblade\b|меч|клинк/iu, (n) => n.includes('sword') || n === 'scimitar'],
  [/\baxe\b|топор/iu, (n) => n.includes('axe')],
  [/\bdagger|\bknife|кинжал|нож/iu, (n) => n === 'dagger' || n === 'knife' || n === 'dirk'],
  [/\bhammer|молот/iu, (n) => n.includes('hammer')],
  [/\bspear|копь|копьё/iu, (n) => n === 'spear'],
  [/\bmace|булав/iu, (n) => n.includes('mace')],
  [/\bstaff\b|посох/iu, (n) => n === 'quarterstaff'],
  [/\bclub\b|дубин/iu, (n) => n === 'club'],
  [/\bjavelin|дротик/iu, (n) => n === 'javelin'],
  [/\bdarts?\b/iu, (n) => n === 'dart'],
  [/\bflail|цеп/iu, (n) => n.includes('flail')],
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

/** The weapons on a sheet's inventory, in inventory order. */
export function carriedWeapons(inventory: readonly string[]): WeaponChoice[] {
  return inventory.map((item) => tryWeapon(item)).filter((w): w is WeaponChoice => w !== undefined);
}

/** Weapons the text names, in the order the text names them: Table 44 names and generic words. */
function namedWeapons(
  text: string,
): { pos: number; exact?: string; word?: string; f?: (n: string) => boolean }[] {
  let lower = text.toLowerCase();
  const found: { pos: number; exact?: string; word?: string; f?: (n: string) => boolean }[] = [];
  for (const alias of ['longsword', 'shortsword', 'broadsword', 'longbow', 'shortbow']) {
    const i = lower.indexOf(alias);
    if (i >= 0) {
      found.push({ pos: i, exact: tryWeapon(alias)!.name });
      lower = lower.replace(alias, ' '.repeat(alias.length));
    }
  }
  for (const n of WEAPON_NAMES_LONGEST_FIRST) {
    const m = new RegExp(`\\b${n.replace(/[()]/g, '\\$&')}\\b`).exec(lower);
    if (m !== null) {
      found.push({ pos: m.index, exact: n });
      lower = lower.slice(0, m.index) + ' '.repeat(n.length) + lower.slice(m.index + n.length);
    }
  }
  for (const [re, f] of WEAPON_WORDS) {
    const m = re.exec(lower);
    if (m !== null) found.push({ pos: m.index, word: m[0].trim(), f });
  }
  return found.sort((a, b) => a.pos - b.pos);
}

/**
 * The weapon(s) the text means, from the sheet: the carried weapon the text names (exactly or
 * by a word like "bow"), else for a missile verb the first carried launcher or throwable, else
 * the first carried melee weapon, else unarmed. `missing` names a weapon the text asks for
 * that the sheet does not carry.
 */
export function chooseWeapon(
  text: string,
  inventory: readonly string[],
): WeaponChoice & { missing?: string; all?: WeaponChoice[] } {
  const carried = carriedWeapons(inventory);
  const chosen: WeaponChoice[] = [];
  for (const named of namedWeapons(text)) {
    const c =
      named.exact !== undefined
        ? carried.find((w) => w.name === named.exact && !chosen.includes(w))
        : carried.find((w) => named.f!(w.name) && !chosen.includes(w));
    if (c === undefined) {
      if (named.exact === undefined && chosen.length > 0) continue;
      const missing = named.exact ?? named.word!;
      return { ...(tryWeapon(missing) ?? { name: missing, launcher: false }), missing };
    }
    chosen.push(c);
  }
  if (chosen.length > 0) return { ...chosen[0]!, all: chosen };
  if (/\b(shoot|shoots|fire|loose)\b|стреля/iu.test(text)) {
    const launcher = carried.find((w) => w.launcher);
    if (launcher !== undefined) return launcher;
    return { name: 'missile weapon', launcher: true, missing: 'missile weapon' };
  }
  if (/\b(throw|throws|hurl|hurls)\b|метаю|бросаю/iu.test(text)) {
    const thrown = carried.find((w) => !w.launcher && rangeRow(w.name) !== undefined);
    if (thrown !== undefined) return thrown;
    return { name: 'throwing weapon', launcher: false, missing: 'throwing weapon' };
  }
  const melee = carried.find((w) => !w.launcher);
  return melee ?? carried[0] ?? { name: 'unarmed', launcher: false };
}

function rangeRow(weaponName: string, ammunition?: string) {
  return missileRangesTable.weapons.find(
    (r) => r.weapon === weaponName && (ammunition === undefined || r.ammunition === ammunition),
  );
}

// ---------------------------------------------------------------------------------------------
// helpers

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

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/** "at 80 yards", "from 60 ft", "30 feet away" → yards. */
export function rangeInText(text: string): number | undefined {
  const m = /(\d+)\s*(yards?|yds?|ярд\S*|feet|foot|ft|фут\S*|m|метр\S*)\b/iu.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (/^(feet|foot|ft|фут)/u.test(unit)) return Math.ceil(n / 3);
  if (/^(m|метр)/u.test(unit)) return Math.round(n * 1.094);
  return n;
}

// ---------------------------------------------------------------------------------------------
// attacks

interface AttackPlan {
  weapon: WeaponChoice;
  /** a thrown melee weapon (dagger, spear, …) */
  thrown: boolean;
  penalty?: RollModifier;
}

/**
 * The attacker's ability adjustments (PHB Tables 1 and 2): Dexterity to hit with a missile
 * (and Strength to a thrown weapon's damage), else Strength to hit and to damage.
 */
function abilityAdjustments(
  sheet: CharacterSheet,
  klass: { class: string },
  plan: AttackPlan,
  missile: boolean,
  sources: string[],
): { modifiers: RollModifier[]; dmgAdj: number } {
  const modifiers: RollModifier[] = [];
  let dmgAdj = 0;
  const strRow = abilityRow('str', strengthScore(sheet), klass).row as StrengthRow;
  if (missile) {
    const dex = (abilityRow('dex', sheet.abilities.dex).row as DexterityRow).missile;
    if (dex !== 0)
      modifiers.push({
        label: `Dexterity ${sheet.abilities.dex} missile adjustment`,
        value: dex,
        source: 'PHB Table 2',
      });
    if (plan.thrown) dmgAdj = strRow.dmg;
    sources.push('PHB Table 2 (Dexterity)');
  } else {
    if (strRow.hit !== 0)
      modifiers.push({
        label: `Strength ${strengthScore(sheet)} hit probability`,
        value: strRow.hit,
        source: 'PHB Table 1',
      });
    dmgAdj = strRow.dmg;
    sources.push('PHB Table 1 (Strength)');
  }
  return { modifiers, dmgAdj };
}

/**
 * A missile's range band (PHB Table 45) from --range or the text, short assumed when none
 * is given; a Refusal beyond long range, inside a weapon's minimum, or for a melee weapon
 * that is not thrown. Its modifier joins `modifiers`.
 */
function missileRange(
  input: ArbiterInput,
  plan: AttackPlan,
  record: WeaponRecord,
  modifiers: RollModifier[],
  sources: string[],
  notes: string[],
): AttackResult['range'] {
  const weapon = plan.weapon;
  const ammo = record.ammunition?.[0]?.name;
  const row = rangeRow(weapon.name, ammo);
  if (row === undefined) {
    if (plan.thrown) throw new Refusal(`a ${weapon.name} is not a throwing weapon (PHB Table 45)`);
    return undefined;
  }
  sources.push('PHB Table 45 (missile ranges)');
  const yards = input.rangeYards ?? rangeInText(input.action);
  const m = missileRangesTable.modifiers;
  let band: 'short' | 'medium' | 'long';
  if (yards === undefined) {
    band = row.short === null ? 'medium' : 'short';
    notes.push(
      `no distance given (--range or "at 60 yards"): ${band} range assumed (PHB Table 45: ${row.short === null ? '—' : row.short * 10}/${row.medium * 10}/${row.long * 10} yards)`,
    );
  } else if (yards > row.long * 10) {
    throw new Refusal(
      `${yards} yards is beyond the ${weapon.name}'s long range of ${row.long * 10} yards (PHB Table 45)`,
    );
  } else if (row.short === null && yards < 30) {
    throw new Refusal(
      `a ${weapon.name} cannot be used closer than 30 yards (PHB Table 45: no short range)`,
    );
  } else if (row.short !== null && yards <= row.short * 10) band = 'short';
  else if (yards <= row.medium * 10) band = 'medium';
  else band = 'long';
  if (m[band] !== 0)
    modifiers.push({ label: `${band} range`, value: m[band], source: 'PHB Table 45' });
  return { band, ...(yards === undefined ? {} : { yards }), modifier: m[band] };
}

/**
 * Whether the attack hits: the roll against the number needed; a sleeping or held enemy
 * is hit automatically (PHB Chapter 9); under the double-damage rule a natural 20 always
 * hits and a natural 1 always misses.
 */
function attackHits(
  rolledEnough: boolean,
  natural: number,
  enemy: EnemyState | undefined,
  critRule: CritRule,
  notes: string[],
): boolean {
  let hit = rolledEnough;
  const helpless = enemy !== undefined && (enemy.status === 'asleep' || enemy.status === 'held');
  if (helpless) {
    hit = true;
    notes.push(
      `${enemy.id} is ${enemy.status}: a magically sleeping or held creature is hit automatically (PHB Chapter 9)`,
    );
  }
  if (critRule === 'double-damage') {
    if (natural === 20 && !hit) notes.push('natural 20: hits whatever the target needs');
    if (natural === 1 && hit && !helpless) notes.push('natural 1: misses whatever the roll needed');
    if (natural === 20) hit = true;
    if (natural === 1 && !helpless) hit = false;
  }
  return hit;
}

/** The weapon's damage dice against a target's size (PHB Table 44; a launcher's, its ammunition's). */
function damageDice(weapon: WeaponChoice, large: boolean): { dice: string; weaponName: string } {
  let dice: string;
  let weaponName = weapon.name;
  if (weapon.record === undefined) {
    dice = '1d2';
  } else if (weapon.launcher) {
    const ammo = weapon.record.ammunition![0]!;
    dice = (large ? ammo.damage_l : ammo.damage_sm) ?? '1d2';
    weaponName = `${weapon.name} (${ammo.name})`;
  } else {
    dice = (large ? weapon.record.damage_l : weapon.record.damage_sm) ?? '1d2';
  }
  if (!/d/.test(dice)) dice = `1d1+${Number(dice) - 1}`;
  return { dice, weaponName };
}

function resolveOneAttack(
  input: ArbiterInput,
  plan: AttackPlan,
  enemy: EnemyState | undefined,
  hints: NarrativeHint[],
  explain: string[],
): AttackResult {
  const { sheet, target, rng } = input;
  const critRule = input.critRule ?? 'none';
  const notes: string[] = [];
  const sources = ['PHB Table 53 (THAC0)', 'PHB Table 44 (weapons)'];
  const weapon = plan.weapon;
  if (weapon.record === undefined) hints.push('unarmed');
  const t = thac0For(sheet.class, sheet.level);
  const ac = enemy?.ac ?? target.ac ?? 10;
  if (enemy === undefined && target.ac === undefined) {
    hints.push('no_target_ac');
    notes.push('no target armour class given (--target-ac, --target or a monster name): AC 10');
  }
  const missile = weapon.launcher || plan.thrown;
  const klass = { class: t.class ?? sheet.class };
  const { modifiers, dmgAdj } = abilityAdjustments(sheet, klass, plan, missile, sources);
  const range =
    missile && weapon.record !== undefined
      ? missileRange(input, plan, weapon.record, modifiers, sources, notes)
      : undefined;
  if (plan.penalty !== undefined) modifiers.push(plan.penalty);
  const hitAdj = modifiers.reduce((s, m) => s + m.value, 0);
  const needed = t.thac0 - ac;
  const attackRoll = rollWith('1d20', hitAdj, rng);
  const natural = attackRoll.rolls[0]!;
  const hit = attackHits(attackRoll.total >= needed, natural, enemy, critRule, notes);
  const size = enemy?.size ?? target.size;
  const large = size === 'L' || size === 'H' || size === 'G';
  const { dice, weaponName } = damageDice(weapon, large);
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
  if (weapon.launcher && !sheetHasAmmunition(sheet, weapon)) {
    notes.push(`the sheet lists no ammunition for the ${weapon.name}; the DM may want it tracked`);
  }
  explain.push(
    `${weaponName}: THAC0 ${t.thac0} (PHB Table 53, ${sheet.class} ${sheet.level}) − AC ${ac} = ${needed} needed on d20${modifiers.map((m) => `; ${m.label} ${signed(m.value)} (${m.source})`).join('')}`,
    `damage ${dice}${dmgAdj === 0 ? '' : ` ${signed(dmgAdj)} Strength (PHB Table 1)`} vs ${large ? 'large' : 'small/medium'} (PHB Table 44); weapon speed ${weapon.record?.speed ?? 1}`,
  );
  if (enemy !== undefined && hit) applyDamage(enemy, total, notes);
  return {
    action_type: 'attack',
    attacker: sheet.name,
    ...(enemy !== undefined
      ? { target: enemy.id }
      : target.name === undefined
        ? {}
        : { target: target.name }),
    target_ac: ac,
    target_ac_source:
      enemy !== undefined ? 'monster' : target.ac === undefined ? 'default' : target.acSource,
    target_size: size,
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
    ...(modifiers.length === 0 ? {} : { modifiers }),
    ...(range === undefined ? {} : { range }),
    ...(weapon.record?.speed === undefined ? {} : { speed: weapon.record.speed }),
    sources,
    notes,
  };
}

function sheetHasAmmunition(sheet: CharacterSheet, weapon: WeaponChoice): boolean {
  const ammo = (weapon.record?.ammunition ?? []).map((a) => a.name.split(' ').pop()!);
  return sheet.inventory.some((item) =>
    ammo.some((a) => item.toLowerCase().includes(a.replace(/s$/, ''))),
  );
}

const SIZE_ORDER: Record<string, number> = { T: 0, S: 1, M: 2, L: 3, H: 4, G: 5 };

function resolveAttack(
  input: ArbiterInput,
  hints: NarrativeHint[],
  explain: string[],
): AttackResult {
  const { sheet } = input;
  const choice = chooseWeapon(input.action, sheet.inventory);
  if (choice.missing !== undefined) {
    const carried = carriedWeapons(sheet.inventory).map((w) => w.name);
    throw new Refusal(
      `${sheet.name} carries no ${choice.missing}${carried.length === 0 ? ' (no weapons on the sheet)' : ` (weapons on the sheet: ${carried.join(', ')})`}`,
    );
  }
  const enemy = input.enemies === undefined ? undefined : targetEnemy(input);
  const thrown =
    !choice.launcher && /\b(throw|throws|hurl|hurls)\b|метаю|бросаю/iu.test(input.action);
  const twoWeapons =
    (choice.all?.length ?? 0) >= 2 ||
    /\b(two weapons|both weapons|both blades|each hand|off[- ]hand|dual[- ]wield)/iu.test(
      input.action,
    );
  if (!twoWeapons || choice.launcher || thrown) {
    return resolveOneAttack(input, { weapon: choice, thrown }, enemy, hints, explain);
  }
  // PHB Chapter 9, "Attacking with Two Weapons"
  const melee = carriedWeapons(sheet.inventory).filter((w) => !w.launcher);
  const primary = choice.all?.[0] ?? melee[0];
  const secondary = choice.all?.[1] ?? melee.find((w) => w !== primary);
  if (primary === undefined || secondary === undefined) {
    throw new Refusal(`fighting with two weapons needs two melee weapons on the sheet`);
  }
  const light = (w: WeaponChoice) => w.name === 'dagger' || w.name === 'knife';
  if (
    !light(secondary) &&
    SIZE_ORDER[secondary.record?.size ?? 'M']! >= SIZE_ORDER[primary.record?.size ?? 'M']!
  ) {
    throw new Refusal(
      `the off-hand weapon must be smaller than the primary one (or a dagger or knife): ${secondary.name} is not smaller than ${primary.name} (PHB Chapter 9)`,
    );
  }
  const klass = resolveClass(sheet.class);
  const reaction = (abilityRow('dex', sheet.abilities.dex).row as DexterityRow).reaction;
  const ranger = klass === 'ranger';
  const penalty = (base: number): RollModifier | undefined => {
    if (ranger) return undefined;
    const value = Math.min(0, base + reaction);
    return {
      label: `two weapons (${base}${reaction > 0 ? `, Dexterity reaction +${reaction}` : reaction < 0 ? `, Dexterity reaction ${reaction}` : ''})`,
      value,
      source: 'PHB Chapter 9, Table 2',
    };
  };
  const p1 = penalty(-2);
  const p2 = penalty(-4);
  const first = resolveOneAttack(
    input,
    { weapon: primary, thrown: false, ...(p1 === undefined ? {} : { penalty: p1 }) },
    enemy,
    hints,
    explain,
  );
  const secondEnemy =
    enemy !== undefined && enemy.status === 'dead' && input.enemies !== undefined
      ? input.enemies.find((e) => e.status === 'active' && e.name === enemy.name)
      : enemy;
  const second = resolveOneAttack(
    input,
    { weapon: secondary, thrown: false, ...(p2 === undefined ? {} : { penalty: p2 }) },
    secondEnemy,
    hints,
    explain,
  );
  if (ranger) first.notes.push('a ranger fights with two weapons without penalty (PHB Chapter 3)');
  const { action_type: _a, ...secondFields } = second;
  return { ...first, second_attack: { action_type: 'attack', ...secondFields } };
}

/** The enemy the text aims at in the stored fight, or the first one standing. */
function targetEnemy(input: ArbiterInput): EnemyState {
  const enemies = input.enemies!;
  const named = findEnemy(enemies, input.action);
  const mentioned = monsterInText(input.action);
  if (named === undefined && mentioned !== undefined) {
    throw new Refusal(
      `there is no ${mentioned.name} in this fight (${enemies.map((e) => `${e.id}: ${e.status}`).join(', ')})`,
    );
  }
  const chosen = named ?? enemies.find((e) => e.status === 'active');
  if (chosen === undefined) throw new Refusal('no enemy is left standing in this fight');
  if (chosen.status === 'dead') {
    throw new Refusal(`${chosen.id} is already dead`);
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// thief skills, feats of strength, saves, turning, ability checks

function armourWorn(sheet: CharacterSheet): string {
  const inv = sheet.inventory.map((i) => i.toLowerCase());
  if (inv.some((i) => /elven chain/.test(i))) return 'elven chain';
  if (inv.some((i) => /studded|padded/.test(i))) return 'padded or studded leather';
  if (inv.some((i) => /\bleather( armou?r)?\b/.test(i) && !/studded/.test(i))) return 'leather';
  const heavy = inv.find((i) => /\b(mail|plate|brigandine|hide|splint|banded|scale)\b/.test(i));
  return heavy ?? 'none';
}

function resolveThiefSkill(
  input: ArbiterInput,
  explain: string[],
): MechanicsResult & {
  success: boolean;
} {
  const { sheet, rng } = input;
  const skill = thiefSkillOf(input.action);
  const klass = resolveClass(sheet.class);
  const label = thiefSkillsTable.skills.find((s) => s.key === skill)!.label;
  if (klass !== 'thief' && klass !== 'bard') {
    if (skill === 'open_locks' || skill === 'pick_pockets') {
      throw new Refusal(
        `${label} is a thief's skill (PHB Chapter 3, Table 26); a ${klass} cannot use it`,
      );
    }
    return {
      action_type: 'dm_call',
      reason: `a ${klass} has no ${label} skill (PHB Table 26 is for thieves): the DM decides, perhaps with an ability check`,
      notes: [],
    } as unknown as MechanicsResult & { success: boolean };
  }
  const r = thiefSkills(sheet.level, {
    class: klass,
    dex: sheet.abilities.dex,
    ...(sheet.race === undefined ? {} : { race: sheet.race }),
  });
  const line = r.skills.find((s) => s.skill === skill);
  if (line === undefined) {
    throw new Refusal(`a bard has no ${label} skill (PHB Table 33)`);
  }
  const armour = armourWorn(sheet);
  const table29 = thiefSkillsTable.armour;
  const notes = [
    'the sheet has no skill-point split: dma’s typical allocation (rules-data/thief-skills.yaml) is used',
  ];
  let armourAdj = 0;
  if (table29 !== undefined) {
    if (table29.columns[armour] !== undefined) armourAdj = table29.columns[armour]![skill];
    else if (!table29.baseline.includes(armour)) {
      throw new Refusal(
        `a thief in ${armour} cannot use thieving skills (PHB Chapter 3; Table 29 covers no armour, leather, padded/studded leather and elven chain)`,
      );
    }
  }
  const chance = Math.max(0, Math.min(95, line.total + armourAdj));
  if (line.total + armourAdj > 95) notes.push('no thieving skill exceeds 95% (PHB Chapter 3)');
  const roll = rollDice('1d100', rng);
  const sources = [
    'PHB Table 26 (base scores)',
    'PHB Table 27 (racial adjustments)',
    'PHB Table 28 (Dexterity adjustments)',
    'PHB Table 29 (armour adjustments)',
  ];
  explain.push(
    `${label}: base ${line.base} + typical points ${line.allocated} (PHB Table 26) ${signed(line.racial)} ${r.race} (PHB Table 27) ${signed(line.dex)} Dexterity ${sheet.abilities.dex} (PHB Table 28) ${signed(armourAdj)} ${armour} (PHB Table 29) = ${chance}%; d100 at or under succeeds`,
  );
  return {
    action_type: 'thief_skill',
    skill,
    label,
    chance,
    skill_roll: roll,
    success: roll.total <= chance,
    sources,
    notes,
  };
}

function resolveStrengthFeat(
  input: ArbiterInput,
  explain: string[],
): MechanicsResult & {
  success: boolean;
} {
  const { sheet, rng } = input;
  const feat = strengthFeatOf(input.action);
  const score = strengthScore(sheet);
  const row = abilityRow('str', score, { class: sheet.class }).row as StrengthRow;
  const notes: string[] = [];
  if (feat === 'bend_bars') {
    const roll = rollDice('1d100', rng);
    explain.push(
      `Bend Bars/Lift Gates: Strength ${score} → ${row.bend_bars_pct}% (PHB Table 1); d100 at or under succeeds`,
    );
    if (row.bend_bars_pct <= 5)
      notes.push('a failed attempt may not be retried (PHB Chapter 1, Strength)');
    return {
      action_type: 'strength_feat',
      feat,
      strength: score,
      chance: row.bend_bars_pct,
      die: 'd100',
      feat_roll: roll,
      success: roll.total <= row.bend_bars_pct,
      sources: ['PHB Table 1 (Strength: Bend Bars/Lift Gates)'],
      notes,
    };
  }
  const locked = doorIsLocked(input.action);
  const chance = locked ? (row.open_doors_locked ?? 0) : row.open_doors;
  if (locked)
    notes.push(
      row.open_doors_locked === null
        ? `a locked, barred or magically held door: Strength ${score} has no chance (PHB Table 1 gives a number in parentheses only from 18/91)`
        : 'a locked, barred or magically held door: the number in parentheses',
    );
  notes.push('each try takes a round; the door may be tried again (PHB Chapter 1, Strength)');
  const roll = rollDice('1d20', rng);
  explain.push(
    `Open Doors: Strength ${score} → ${chance}${locked ? ' (locked/barred/held column)' : ''} (PHB Table 1); d20 at or under succeeds`,
  );
  return {
    action_type: 'strength_feat',
    feat,
    strength: score,
    chance,
    die: 'd20',
    feat_roll: roll,
    success: roll.total <= chance,
    sources: ['PHB Table 1 (Strength: Open Doors)'],
    notes,
  };
}

const SAVE_WORDS: readonly [SaveCategory, RegExp][] = [
  ['breath', /breath|dragon|дыхани|дракон/iu],
  ['petrification', /petrif|polymorph|stone|gaze|basilisk|medusa|окамен|превращ/iu],
  ['rod', /\b(rod|staff|wand)\b|жезл|посох|палочк/iu],
  ['paralyzation', /paraly|poison|death|venom|ghoul|яд|отрав|паралич|смерт/iu],
  ['spell', /spell|magic|charm|заклинани|маги/iu],
];

/** What a successful save does, by category (PHB Chapter 9, "Saving Throws"). */
const SAVE_OUTCOME: Record<SaveCategory, { success: string; failure: string }> = {
  breath: {
    success: 'half damage from the breath weapon',
    failure: 'full damage from the breath weapon',
  },
  petrification: {
    success: 'the petrification or polymorph is negated',
    failure: 'turned to stone or transformed',
  },
  paralyzation: {
    success: 'the poison, paralysis or death magic is negated (some poisons still harm on a save)',
    failure: 'the full effect: paralysed, poisoned or slain as the source says',
  },
  rod: {
    success: 'the device’s effect as its description says for a save (often half damage or none)',
    failure: 'the device’s full effect',
  },
  spell: {
    success: 'as the spell says: negated, or half damage',
    failure: 'the spell’s full effect',
  },
};

function resolveSave(
  input: ArbiterInput,
  explain: string[],
): MechanicsResult & {
  success: boolean;
} {
  const { sheet, rng } = input;
  const found = SAVE_WORDS.find(([, re]) => re.test(input.action));
  const category = found?.[0] ?? 'spell';
  const notes = found === undefined ? ['no save category in the text: save vs spell'] : [];
  const poison = /poison|venom|яд|отрав/iu.test(input.action);
  const s = saveFor(sheet.class, sheet.level, poison ? 'poison' : category, {
    ...(sheet.race === undefined ? {} : { race: sheet.race }),
    con: sheet.abilities.con,
  });
  const roll = rollDice('1d20', rng);
  const success = roll.total >= s.value;
  let outcome = SAVE_OUTCOME[s.category][success ? 'success' : 'failure'];
  const spellWord = /\bagainst (?:the |a |an |his |her |its )?([a-z' ]+?)(?: spell)?$/i.exec(
    input.action.replace(/[.!?]+$/, ''),
  )?.[1];
  if (s.category === 'spell' && spellWord !== undefined) {
    const spell = findCatalogueSpell(spellWord);
    if (spell !== undefined) {
      const what =
        spell.save === 'half'
          ? 'half damage'
          : spell.save === 'negates'
            ? 'negated'
            : 'as the spell describes';
      outcome = success ? `${spell.name}: ${what}` : `${spell.name}: full effect`;
    }
  }
  for (const a of s.result.adjustments) {
    notes.push(`${a.label} ${signed(-a.value)} to the number needed (${a.source})`);
  }
  explain.push(
    `save vs ${s.label}: ${sheet.class} ${sheet.level} needs ${s.value} on d20 (PHB Table 60${s.result.adjustments.length > 0 ? ', with racial adjustments' : ''}); a success means ${SAVE_OUTCOME[s.category].success}`,
  );
  return {
    action_type: 'save',
    category: s.category,
    label: s.label,
    needed: s.value,
    save_roll: roll,
    success,
    outcome,
    sources: ['PHB Table 60 (saving throws)', 'PHB Chapter 9 (Saving Throws)'],
    notes,
  };
}

function findCatalogueSpell(text: string) {
  return spellNamesLongestFirst().find((s) => text.toLowerCase().includes(s.name));
}

let SPELLS_SORTED: { name: string; save: string }[] | undefined;
function spellNamesLongestFirst() {
  if (SPELLS_SORTED === undefined) {
    // spells.ts owns the catalogue; a tiny index here keeps save outcomes by name
    SPELLS_SORTED = spellIndex();
  }
  return SPELLS_SORTED;
}
function spellIndex() {
  return [...spellsTable.spells]
    .map((s) => ({ name: s.name, save: s.save }))
    .sort((a, b) => b.name.length - a.name.length);
}

const UNDEAD_WORDS =
  /\b(skeletons?|zombies?|ghouls?|shadows?|wights?|ghasts?|wraiths?|mumm(?:y|ies)|spectres?|specters?|vampires?|ghosts?|liche?s?)\b/iu;

function resolveTurn(
  input: ArbiterInput,
  explain: string[],
): MechanicsResult & {
  success: boolean;
} {
  const { sheet, rng } = input;
  const klass = resolveClass(sheet.class);
  if (klass !== 'cleric' && klass !== 'paladin') {
    throw new Refusal(
      `only clerics (and paladins from 3rd level) turn undead (PHB Chapter 3); a ${klass} cannot`,
    );
  }
  let word = UNDEAD_WORDS.exec(input.action)?.[1];
  let targets: EnemyState[] = [];
  if (input.enemies !== undefined) {
    const undead = input.enemies.filter((e) => e.status === 'active' && e.tags.includes('undead'));
    if (undead.length === 0) throw new Refusal('no undead stands in this fight to turn');
    const first =
      word === undefined
        ? undead[0]!
        : (undead.find((e) => word!.toLowerCase().startsWith(e.name)) ?? undead[0]!);
    word ??= first.name;
    targets = undead.filter((e) => e.name === first.name);
  }
  if (word === undefined) {
    throw new Refusal('turn which undead? name it ("I turn the skeletons")');
  }
  let key: string;
  try {
    key = resolveUndead(word.toLowerCase());
  } catch {
    // an undead of the catalogue not in Table 61 by name: by its Hit Dice (Table 61 rows)
    const hd = targets[0] === undefined ? 1 : effectiveHd(targets[0].hd);
    key =
      hd <= 1
        ? 'skeleton'
        : hd === 2
          ? 'ghoul'
          : hd <= 4
            ? 'shadow'
            : hd === 5
              ? 'wight'
              : hd === 6
                ? 'wraith'
                : hd === 7
                  ? 'mummy'
                  : hd === 8
                    ? 'spectre'
                    : hd === 9
                      ? 'vampire'
                      : hd === 10
                        ? 'ghost'
                        : 'lich';
  }
  if (sheet.level < 3 && klass === 'paladin') {
    throw new Refusal('a paladin turns undead from 3rd level (PHB Chapter 3)');
  }
  const t = turnUndead(sheet.level, key, { class: klass });
  const entry = t.entries[0]!;
  const cell = entry.result;
  const notes = [...t.derivation.notes];
  explain.push(
    `turning ${entry.label}: priest level ${t.priest_level}, column ${t.column} (PHB Table 61) → ${entry.meaning}`,
  );
  const sources = ['PHB Table 61 (turning undead)'];
  if (cell === null) {
    return {
      action_type: 'turn_undead',
      undead: entry.undead,
      priest_level: t.priest_level,
      cell: null,
      result: 'cannot',
      success: false,
      sources,
      notes: [...notes, 'too powerful for this priest: no roll'],
    };
  }
  let turnRoll: DiceRoll | undefined;
  let works = true;
  if (typeof cell === 'number') {
    turnRoll = rollDice('1d20', rng);
    works = turnRoll.total >= cell;
  }
  let affectedRoll: DiceRoll | undefined;
  let result: 'turned' | 'destroyed' | 'failed' = 'failed';
  if (works) {
    affectedRoll = rollDice(cell === 'D*' ? '2d6' : '2d6', rng);
    result = cell === 'D' || cell === 'D*' ? 'destroyed' : 'turned';
    notes.push(
      `${affectedRoll.total} undead affected (2d6, PHB Chapter 9 "Turning Undead")${cell === 'D*' ? '; D*: 2d4 more are destroyed as well' : ''}`,
    );
    let n = affectedRoll.total;
    for (const e of targets) {
      if (n <= 0) break;
      e.status = result === 'destroyed' ? 'dead' : 'turned';
      if (result === 'destroyed') e.hp = 0;
      n--;
    }
  }
  return {
    action_type: 'turn_undead',
    undead: entry.undead,
    priest_level: t.priest_level,
    cell,
    ...(turnRoll === undefined ? {} : { turn_roll: turnRoll }),
    ...(affectedRoll === undefined ? {} : { affected_roll: affectedRoll }),
    result,
    success: works,
    sources,
    notes,
  };
}

const ABILITY_WORDS: readonly [Ability, RegExp][] = [
  ['str', /\b(str|strength|lift|push|break|pull)\b|сил[аыу]|поднять|сломать/iu],
  ['dex', /\b(dex|dexterity|balance|dodge|leap|jump|catch|tumble)\b|ловкост|прыга|увернуть/iu],
  ['con', /\b(con|constitution|endure|hold (my|your) breath|stamina)\b|выносливост|телослож/iu],
  ['int', /\b(int|intelligence|recall|remember|decipher|know)\b|интеллект|вспомн/iu],
  ['wis', /\b(wis|wisdom|notice|spot|sense|perceive)\b|мудрост|замет/iu],
  ['cha', /\b(cha|charisma|persuade|convince|intimidate|charm|bluff)\b|харизм|убеди/iu],
];

function resolveAbilityCheck(
  input: ArbiterInput,
  explain: string[],
): MechanicsResult & {
  success: boolean;
} {
  const found = ABILITY_WORDS.find(([, re]) => re.test(input.action));
  const ability = found?.[0] ?? 'dex';
  const score = input.sheet.abilities[ability];
  const roll = rollDice('1d20', input.rng);
  explain.push(
    `${ability} check: d20 at or under ${score} succeeds (PHB Chapter 5: checks against an ability score)`,
  );
  return {
    action_type: 'ability_check',
    ability,
    score,
    check_roll: roll,
    success: roll.total <= score,
    sources: ['PHB Chapter 5 (ability checks, as for proficiencies)'],
    notes: [
      ...(found === undefined ? ['no ability in the text: a Dexterity check'] : []),
      'roll-under: a d20 at most the ability score succeeds',
    ],
  };
}

// ---------------------------------------------------------------------------------------------

/** Classify and resolve an action. Unknown classes and bad scores throw UsageError (exit 3). */
export function arbitrateFull(input: ArbiterInput): {
  rules: RulesOutput;
  effects: ArbiterEffects;
} {
  const type = classifyAction(input.action);
  const hints: NarrativeHint[] = [];
  const effects: ArbiterEffects = { heal: 0, explain: [] };
  let mechanics: MechanicsResult;
  let success: boolean;
  try {
    switch (type) {
      case 'refused':
        throw new Refusal(impossibleReason(input.action)!);
      case 'attack': {
        const a = resolveAttack(input, hints, effects.explain);
        mechanics = a;
        success = a.hit || (a.second_attack?.hit ?? false);
        break;
      }
      case 'thief_skill':
      case 'strength_feat':
      case 'save':
      case 'ability_check':
      case 'turn_undead': {
        const fn = {
          thief_skill: resolveThiefSkill,
          strength_feat: resolveStrengthFeat,
          save: resolveSave,
          ability_check: resolveAbilityCheck,
          turn_undead: resolveTurn,
        }[type];
        const r = fn(input, effects.explain);
        mechanics = r;
        success = r.action_type === 'dm_call' ? false : r.success;
        if (r.action_type === 'dm_call') hints.push('dm_call');
        break;
      }
      case 'spell': {
        const s = resolveSpell(input, effects);
        mechanics = s.mechanics;
        success = s.success;
        break;
      }
      case 'dm_call':
        hints.push('dm_call');
        mechanics = {
          action_type: 'dm_call',
          reason:
            'no PHB mechanic resolves this by a roll: the DM describes what happens, or calls for an ability check',
          notes: [],
        };
        success = false;
        break;
    }
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    hints.length = 0;
    hints.push('refused');
    mechanics = { action_type: 'refused', reason: err.message, notes: [] };
    success = false;
  }
  return {
    rules: {
      action_type: mechanics.action_type as ActionType,
      mechanics_result: mechanics,
      success,
      narrative_hints: hints,
    },
    effects,
  };
}

export function arbitrate(input: ArbiterInput): RulesOutput {
  return arbitrateFull(input).rules;
}

/** The class group's casting: used by spells.ts and the refusals. */
export function casterGroup(className: string): string {
  return classRecord(resolveClass(className)).group;
}
