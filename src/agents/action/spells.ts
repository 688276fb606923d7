/**
 * Casting a spell in `dma action`: the catalogue entry (rules-data/spells.yaml), the checks
 * a DM makes before the dice (the class casts that kind of spell, has the sphere, can cast
 * its level, has it memorised), then its dice with the caster's level, each target's attack
 * roll or saving throw, and what the save does (half, negates).
 */
import type { CharacterSheet, MechanicsResult } from '../../contracts/action.ts';
import { npcSpellsTable } from '../../data/npc-spells.ts';
import { spellsTable, type LevelCount, type SpellData, type SpellDice } from '../../data/spells.ts';
import { classRecord, resolveClass, type ClassKey } from '../../rules/classes.ts';
import { rollDice, type DiceRoll } from '../../rules/dice.ts';
import type { SaveCategory } from '../../rules/saves.ts';
import { spellSlots } from '../../rules/spells.ts';
import { thac0 as thac0For } from '../../rules/thac0.ts';
import type { ArbiterEffects, ArbiterInput } from './arbiter.ts';
import {
  applyDamage,
  findEnemy,
  monsterSave,
  Refusal,
  sleepHd,
  type EnemyState,
} from './enemies.ts';

const BY_LENGTH = [...spellsTable.spells].sort((a, b) => b.name.length - a.name.length);

/** Every catalogue entry with this name (a few are both wizard and priest spells). */
export function catalogueSpells(name: string): SpellData[] {
  const key = name.trim().toLowerCase();
  return spellsTable.spells.filter((s) => s.name === key);
}

function levelCount(c: number | LevelCount, level: number): number {
  if (typeof c === 'number') return c;
  const n = (c.base ?? 0) + Math.floor((level - (c.offset ?? 0)) / c.per_levels);
  return Math.max(c.base ?? 0, c.max === undefined ? n : Math.min(c.max, n));
}

/** "5d6", "1d3+10", "5d4+5" for a caster level; instances = separate missiles. */
export function spellDice(d: SpellDice, level: number): { notation: string; instances: number } {
  const count = Math.max(1, levelCount(d.count, level));
  let bonus = 0;
  if (typeof d.bonus === 'number') bonus = d.bonus;
  else if (d.bonus !== undefined) {
    bonus = d.bonus.per_level * level;
    if (d.bonus.max !== undefined) bonus = Math.min(d.bonus.max, bonus);
  }
  bonus += (d.per_die ?? 0) * count;
  const instances = d.instances === undefined ? 1 : Math.max(1, levelCount(d.instances, level));
  return {
    notation: `${count}d${d.die}${bonus === 0 ? '' : bonus > 0 ? `+${bonus}` : bonus}`,
    instances,
  };
}

function describeDice(d: SpellDice): string {
  const count =
    typeof d.count === 'number'
      ? `${d.count}d${d.die}`
      : `${d.count.base === undefined ? '' : `${d.count.base}d${d.die} + `}1d${d.die} per ${d.count.per_levels === 1 ? 'level' : `${d.count.per_levels} levels`}${d.count.max === undefined ? '' : ` (max ${d.count.max}d${d.die})`}`;
  const per = d.per_die === undefined ? '' : ` +${d.per_die} per die`;
  const bonus =
    d.bonus === undefined
      ? ''
      : typeof d.bonus === 'number'
        ? ` +${d.bonus}`
        : ` +${d.bonus.per_level} per level${d.bonus.max === undefined ? '' : ` (max +${d.bonus.max})`}`;
  const inst =
    d.instances === undefined
      ? ''
      : typeof d.instances === 'number'
        ? `, ${d.instances} of them`
        : `, ${d.instances.base ?? 0} + 1 per ${d.instances.per_levels} levels${d.instances.offset ? ` beyond ${d.instances.offset}` : ''}${d.instances.max === undefined ? '' : ` (max ${d.instances.max})`}`;
  return `${count}${per}${bonus}${inst}`;
}

/** The caster's kind, the level it casts at, and the spheres it may use. */
function casterOf(sheet: CharacterSheet): {
  klass: ClassKey;
  kind: 'wizard' | 'priest' | undefined;
  casterLevel: number;
  maxSpellLevel?: number;
  spheres?: { major: string[]; minor: string[] };
  why?: string;
} {
  const klass = resolveClass(sheet.class);
  const group = classRecord(klass).group;
  if (group === 'wizard') return { klass, kind: 'wizard', casterLevel: sheet.level };
  if (klass === 'bard') {
    return sheet.level >= 2
      ? { klass, kind: 'wizard', casterLevel: sheet.level }
      : {
          klass,
          kind: undefined,
          casterLevel: 0,
          why: 'a bard casts wizard spells from 2nd level (PHB Chapter 3)',
        };
  }
  if (klass === 'cleric' || klass === 'druid') {
    const s = npcSpellsTable.spheres[klass];
    return {
      klass,
      kind: 'priest',
      casterLevel: sheet.level,
      ...(s === undefined ? {} : { spheres: { major: [...s.major], minor: [...s.minor] } }),
    };
  }
  if (klass === 'paladin') {
    return sheet.level >= 9
      ? {
          klass,
          kind: 'priest',
          casterLevel: sheet.level - 8,
          maxSpellLevel: 4,
          spheres: { major: ['combat', 'divination', 'healing', 'protection'], minor: [] },
        }
      : {
          klass,
          kind: undefined,
          casterLevel: 0,
          why: 'a paladin casts priest spells from 9th level (PHB Chapter 3)',
        };
  }
  if (klass === 'ranger') {
    return sheet.level >= 8
      ? {
          klass,
          kind: 'priest',
          casterLevel: sheet.level - 7,
          maxSpellLevel: 3,
          spheres: { major: ['plant', 'animal'], minor: [] },
        }
      : {
          klass,
          kind: undefined,
          casterLevel: 0,
          why: 'a ranger casts priest spells from 8th level (PHB Chapter 3)',
        };
  }
  return {
    klass,
    kind: undefined,
    casterLevel: 0,
    why: `a ${klass} casts no spells (PHB Chapter 3)`,
  };
}

const SAVE_CATEGORY: Record<string, SaveCategory> = {
  spell: 'spell',
  poison: 'paralyzation',
  death: 'paralyzation',
  paralyzation: 'paralyzation',
};

/** The spell a text names: the sheet's own spells first, then the catalogue. */
function spellInText(
  text: string,
  known: readonly string[],
): { name: string; onSheet: boolean } | undefined {
  const lower = text.toLowerCase();
  const sheet = [...known]
    .sort((a, b) => b.length - a.length)
    .find((s) => lower.includes(s.toLowerCase()));
  if (sheet !== undefined) return { name: sheet.toLowerCase(), onSheet: true };
  const cat = BY_LENGTH.find((s) => lower.includes(s.name));
  if (cat !== undefined) return { name: cat.name, onSheet: false };
  const asked =
    /\bcast(?:s|ing)?\s+(?:an?\s+|the\s+|my\s+)?([a-z' -]+?)(?:\s+(?:at|on|to|upon|against|over)\b|[.!]|$)/i.exec(
      text,
    )?.[1];
  return asked === undefined ? undefined : { name: asked.trim().toLowerCase(), onSheet: false };
}

type SpellMechanics = Extract<MechanicsResult, { action_type: 'spell' }>;
type SpellTarget = NonNullable<SpellMechanics['targets']>[number];

export function resolveSpell(
  input: ArbiterInput,
  effects: ArbiterEffects,
): { mechanics: MechanicsResult; success: boolean } {
  const { sheet, rng } = input;
  const known = sheet.spells ?? [];
  const named = spellInText(input.action, known);
  if (named === undefined) throw new Refusal('cast which spell? name it ("I cast sleep")');
  const caster = casterOf(sheet);
  if (caster.kind === undefined) throw new Refusal(caster.why!);
  const entries = catalogueSpells(named.name);
  const entry = entries.find((e) => e.class === caster.kind);
  if (entries.length > 0 && entry === undefined) {
    throw new Refusal(
      `${named.name} is a ${entries[0]!.class} spell; a ${caster.klass} cannot cast it (PHB Chapter 3)`,
    );
  }
  if (entry !== undefined) checkCastable(entry, caster, sheet);
  const copies = known.filter((s) => s.toLowerCase() === named.name).length;
  const reverseOf = entry?.reverse_of;
  const reverseCopies =
    reverseOf === undefined ? 0 : known.filter((s) => s.toLowerCase() === reverseOf).length;
  if (copies === 0 && reverseCopies === 0) {
    throw new Refusal(
      known.length === 0
        ? `${sheet.name} has no spells memorised (the sheet's spells list is empty)`
        : `${named.name} is not memorised (the sheet's spells: ${known.join(', ')})`,
    );
  }
  const usedName = copies > 0 ? named.name : reverseOf!;
  effects.spellUsed = usedName;
  const left = (copies > 0 ? copies : reverseCopies) - 1;
  const notes: string[] = [];
  if (entry === undefined) {
    notes.push(
      `${named.name} is memorised but not in dma's spell catalogue: the slot is used and the DM applies its effect`,
    );
    return {
      mechanics: {
        action_type: 'spell',
        spell: named.name,
        known: true,
        memorised_left: left,
        notes,
      },
      success: true,
    };
  }
  const level = caster.casterLevel;
  effects.explain.push(
    `${entry.name}: ${entry.class} spell of level ${entry.level} (${entry.source}); range ${entry.range}, duration ${entry.duration}, area ${entry.area}, casting time ${entry.casting_time}, save ${entry.save}`,
  );
  const result: SpellMechanics = {
    action_type: 'spell',
    spell: entry.name,
    known: true,
    class: entry.class,
    level: entry.level,
    caster_level: level,
    range: entry.range,
    duration: entry.duration,
    area: entry.area,
    casting_time: entry.casting_time,
    save: entry.save,
    memorised_left: left,
    sources: [entry.source],
    notes,
  };
  if (entry.healing !== undefined) {
    const { notation } = spellDice(entry.healing, level);
    const roll = rollDice(notation, rng);
    result.healing_roll = roll;
    result.total_healing = roll.total;
    effects.explain.push(
      `healing ${describeDice(entry.healing)} → ${notation} at caster level ${level}`,
    );
    const onOther = /\b(on|heal|touch)\s+(?!me\b|myself\b)([A-Z][a-z]+)/.exec(input.action);
    if (onOther === null || onOther[2] === sheet.name) {
      effects.heal = roll.total;
      notes.push('cast on the caster: hit points rise, never above the maximum');
    } else {
      notes.push(
        `cast on ${onOther[2]}: ${roll.total} hit points healed (that sheet is not changed)`,
      );
    }
    return { mechanics: result, success: true };
  }
  const targets = spellTargets(input, entry);
  if (entry.sleep_hd !== undefined) {
    sleep(entry, input, targets, result, notes);
    return { mechanics: result, success: true };
  }
  if (entry.damage !== undefined) {
    const { notation, instances } = spellDice(entry.damage, level);
    effects.explain.push(
      `damage ${describeDice(entry.damage)} → ${instances > 1 ? `${instances} × ` : ''}${notation} at caster level ${level}`,
    );
    const rolls: DiceRoll[] = [];
    for (let i = 0; i < instances; i++) rolls.push(rollDice(notation, rng));
    const total = rolls.reduce((s, r) => s + r.total, 0);
    if (instances > 1) result.damage_rolls = rolls;
    else result.damage_roll = rolls[0]!;
    result.total_damage = total;
    result.targets = targets.map((t) => hitTarget(t, entry, total, input, sheet));
    if (targets.length === 0) {
      notes.push(
        entry.save === 'half'
          ? 'no target in a stored fight: each creature in the area saves vs spell for half'
          : 'no target in a stored fight: the DM applies the damage',
      );
    }
    return { mechanics: result, success: true };
  }
  if (entry.save === 'negates' && targets.length > 0) {
    result.targets = targets.map((t) => conditionTarget(t, entry, input));
    return { mechanics: result, success: true };
  }
  notes.push(`the spell takes effect: ${entry.effect} The DM applies what the dice do not`);
  return { mechanics: result, success: true };
}

function checkCastable(
  entry: SpellData,
  caster: ReturnType<typeof casterOf>,
  sheet: CharacterSheet,
): void {
  if (caster.spheres !== undefined && entry.sphere !== undefined) {
    const major = entry.sphere.some((s) => caster.spheres!.major.includes(s));
    const minor = entry.sphere.some((s) => caster.spheres!.minor.includes(s));
    if (!major && !(minor && entry.level <= 3)) {
      throw new Refusal(
        `a ${caster.klass} has no ${minor ? 'major ' : ''}access to the ${entry.sphere.join('/')} sphere${minor ? ' (minor access stops at 3rd-level spells)' : ''} (PHB Chapter 3)`,
      );
    }
  }
  if (caster.maxSpellLevel !== undefined && entry.level > caster.maxSpellLevel) {
    throw new Refusal(
      `a ${caster.klass} casts priest spells up to level ${caster.maxSpellLevel} (PHB Chapter 3)`,
    );
  }
  if (caster.klass === 'bard' || caster.klass === 'paladin' || caster.klass === 'ranger') return;
  const slots = spellSlots(caster.klass, sheet.level, { wis: sheet.abilities.wis });
  const at = slots.spells.find((s) => s.spell_level === entry.level);
  if (at === undefined || at.total === 0) {
    throw new Refusal(
      `a ${sheet.level}th-level ${caster.klass} cannot cast ${entry.level}${entry.level === 1 ? 'st' : entry.level === 2 ? 'nd' : entry.level === 3 ? 'rd' : 'th'}-level spells (${caster.kind === 'wizard' ? 'PHB Table 21' : 'PHB Table 24'})`,
    );
  }
}

/** Which enemies of the fight a spell reaches: one for single targets, the named group else. */
function spellTargets(input: ArbiterInput, entry: SpellData): EnemyState[] {
  const enemies = input.enemies;
  if (enemies === undefined) return [];
  const active = enemies.filter((e) => e.status !== 'dead');
  if (active.length === 0) throw new Refusal('no enemy is left standing in this fight');
  const single =
    entry.attack !== undefined ||
    /^(1 |one |creature touched|1 target)/.test(entry.area) ||
    entry.name === 'magic missile';
  const named = findEnemy(enemies, input.action.replace(entry.name, ' '));
  if (single) {
    const t = named ?? active.find((e) => e.status === 'active') ?? active[0]!;
    if (t.status === 'dead') throw new Refusal(`${t.id} is already dead`);
    return [t];
  }
  const group = named === undefined ? active : active.filter((e) => e.name === named.name);
  return group;
}

function hitTarget(
  t: EnemyState,
  entry: SpellData,
  total: number,
  input: ArbiterInput,
  sheet: CharacterSheet,
): SpellTarget {
  const notes: string[] = [];
  if (entry.attack !== undefined) {
    const thac0 = thac0For(sheet.class, sheet.level).thac0;
    const needed = thac0 - t.ac;
    const roll = rollDice('1d20', input.rng);
    const hit = roll.total >= needed || t.status === 'asleep' || t.status === 'held';
    if (!hit) {
      return {
        name: t.id,
        attack_roll: roll,
        hit: false,
        damage: 0,
        effect: `the ${entry.attack} attack misses (needed ${needed})`,
      };
    }
    applyDamage(t, total, notes);
    return {
      name: t.id,
      attack_roll: roll,
      hit: true,
      damage: total,
      effect: `${total} damage${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  }
  if (entry.save === 'half' || entry.save === 'negates') {
    const cat = SAVE_CATEGORY[entry.save_vs ?? 'spell']!;
    const needed = monsterSave(t, cat);
    const roll = rollDice('1d20', input.rng);
    const saved = roll.total >= needed;
    const damage = saved ? (entry.save === 'half' ? Math.floor(total / 2) : 0) : total;
    applyDamage(t, damage, notes);
    return {
      name: t.id,
      save_needed: needed,
      save_roll: roll,
      saved,
      damage,
      effect: `${saved ? (entry.save === 'half' ? 'saves: half damage' : 'saves: negated') : 'fails its save: full damage'} (${damage})${notes.length ? `; ${notes.join('; ')}` : ''}`,
    };
  }
  applyDamage(t, total, notes);
  return {
    name: t.id,
    damage: total,
    effect: `${total} damage, no save${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

const CONDITION: Record<string, EnemyState['status']> = {
  'hold person': 'held',
  'hold monster': 'held',
  'charm person': 'charmed',
  'hold animal': 'held',
  fear: 'fled',
  scare: 'fled',
};

function conditionTarget(t: EnemyState, entry: SpellData, input: ArbiterInput): SpellTarget {
  const persons = entry.name === 'hold person' || entry.name === 'charm person';
  if (persons && !(t.tags.includes('humanoid') && ['T', 'S', 'M'].includes(t.size))) {
    return {
      name: t.id,
      effect: `not a person (human, demihuman or humanoid of man size or less): unaffected`,
    };
  }
  const cat = SAVE_CATEGORY[entry.save_vs ?? 'spell']!;
  const needed = monsterSave(t, cat);
  const roll = rollDice('1d20', input.rng);
  const saved = roll.total >= needed;
  const status = CONDITION[entry.name];
  if (!saved && status !== undefined && t.status === 'active') t.status = status;
  return {
    name: t.id,
    save_needed: needed,
    save_roll: roll,
    saved,
    effect: saved
      ? 'saves: negated'
      : status === undefined
        ? `fails its save: ${entry.effect}`
        : `fails its save: ${status}`,
  };
}

/** Sleep (PHB Appendix 3): 2d4 Hit Dice, the fewest Hit Dice first, 4+4 HD and up immune. */
function sleep(
  entry: SpellData,
  input: ArbiterInput,
  targets: EnemyState[],
  result: SpellMechanics,
  notes: string[],
): void {
  const roll = rollDice(entry.sleep_hd!, input.rng);
  result.damage_roll = roll;
  let budget = roll.total;
  const hdOf = sleepHd;
  const sorted = [...targets]
    .filter((t) => t.status === 'active')
    .sort((a, b) => hdOf(a.hd).whole - hdOf(b.hd).whole);
  const out: SpellTarget[] = [];
  for (const t of sorted) {
    const { whole, immune } = hdOf(t.hd);
    if (immune) {
      out.push({ name: t.id, effect: '4+4 Hit Dice or more: unaffected' });
      continue;
    }
    if (whole > budget) {
      out.push({ name: t.id, effect: 'stays awake (the Hit Dice are spent)' });
      continue;
    }
    budget -= whole;
    t.status = 'asleep';
    out.push({ name: t.id, effect: 'falls asleep (no save)' });
  }
  result.targets = out;
  notes.push(`${roll.total} Hit Dice of creatures put to sleep, the fewest Hit Dice first`);
  if (targets.length === 0) notes.push('no stored fight: the DM applies the Hit Dice rolled');
}
