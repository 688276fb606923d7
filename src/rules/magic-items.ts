/**
 * Named magical items rolled on the DMG tables (rules-data/magic-items.yaml, DMG
 * Appendix 2, Tables 88-110), treasure-type magic (DMG Table 84) and NPC magic items.
 * Pure: every roll comes from the injected seeded Rng, so a seed reproduces the items.
 */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import type { Rng } from '../core/rng.ts';
import {
  magicItemsTable,
  type MagicCategory,
  type MagicItemData,
  type UsableBy,
} from '../data/magic-items.ts';
import { treasureTable } from '../data/treasure.ts';

export type { MagicCategory, UsableBy };

export type ClassGroup = 'warrior' | 'priest' | 'rogue' | 'wizard';

/** One roll made on the way to an item (an audit trail for --explain and the roll log). */
export type ItemRoll = {
  table: string;
  die: number;
  roll: number;
  result: string;
};

/** A rolled item, ready for a DM's key. */
export interface RolledMagicItem {
  /** true name (DM-facing): "long sword +2", "ring of contrariness" */
  name: string;
  /** what players are told until the item is identified (differs for cursed items) */
  appears_as: string;
  category: MagicCategory;
  /** the DMG table it came from, e.g. "DMG Table 89" */
  source: string;
  /** that table's title */
  table: string;
  /** DMG XP value; null where the DMG gives none (cursed) */
  xp: number | null;
  /** gp value (1e DMG sale value, or our estimate when `gp_estimated`) */
  gp: number;
  gp_estimated: boolean;
  cursed: boolean;
  /** the class groups or classes that can use it; ["any"] for everyone */
  usable_by: (UsableBy | 'any')[];
  /** charges rolled for this item (wands, rods, staves, some rings) */
  charges?: number;
  /** how many (arrows, bolts, bullets) */
  quantity?: number;
  /** the spells on a spell scroll */
  spells?: { kind: 'wizard' | 'priest'; levels: number[] };
  summary: string;
  rolls: ItemRoll[];
}

/** Where a treasure line draws its items from (rules-data/treasure.yaml `items[].from`). */
export type MagicPool =
  | 'any'
  | 'any-except-weapons'
  | 'armor-or-weapon'
  | 'potion'
  | 'scroll'
  | 'ring'
  | 'rod-staff-wand'
  | 'miscellaneous'
  | 'armor'
  | 'weapon'
  | 'map';

const data = magicItemsTable;

/** item rows by table id */
const BY_TABLE = new Map<string, MagicItemData[]>();
for (const item of data.items) {
  let list = BY_TABLE.get(item.table);
  if (!list) BY_TABLE.set(item.table, (list = []));
  list.push(item);
}

const inRange = (r: readonly [number, number], n: number) => n >= r[0] && n <= r[1];

function rollOn(rng: Rng, rolls: ItemRoll[], table: string, die: number): number {
  const roll = rng.die(die);
  rolls.push({ table, die, roll, result: '' });
  return roll;
}

function note(rolls: ItemRoll[], result: string): void {
  rolls[rolls.length - 1]!.result = result;
}

/** Roll dice notation "2d6", "1d20+80", "27" (rules data only, already validated). */
function rollCount(expr: string, rng: Rng): number {
  const m = /^(\d*)d(\d+)([+-]\d+)?$/.exec(expr);
  if (!m) return Number(expr);
  const n = m[1] === '' ? 1 : Number(m[1]);
  let total = m[3] === undefined ? 0 : Number(m[3]);
  for (let i = 0; i < n; i++) total += rng.die(Number(m[2]));
  return total;
}

function tableDef(id: string) {
  const t = data.tables[id];
  if (!t) throw new RangeError(`magic item table ${id} is not in magic-items.yaml`);
  return t;
}

function fromRow(row: MagicItemData, rng: Rng, rolls: ItemRoll[]): RolledMagicItem {
  const t = tableDef(row.table);
  const item: RolledMagicItem = {
    name: row.name,
    appears_as: row.appears_as ?? row.name,
    category: t.category,
    source: t.source,
    table: t.title,
    xp: row.xp,
    gp: row.gp,
    gp_estimated: row.gp_estimated ?? false,
    cursed: row.cursed ?? false,
    usable_by: row.usable_by ? [...row.usable_by] : ['any'],
    summary: row.summary,
    rolls,
  };
  if (row.variants) {
    const r = rollOn(rng, rolls, `${row.name}: kind (d100)`, 100);
    const v = row.variants.find((x) => inRange(x.roll, r))!;
    note(rolls, v.suffix);
    item.name = `${row.name} ${v.suffix}`;
    if (row.appears_as === undefined) item.appears_as = item.name;
    if (v.xp !== undefined) item.xp = v.xp;
    if (v.gp !== undefined) item.gp = v.gp;
  }
  if (row.charges !== undefined) item.charges = Math.max(1, rollCount(row.charges, rng));
  const scroll = data.scroll_spells.entries.find((e) => e.item === row.name);
  if (scroll) {
    const roll = rollOn(rng, rolls, 'scroll: wizard or priest (d100)', 100);
    const kind = roll <= data.scroll_spells.wizard_chance ? 'wizard' : 'priest';
    note(rolls, kind);
    const [lo, hi] = kind === 'wizard' ? scroll.wizard_levels : scroll.priest_levels;
    const levels: number[] = [];
    for (let i = 0; i < scroll.spells; i++) levels.push(rng.int(lo, hi));
    levels.sort((a, b) => a - b);
    item.spells = { kind, levels };
    item.name = `${kind} scroll (${levels.length === 1 ? '1 spell' : `${levels.length} spells`}: level ${levels.join(', ')})`;
    item.appears_as = item.name;
    item.usable_by = kind === 'wizard' ? ['wizard'] : ['priest'];
    const total = levels.reduce((a, b) => a + b, 0);
    // the 2e DMG prints no XP for spell scrolls: 1e DMG values, 100 XP and 300 gp per spell level
    item.xp = 100 * total;
    item.gp = 300 * total;
  }
  return item;
}

/** Roll one item on a named table (a magic-items.yaml `tables` id, or armor/weapons). */
export function rollOnTable(rng: Rng, tableId: string, rolls: ItemRoll[] = []): RolledMagicItem {
  if (tableId === 'armor') return rollComposed(rng, 'armor', rolls);
  if (tableId === 'weapons') return rollComposed(rng, 'weapons', rolls);
  const t = tableDef(tableId);
  for (let attempt = 0; attempt < 50; attempt++) {
    let sub: string | undefined;
    if (t.subtables && t.subtable_die) {
      const r = rollOn(rng, rolls, `${t.source} subtable (d${t.subtable_die})`, t.subtable_die);
      sub = t.subtables.find((s) => inRange(s.range, r))?.name;
      note(rolls, `subtable ${sub}`);
    }
    const roll = rollOn(rng, rolls, `${t.source}${sub ? ` ${sub}` : ''} (d${t.die})`, t.die);
    if (t.dm_choice?.some((c) => c.sub === sub && inRange(c.roll, roll))) {
      note(rolls, "DM's choice: rolled again");
      continue;
    }
    const row = (BY_TABLE.get(tableId) ?? []).find(
      (i) => (i.sub === undefined || i.sub === sub) && inRange(i.roll, roll),
    );
    if (!row) throw new RangeError(`${tableId} ${sub ?? ''} has no row for ${roll}`);
    note(rolls, row.name);
    return fromRow(row, rng, rolls);
  }
  throw new RangeError(`${tableId}: no item after 50 rolls`);
}

const ARMOR_USERS: Record<string, readonly UsableBy[]> = {
  'leather armor': ['warrior', 'priest', 'rogue'],
  'studded leather': ['warrior', 'priest', 'rogue'],
  'padded armor': ['warrior', 'priest', 'rogue'],
  'ring mail': ['warrior', 'cleric', 'bard'],
  'scale mail': ['warrior', 'cleric', 'bard'],
  'chain mail': ['warrior', 'cleric', 'bard'],
  shield: ['warrior', 'cleric', 'druid'],
};

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

function rollComposed(rng: Rng, which: 'armor' | 'weapons', rolls: ItemRoll[]): RolledMagicItem {
  const c = data[which];
  const tr = rollOn(rng, rolls, `${c.source} (d${c.die})`, c.die);
  const type = c.types.find((t) => inRange(t.roll, tr))!;
  note(rolls, type.name);
  if (type.special) return rollOnTable(rng, c.special_table, rolls);
  const kind = type.kind ?? (which === 'armor' ? 'armor' : 'weapon');
  const adj = c.adjustments[kind] ?? c.adjustments[which === 'armor' ? 'armor' : 'weapon']!;
  const ar = rollOn(rng, rolls, `${c.adjustment_source} (d${c.adjustment_die})`, c.adjustment_die);
  const a = adj.find((x) => inRange(x.roll, ar))!;
  note(rolls, signed(a.bonus));
  const name = `${type.name} ${signed(a.bonus)}`;
  const item: RolledMagicItem = {
    name,
    appears_as: a.cursed ? `${type.name} (magical)` : name,
    category: which === 'armor' ? 'armor' : 'weapon',
    source: c.source.replace(/ \(.*\)$/, ''),
    table: which === 'armor' ? 'Armor and Shields' : 'Weapons',
    xp: a.xp,
    gp: a.gp,
    gp_estimated: false,
    cursed: a.cursed ?? false,
    usable_by:
      which === 'armor'
        ? [...(ARMOR_USERS[type.name] ?? ['warrior', 'cleric'])]
        : [...(type.usable_by ?? ['warrior'])],
    summary:
      which === 'armor'
        ? a.bonus < 0
          ? `cursed: worsens AC by ${-a.bonus} instead of improving it, and once worn cannot be removed until remove curse`
          : `AC ${a.bonus} better than an ordinary ${type.name}`
        : a.bonus < 0
          ? `cursed: ${a.bonus} to hit and damage; the wielder will not part with it (remove curse ends that)`
          : `${signed(a.bonus)} to hit and damage`,
    rolls,
  };
  if (type.quantity) {
    item.quantity = rollCount(type.quantity, rng);
    item.name = `${item.quantity} ${name}`;
    item.appears_as = a.cursed ? `${item.quantity} ${type.name} (magical)` : item.name;
    if (item.xp !== null) item.xp *= item.quantity;
    item.gp *= item.quantity;
  }
  return item;
}

/** Tables (Table 88 rows) that belong to each category. */
const CATEGORY_TABLES: Record<MagicCategory, readonly string[]> = {
  potion: ['potions'],
  scroll: ['scrolls'],
  ring: ['rings'],
  rod: ['rods'],
  staff: ['staves'],
  wand: ['wands'],
  miscellaneous: [
    'books',
    'jewelry',
    'cloaks',
    'boots',
    'girdles',
    'bags',
    'dusts',
    'household',
    'instruments',
    'weird',
  ],
  armor: ['armor'],
  weapon: ['weapons'],
};

/** Table 88 rows a pool may use. */
const POOLS: Record<Exclude<MagicPool, 'map'>, readonly string[] | 'all'> = {
  any: 'all',
  'any-except-weapons': data.categories.entries.map((e) => e.table).filter((t) => t !== 'weapons'),
  'armor-or-weapon': ['armor', 'weapons'],
  potion: ['potions'],
  scroll: ['scrolls'],
  ring: ['rings'],
  'rod-staff-wand': ['rods', 'staves', 'wands'],
  miscellaneous: CATEGORY_TABLES.miscellaneous,
  armor: ['armor'],
  weapon: ['weapons'],
};

/**
 * Roll on Table 88 (d100) restricted to `tables`: the roll is made over the faces of the
 * allowed rows only, which keeps Table 88's relative odds between them (a restricted
 * re-roll, made in one roll so that small pools such as rods/staves/wands always end).
 */
function rollCategoryTable(rng: Rng, tables: readonly string[] | 'all', rolls: ItemRoll[]): string {
  const cat = data.categories;
  const allowed = cat.entries.filter((e) => tables === 'all' || tables.includes(e.table));
  if (allowed.length === 0) throw new RangeError('Table 88: no table of the pool');
  const faces = allowed.reduce((n, e) => n + e.roll[1] - e.roll[0] + 1, 0);
  let k = rng.int(1, faces);
  for (const e of allowed) {
    const width = e.roll[1] - e.roll[0] + 1;
    if (k <= width) {
      const face = e.roll[0] + k - 1;
      const label =
        faces === cat.die
          ? `${cat.source} (d${cat.die})`
          : `${cat.source} (d${cat.die}, rows of the pool only)`;
      rolls.push({ table: label, die: cat.die, roll: face, result: e.table });
      return e.table;
    }
    k -= width;
  }
  throw new RangeError('Table 88: roll outside the pool');
}

export interface RollMagicItemOptions {
  /**
   * a category (potion, ring, …), a pool (any-except-weapons, rod-staff-wand, …) or one
   * table of magic-items.yaml (cloaks, special_weapons, …: rolled on directly)
   */
  category?: MagicCategory | MagicPool | (string & {});
}

export const MAGIC_CATEGORIES: readonly MagicCategory[] = Object.keys(
  CATEGORY_TABLES,
) as MagicCategory[];

/**
 * Roll one named magical item: DMG Table 88 (d100) for the table, then the table's own
 * rolls (subtable die, d20; armour and weapons: type, then adjustment, DMG 105-110).
 */
export function rollMagicItem(rng: Rng, options: RollMagicItemOptions = {}): RolledMagicItem {
  const rolls: ItemRoll[] = [];
  const wanted = options.category ?? 'any';
  if (wanted === 'map') return treasureMap(rng, rolls);
  let tables: readonly string[] | 'all';
  if (wanted in CATEGORY_TABLES) tables = CATEGORY_TABLES[wanted as MagicCategory];
  else if (wanted in POOLS) tables = POOLS[wanted as Exclude<MagicPool, 'map'>];
  else if (Object.hasOwn(data.tables, wanted) || wanted === 'weapons')
    return rollOnTable(rng, wanted, rolls);
  else {
    const known = [
      ...new Set([...MAGIC_CATEGORIES, ...Object.keys(POOLS), 'map', ...Object.keys(data.tables)]),
    ];
    throw new UsageError(
      `unknown magic item category "${String(wanted)}"${didYouMean(String(wanted), known)}`,
      { hint: `one of: ${known.join(', ')}` },
    );
  }
  const table =
    tables !== 'all' && tables.length === 1 ? tables[0]! : rollCategoryTable(rng, tables, rolls);
  return rollOnTable(rng, table, rolls);
}

/** DMG Table 84 type W: a map; DMG ch. 10 leaves its contents to the DM. */
function treasureMap(rng: Rng, rolls: ItemRoll[]): RolledMagicItem {
  const r = rollOn(rng, rolls, 'map: what it leads to (d10)', 10);
  const leads =
    r <= 5 ? 'a coin hoard' : r <= 8 ? 'a hoard with magic' : 'a lair with its treasure';
  note(rolls, leads);
  return {
    name: `treasure map (to ${leads})`,
    appears_as: 'a map',
    category: 'miscellaneous',
    source: 'DMG Table 84',
    table: 'Treasure Types (map)',
    xp: 0,
    gp: 0,
    gp_estimated: true,
    cursed: false,
    usable_by: ['any'],
    summary: `a map leading to ${leads}; the DM places it`,
    rolls,
  };
}

/** A treasure type's magic line, or a bare spec. */
export type TreasureMagicSpec =
  string | readonly string[] | readonly { count: string; from: MagicPool }[];

/**
 * The named items of treasure types (DMG Table 84): for each type letter, its magic
 * line's chance is rolled (d100) and then every item of the line; or, given a bare list
 * of `{count, from}`, just those items.
 */
export function rollTreasureMagic(rng: Rng, spec: TreasureMagicSpec): RolledMagicItem[] {
  const out: RolledMagicItem[] = [];
  if (typeof spec === 'string' || (spec.length > 0 && typeof spec[0] === 'string')) {
    const letters = typeof spec === 'string' ? [...spec.replace(/[^A-Z]/gi, '')] : spec;
    for (const raw of letters as readonly string[]) {
      const letter = raw.toUpperCase();
      const def = treasureTable.types[letter];
      if (!def)
        throw new UsageError(`unknown treasure type "${raw}"`, { hint: 'types are A to Z' });
      for (const line of def.lines) {
        if (line.kind !== 'magic' || !line.items) continue;
        if (rng.die(100) > line.chance) continue;
        out.push(...rollMagicLine(rng, line.items));
      }
    }
    return out;
  }
  return rollMagicLine(rng, spec as readonly { count: string; from: MagicPool }[]);
}

/** The items of one treasure magic line that is present (its chance already made). */
export function rollMagicLine(
  rng: Rng,
  items: readonly { count: string; from: MagicPool }[],
): RolledMagicItem[] {
  const out: RolledMagicItem[] = [];
  for (const part of items) {
    const n = rollCount(part.count, rng);
    for (let i = 0; i < n; i++) out.push(rollMagicItem(rng, { category: part.from }));
  }
  return out;
}

/**
 * The items of a treasure line (rules-data/treasure.yaml) whose chance has been made —
 * what a treasure roller calls for a `kind: magic` line. Lines without `items` fall back
 * to `dice` items from any table.
 */
export function magicForLine(
  rng: Rng,
  line: { dice: string; items?: readonly { count: string; from: MagicPool }[] },
): RolledMagicItem[] {
  return rollMagicLine(rng, line.items ?? [{ count: line.dice, from: 'any' }]);
}

/** Can a member of `group` (optionally of class `klass`) use this item? */
export function usableBy(
  item: { readonly usable_by: readonly string[] },
  group: ClassGroup,
  klass?: string,
): boolean {
  return item.usable_by.some(
    (u) => u === 'any' || u === group || (klass !== undefined && u === klass),
  );
}

/**
 * NPC magic items by level. The 2e DMG leaves NPC possessions to the DM; we follow the
 * 1st-edition DMG's NPC rule (Appendix C): each item category suitable to the class has
 * a 5% chance per level (at most 90%) of one item, rolled on that category's tables and
 * rerolled until the NPC could use it.
 */
export const NPC_ITEM_CATEGORIES: Record<ClassGroup, readonly MagicPool[]> = {
  warrior: ['armor', 'weapon', 'potion', 'ring', 'miscellaneous'],
  priest: ['armor', 'weapon', 'potion', 'scroll', 'ring', 'rod-staff-wand', 'miscellaneous'],
  rogue: ['armor', 'weapon', 'potion', 'ring', 'miscellaneous'],
  wizard: ['weapon', 'potion', 'scroll', 'ring', 'rod-staff-wand', 'miscellaneous'],
};

export interface NpcMagicOptions {
  classGroup: ClassGroup;
  level: number;
  /** the class (fighter, thief, druid…) for items restricted to one class */
  klass?: string;
}

export function npcItemChance(level: number): number {
  return Math.min(90, Math.max(0, 5 * Math.floor(level)));
}

export function npcMagicItems(rng: Rng, options: NpcMagicOptions): RolledMagicItem[] {
  const { classGroup, level } = options;
  if (!(classGroup in NPC_ITEM_CATEGORIES))
    throw new UsageError(`unknown class group "${classGroup}"`, {
      hint: 'warrior, priest, rogue or wizard',
    });
  const chance = npcItemChance(level);
  const out: RolledMagicItem[] = [];
  for (const pool of NPC_ITEM_CATEGORIES[classGroup]) {
    if (rng.die(100) > chance) continue;
    for (let attempt = 0; attempt < 30; attempt++) {
      const item = rollMagicItem(rng, { category: pool });
      // an NPC does not carry a cursed item knowingly; leave those to treasure
      if (item.cursed || !usableBy(item, classGroup, options.klass)) continue;
      out.push(item);
      break;
    }
  }
  return out;
}

/** Every item the tables can name (for lookups and `rules show`), by name. */
export function findMagicItemRow(name: string): MagicItemData | undefined {
  const key = name.trim().toLowerCase();
  return data.items.find((i) => i.name === key);
}

/** An item as a lookup shows it (the DM's view of a table row). */
export interface MagicItemEntry {
  name: string;
  appears_as: string;
  category: MagicCategory;
  source: string;
  /** the table's title */
  table: string;
  /** where it sits on the table: "subtable A, 15-16 on d20" */
  roll: string;
  xp: number | null;
  gp: number;
  gp_estimated: boolean;
  cursed: boolean;
  usable_by: (UsableBy | 'any')[];
  /** charges when found, as dice ("1d20+80") */
  charges?: string;
  /** the kinds rolled when it is found, with their d100 ranges */
  variants?: string[];
  summary: string;
}

const span = (r: readonly [number, number]) => (r[0] === r[1] ? `${r[0]}` : `${r[0]}-${r[1]}`);

function entryOf(row: MagicItemData): MagicItemEntry {
  const t = tableDef(row.table);
  const where = `${row.sub ? `subtable ${row.sub}, ` : ''}${span(row.roll)} on d${t.die}`;
  const e: MagicItemEntry = {
    name: row.name,
    appears_as: row.appears_as ?? row.name,
    category: t.category,
    source: t.source,
    table: t.title,
    roll: where,
    xp: row.xp,
    gp: row.gp,
    gp_estimated: row.gp_estimated ?? false,
    cursed: row.cursed ?? false,
    usable_by: row.usable_by ? [...row.usable_by] : ['any'],
    summary: row.summary,
  };
  if (row.charges !== undefined) e.charges = row.charges;
  if (row.variants)
    e.variants = row.variants.map((v) => {
      const extra = [
        v.xp === undefined ? '' : `XP ${v.xp ?? '—'}`,
        v.gp === undefined ? '' : `${v.gp} gp`,
      ]
        .filter(Boolean)
        .join(', ');
      return `${span(v.roll)}: ${v.suffix}${extra ? ` (${extra})` : ''}`;
    });
  return e;
}

/** "long sword +2", "shield -1": a piece built from Tables 105-109. */
function composedEntry(name: string): MagicItemEntry | undefined {
  const m = /^(.+) ([+-]\d)$/.exec(name);
  if (!m) return undefined;
  const bonus = Number(m[2]);
  for (const which of ['armor', 'weapons'] as const) {
    const c = data[which];
    const type = c.types.find((t) => !t.special && t.name === m[1]);
    if (!type) continue;
    const kind = type.kind ?? (which === 'armor' ? 'armor' : 'weapon');
    const adj = (c.adjustments[kind] ?? []).find((a) => a.bonus === bonus);
    if (!adj) return undefined;
    const cursed = adj.cursed ?? false;
    return {
      name,
      appears_as: cursed ? `${type.name} (magical)` : name,
      category: which === 'armor' ? 'armor' : 'weapon',
      source: `${c.source.replace(/ \(.*\)$/, '')}, ${c.adjustment_source.replace(/ \(.*\)$/, '')}`,
      table:
        which === 'armor'
          ? 'Armor Type and Armor Class Adjustment'
          : 'Weapon Type and Attack Adjustment',
      roll: `type ${span(type.roll)} on d${c.die}, adjustment ${span(adj.roll)} on d${c.adjustment_die}`,
      xp: adj.xp,
      gp: adj.gp,
      gp_estimated: false,
      cursed,
      usable_by:
        which === 'armor'
          ? [...(ARMOR_USERS[type.name] ?? ['warrior', 'cleric'])]
          : [...(type.usable_by ?? ['warrior'])],
      summary:
        which === 'armor'
          ? cursed
            ? `cursed: AC ${-bonus} worse than an ordinary ${type.name}; once worn it cannot be removed until remove curse`
            : `AC ${bonus} better than an ordinary ${type.name}`
          : cursed
            ? `cursed: ${bonus} to hit and damage; the wielder will not part with it (remove curse ends that)`
            : `${signed(bonus)} to hit and damage${type.quantity ? ` (found ${type.quantity} at a time; XP and gp per missile)` : ''}`,
    };
  }
  return undefined;
}

/** "ring of protection +2", "bracers of defense ac 4": one kind of a row with variants. */
function variantEntry(key: string): MagicItemEntry | undefined {
  const simple = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9+]+/g, ' ')
      .trim();
  for (const row of data.items) {
    if (!row.variants || !key.startsWith(`${row.name} `)) continue;
    const rest = simple(key.slice(row.name.length));
    const v = row.variants.find((x) => {
      const suffix = simple(x.suffix);
      return suffix === rest || suffix.startsWith(`${rest} `);
    });
    if (!v) continue;
    const e = entryOf(row);
    e.name = `${row.name} ${v.suffix}`;
    if (row.appears_as === undefined) e.appears_as = e.name;
    if (v.xp !== undefined) e.xp = v.xp;
    if (v.gp !== undefined) e.gp = v.gp;
    return e;
  }
  return undefined;
}

/** Every name a lookup accepts (the table rows; composed pieces are recognised by form). */
export function magicItemNames(): string[] {
  return data.items.map((i) => i.name);
}

/**
 * Look an item up by name: exact (any case, extra spaces ignored), a composed
 * "<armour or weapon> +N", or a part of a name that only one item has.
 * Unknown or ambiguous names are usage errors with suggestions.
 */
export function lookupMagicItem(query: string): MagicItemEntry {
  const key = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === '')
    throw new UsageError('give an item name, or --random', {
      hint: 'dma item ring of invisibility',
    });
  const exact = data.items.find((i) => i.name === key);
  if (exact) return entryOf(exact);
  const composed = composedEntry(key);
  if (composed) return composed;
  const variant = variantEntry(key);
  if (variant) return variant;
  const partial = data.items.filter((i) => i.name.includes(key));
  if (partial.length === 1) return entryOf(partial[0]!);
  if (partial.length > 1)
    throw new UsageError(`"${query}" matches ${partial.length} items`, {
      hint: partial
        .slice(0, 8)
        .map((i) => i.name)
        .join('; '),
    });
  const names = magicItemNames();
  throw new UsageError(`unknown magic item "${query}"${didYouMean(key, names)}`, {
    hint: 'names as in the DMG tables, e.g. "ring of invisibility", "long sword +2"',
  });
}
