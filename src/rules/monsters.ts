/**
 * The monster catalogue (rules-data/monsters.yaml, Monstrous Manual entries): lookup by
 * name with "did you mean", lists by dungeon level, habitat and tag, and the arithmetic a
 * DM does with a stat line (Hit Dice, hit points, movement, morale and intelligence words).
 */
import type { Rng } from '../core/rng.ts';
import { UsageError } from '../core/errors.ts';
import { suggest } from '../core/suggest.ts';
import { HABITATS } from '../core/vocabulary.ts';
import { monstersTable, type MonsterData } from '../data/monsters.ts';

export type Monster = MonsterData;
export type Habitat = Monster['habitat'][number];

export { HABITATS };

/** Every catalogue entry, in file order. */
export function allMonsters(): readonly Monster[] {
  return monstersTable.monsters;
}

let byKey: Map<string, Monster> | undefined;

/** Lower case, single spaces, no punctuation but hyphens: the form names are matched in. */
export function monsterKey(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .replace(/[^a-z0-9 '-]/g, '')
    .trim();
}

function index(): Map<string, Monster> {
  if (byKey) return byKey;
  byKey = new Map();
  for (const m of monstersTable.monsters) {
    byKey.set(m.name, m);
    byKey.set(m.name.replace(/-/g, ' '), m);
    for (const a of m.aliases ?? []) byKey.set(monsterKey(a), m);
  }
  return byKey;
}

/**
 * The catalogue entry a name means, or undefined: exact name or alias in any case, the
 * book's inverted form ("giant, hill" → "hill giant"), or a plural ("orcs", "wolves").
 */
export function findMonster(name: string): Monster | undefined {
  const map = index();
  const parts = name.split(',').map(monsterKey).filter(Boolean);
  const candidates = [parts.join(' ')];
  // the book's inverted form: "Giant, Hill" is the hill giant, "Rat, Giant" the giant rat
  if (parts.length === 2) candidates.push(`${parts[1]} ${parts[0]}`);
  for (const c of [...candidates]) {
    if (c.endsWith('ves')) candidates.push(`${c.slice(0, -3)}f`);
    if (c.endsWith('men')) candidates.push(`${c.slice(0, -3)}man`);
    if (c.endsWith('ies')) candidates.push(`${c.slice(0, -3)}y`);
    if (c.endsWith('es')) candidates.push(c.slice(0, -2));
    if (c.endsWith('s')) candidates.push(c.slice(0, -1));
  }
  for (const c of candidates) {
    const m = map.get(c) ?? map.get(c.replace(/-/g, ' '));
    if (m) return m;
  }
  return undefined;
}

/** Close names for an unknown input: edit distance, then names containing every word. */
export function suggestMonsters(input: string, max = 5): string[] {
  const key = monsterKey(input);
  const names = monstersTable.monsters.map((m) => m.name);
  const out = suggest(key, names, max);
  const words = key.split(' ').filter((w) => w.length >= 3);
  if (words.length > 0) {
    for (const n of names) {
      if (out.length >= max) break;
      const stems = words.map((w) =>
        w
          .replace(/ves$/, 'f')
          .replace(/(men)$/, 'man')
          .replace(/s$/, ''),
      );
      if (!out.includes(n) && stems.every((w) => n.includes(w))) out.push(n);
    }
  }
  return out;
}

/** The entry a name means; an unknown name is a UsageError (exit 3) with suggestions. */
export function resolveMonster(name: string): Monster {
  // no creature's name is longer than ~30 letters: a longer input gets no suggestions (the
  // edit distance is quadratic) and is quoted shortened
  const long = name.length > 64;
  const m = long ? undefined : findMonster(name);
  if (m) return m;
  const close = long ? [] : suggestMonsters(name);
  const shown = long ? `${name.trim().slice(0, 60)}…` : name.trim();
  const mean =
    close.length === 0
      ? ''
      : close.length === 1
        ? ` — did you mean "${close[0]}"?`
        : ` — did you mean ${close.map((c) => `"${c}"`).join(', ')}?`;
  throw new UsageError(`unknown monster "${shown}"${mean}`, {
    hint: 'list them with `dma monster --list` (filter with --level, --habitat, --tag)',
    details: { suggestions: close },
  });
}

export interface MonsterFilter {
  /** dungeon level 1-10: the creature's level band contains it */
  level?: number;
  habitat?: Habitat;
  /** a kind tag: undead, humanoid, vermin, ooze, ... */
  tag?: string;
}

/** Catalogue entries matching every given filter, in file order. */
export function listMonsters(filter: MonsterFilter = {}): Monster[] {
  return monstersTable.monsters.filter(
    (m) =>
      (filter.level === undefined || (m.level[0] <= filter.level && filter.level <= m.level[1])) &&
      (filter.habitat === undefined || m.habitat.includes(filter.habitat)) &&
      (filter.tag === undefined || m.tags.includes(filter.tag)),
  );
}

/** Monsters stocked on a dungeon level. */
export function monstersForLevel(level: number, habitat?: Habitat): Monster[] {
  return listMonsters(habitat === undefined ? { level } : { level, habitat });
}

/** Every kind tag used in the catalogue, sorted. */
export function monsterTags(): string[] {
  return [...new Set(monstersTable.monsters.flatMap((m) => m.tags))].sort();
}

// ---------------------------------------------------------------------------------------
// Hit Dice and hit points

export interface HitDice {
  /** whole dice (0 for "1/2" and for hit-point values) */
  dice: number;
  /** hit points added (negative for "1-1"); the least of a rolled bonus ("12+1-2 hp") */
  bonus: number;
  /** the most of a rolled bonus ("12+1-2 hp": 2) */
  bonus_max?: number;
  /** true for fractional Hit Dice such as "1/2" */
  fraction: boolean;
  /** the hit-point range a creature of these Hit Dice has */
  hp_min: number;
  hp_max: number;
}

/**
 * Parse "1/2", "1-1", "4", "4+4", "2 hp" or "1-4 hp"; "special" (a mold, destroyed by
 * the means its entry names rather than by hit points) is one hit point.
 */
export function parseHitDice(hd: string): HitDice {
  if (hd === 'special') return { dice: 0, bonus: 0, fraction: true, hp_min: 1, hp_max: 1 };
  const hp = /^(\d+)(?:-(\d+))? hp$/.exec(hd);
  if (hp) {
    const lo = Number(hp[1]);
    const hi = hp[2] === undefined ? lo : Number(hp[2]);
    return { dice: 0, bonus: 0, fraction: true, hp_min: lo, hp_max: hi };
  }
  const giant = /^(\d+)\+(\d+)-(\d+) hp$/.exec(hd);
  if (giant) {
    // a giant's "12+1-2 hp": 12 dice plus 1-2 hit points (the bonus is rolled)
    const dice = Number(giant[1]);
    const lo = Number(giant[2]);
    const hi = Number(giant[3]);
    return {
      dice,
      bonus: lo,
      bonus_max: hi,
      fraction: false,
      hp_min: dice + lo,
      hp_max: dice * 8 + hi,
    };
  }
  const frac = /^(\d+)\/(\d+)$/.exec(hd);
  if (frac) {
    // 1/2 HD is 1d4 hit points; 1/4 HD 1d2
    const max = Math.max(1, Math.round((8 * Number(frac[1])) / Number(frac[2])));
    return { dice: 0, bonus: 0, fraction: true, hp_min: 1, hp_max: max };
  }
  const m = /^(\d+)([+-]\d+)?$/.exec(hd);
  if (!m) throw new RangeError(`hit dice "${hd}" are not of the form N, N+M, N-M, 1/2 or "N hp"`);
  const dice = Number(m[1]);
  const bonus = m[2] === undefined ? 0 : Number(m[2]);
  return {
    dice,
    bonus,
    fraction: false,
    hp_min: Math.max(1, dice + bonus),
    hp_max: Math.max(1, dice * 8 + bonus),
  };
}

/**
 * The Hit Dice used to read creature THAC0 (DMG Table 39): 3 or more added hit points
 * count as another die; "N-M" counts as one die less; fractions and hit points are 0.
 */
export function thac0HitDice(hd: string): number {
  const { dice, bonus, fraction } = parseHitDice(hd);
  if (fraction) return 0;
  if (bonus < 0) return dice - 1;
  return dice + (bonus >= 3 ? 1 : 0);
}

/** Hit Dice as a number for difficulty sums: "1/2" is 0.5, "4+4" is 5 (like THAC0). */
export function effectiveHitDice(hd: string): number {
  const { fraction } = parseHitDice(hd);
  return fraction ? 0.5 : Math.max(thac0HitDice(hd), 1);
}

/**
 * Roll hit points: d8 per die plus the bonus, at least 1; a fractional die is 1d4 (1/2)
 * or 1d2 (1/4); a hit-point range is rolled evenly across it.
 */
export function rollHitPoints(hd: string, rng: Rng): number {
  const p = parseHitDice(hd);
  if (p.fraction) return p.hp_min + rng.die(p.hp_max - p.hp_min + 1) - 1;
  let hp = p.bonus_max === undefined ? p.bonus : p.bonus + rng.die(p.bonus_max - p.bonus + 1) - 1;
  for (let i = 0; i < p.dice; i++) hp += rng.die(8);
  return Math.max(1, hp);
}

/** Average hit points (4.5 per die plus the bonus), rounded down; fixed hp when given. */
export function averageHitPoints(m: Pick<Monster, 'hd' | 'hp'>): number {
  if (m.hp !== undefined) return m.hp;
  const p = parseHitDice(m.hd);
  if (p.fraction) return Math.floor((p.hp_min + p.hp_max) / 2);
  const bonus = p.bonus_max === undefined ? p.bonus : (p.bonus + p.bonus_max) / 2;
  return Math.max(1, Math.floor(p.dice * 4.5 + bonus));
}

// ---------------------------------------------------------------------------------------
// movement, morale, intelligence, treasure

export interface Movement {
  base: number;
  fly?: number;
  /** manoeuvrability class A (best) to E */
  fly_class?: string;
  swim?: number;
  burrow?: number;
  web?: number;
  climb?: number;
  jump?: number;
}

const MODES: Record<string, keyof Movement> = {
  Fl: 'fly',
  Sw: 'swim',
  Br: 'burrow',
  Wb: 'web',
  Cl: 'climb',
  Jp: 'jump',
  Hop: 'jump',
};
const MODE_WORDS: Record<string, string> = {
  fly: 'fly',
  swim: 'swim',
  burrow: 'burrow',
  web: 'in webs',
  climb: 'climb',
  jump: 'jump',
};

/** "9, Fl 15 (C)" → { base: 9, fly: 15, fly_class: 'C' }; a creature with no ground move has base 0. */
export function parseMovement(mv: string): Movement {
  const out: Movement = { base: 0 };
  for (const part of mv.split(',').map((s) => s.trim())) {
    const m = /^(?:(Fl|Sw|Br|Wb|Cl|Jp|Hop) )?(\d+)(?: \(([A-E])\))?$/.exec(part);
    if (!m) throw new RangeError(`movement "${mv}" is not of the form "9, Fl 15 (C)"`);
    const key = m[1] === undefined ? 'base' : MODES[m[1]]!;
    (out as unknown as Record<string, number | string>)[key] = Number(m[2]);
    if (m[3] !== undefined) out.fly_class = m[3];
  }
  return out;
}

/** Movement in words: "9; fly 15 (class C)". */
export function describeMovement(mv: string): string {
  const p = parseMovement(mv);
  const other = Object.keys(p).some((k) => k !== 'base' && k !== 'fly_class');
  // a creature that only flies or swims has no ground rate to print
  const parts = p.base === 0 && other ? [] : [String(p.base)];
  for (const key of ['fly', 'swim', 'burrow', 'web', 'climb', 'jump'] as const) {
    const v = p[key];
    if (v === undefined) continue;
    parts.push(
      `${MODE_WORDS[key]} ${v}${key === 'fly' && p.fly_class ? ` (class ${p.fly_class})` : ''}`,
    );
  }
  return parts.join('; ');
}

const MORALE_WORDS: [number, string][] = [
  [4, 'unreliable'],
  [7, 'unsteady'],
  [10, 'average'],
  [12, 'steady'],
  [14, 'elite'],
  [16, 'champion'],
  [18, 'fanatic'],
  [20, 'fearless'],
];

/** The DMG morale rating of an MM morale value ("14" → "elite"); "special" stays. */
export function moraleRating(morale: string): string {
  if (morale === 'special') return 'special';
  const hi = Number(morale.split('-').pop());
  const lo = Number(morale.split('-')[0]);
  const word = (n: number) => MORALE_WORDS.find(([max]) => n <= max)?.[1] ?? 'fearless';
  return word(lo) === word(hi) ? word(lo) : `${word(lo)} to ${word(hi)}`;
}

const INT_WORDS: [number, string][] = [
  [0, 'non-intelligent'],
  [1, 'animal'],
  [4, 'semi-intelligent'],
  [7, 'low'],
  [10, 'average'],
  [12, 'very'],
  [14, 'highly'],
  [16, 'exceptional'],
  [18, 'genius'],
  [20, 'supra-genius'],
];

/** The MM intelligence word of a score or range ("5-7" → "low"). */
export function intelligenceRating(intelligence: string): string {
  const lo = Number(intelligence.split('-')[0]);
  const hi = Number(intelligence.split('-').pop());
  const word = (n: number) => INT_WORDS.find(([max]) => n <= max)?.[1] ?? 'godlike';
  return word(lo) === word(hi) ? word(lo) : `${word(lo)} to ${word(hi)}`;
}

/** The treasure letters as the book prints them: "Q (D)", individual then lair in parentheses. */
export function treasureLine(m: Pick<Monster, 'treasure'>): string {
  const fmt = (t: string) => t.replace(/x(\d+)$/, '×$1');
  const ind = m.treasure.individual.map(fmt).join(', ');
  const lair = m.treasure.lair.map(fmt).join(', ');
  if (!ind && !lair) return 'nil';
  if (!lair) return ind;
  return ind ? `${ind} (lair ${lair})` : `lair ${lair}`;
}

/**
 * Treasure letters for rolling, multipliers expanded ("Qx5" → five "Q"): the lair's when
 * `inLair`, otherwise only what each creature carries.
 */
export function treasureRolls(m: Pick<Monster, 'treasure'>, inLair: boolean): string[] {
  const expand = (t: string) => {
    const x = /^([A-Z])x(\d+)$/.exec(t);
    return x ? Array.from({ length: Number(x[2]) }, () => x[1]!) : [t];
  };
  return [...m.treasure.individual, ...(inLair ? m.treasure.lair : [])].flatMap(expand);
}

/** Hit Dice as printed, with fixed hit points when the book gives them: "9 (40 hp)". */
export function hitDiceLine(m: Pick<Monster, 'hd' | 'hp'>): string {
  return m.hp === undefined ? m.hd : `${m.hd} (${m.hp} hp)`;
}

/** Damage per attack as a stat line prints it; runs of 3+ equal entries once: "special ×8/1d2". */
export function damageLine(damage: readonly string[]): string {
  const runs: string[] = [];
  for (let i = 0; i < damage.length;) {
    let j = i;
    while (j < damage.length && damage[j] === damage[i]) j++;
    runs.push(j - i > 2 ? `${damage[i]} ×${j - i}` : damage.slice(i, j).join('/'));
    i = j;
  }
  return runs.length === 0 ? 'nil' : runs.join('/');
}

/**
 * The dice each attack rolls, for combat: "by weapon" becomes the creature's usual weapon
 * (`weapon_damage`, plus any "+N"); "special" (no dice damage) stays "special".
 */
export function attackDice(m: Pick<Monster, 'damage' | 'weapon_damage'>): string[] {
  return m.damage.map((d) => {
    const w = /^by weapon(?: ([+-]\d+))?$/.exec(d);
    if (!w) return d;
    const base = m.weapon_damage ?? '1d6';
    return w[1] === undefined ? base : `${base}${w[1]}`;
  });
}
