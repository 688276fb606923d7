/**
 * Every rules table by name, for `dma rules list` and `dma rules show <table>`.
 * This module loads every table; the single lookups (thac0, saves, …) do not import it.
 */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { abilitiesTable } from '../data/abilities.ts';
import { armourTable } from '../data/armour.ts';
import { classesTable } from '../data/classes.ts';
import { experienceTable } from '../data/experience.ts';
import { monsterThac0Table } from '../data/monster-thac0.ts';
import { monstersTable } from '../data/monsters.ts';
import { damageLine } from './monsters.ts';
import { racesTable } from '../data/races.ts';
import { savingThrowsTable } from '../data/saving-throws.ts';
import { spellProgressionTable } from '../data/spell-progression.ts';
import { thac0Table } from '../data/thac0.ts';
import { thiefSkillsTable } from '../data/thief-skills.ts';
import { turnUndeadTable } from '../data/turn-undead.ts';
import { weaponsTable } from '../data/weapons.ts';
import { rulesData, type RulesDataName } from '../data/index.ts';
import { magicItemViews, trapsView } from './magic-tables.ts';
import { normaliseName } from './names.ts';

export type Cell = string | number | boolean | null;

export interface TableInfo {
  name: string;
  title: string;
  source: string;
}

export interface ShownTable extends TableInfo {
  columns: string[];
  rows: Cell[][];
  notes?: string[];
}

const GROUPS = ['warrior', 'priest', 'rogue', 'wizard'] as const;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const spellCols = (n: number) => ['level', ...range(n).map((i) => `${i}`)];

/** A table's name, how to build it, and what `rules list` says of it. */
export type View = [string, () => ShownTable, TableInfo];

/** A cell as `rules show` prints it: lists joined, records as `key value` pairs. */
function cell(v: unknown): Cell {
  if (Array.isArray(v)) return v.map(cell).join(', ');
  if (v !== null && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k} ${String(cell(x))}`)
      .join(', ');
  return (v ?? null) as Cell;
}

function abilityTable<R extends object>(
  name: string,
  title: string,
  t: { source: string; rows: readonly R[] },
): View {
  const build = (): ShownTable => {
    const columns = Object.keys(t.rows[0]!);
    return {
      name,
      title,
      source: t.source,
      columns,
      rows: t.rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c]))),
    };
  };
  return [name, build, { name, title, source: t.source }];
}

/**
 * How each rules table of rules-data/ is shown by `dma rules list` and `dma rules show`, keyed
 * by its file name: one view or several (abilities.yaml is six tables of the PHB). A table
 * without an entry is shown as it is stored (`storedView`), so a new rules-data/ file needs no
 * code here; `[]` keeps a generator's internal data out of the list.
 */
const VIEWS: { [K in RulesDataName]?: View[] } = {
  thac0: [
    [
      'thac0',
      () => ({
        name: 'thac0',
        title: 'THAC0 by class group',
        source: thac0Table.source,
        columns: ['level', ...GROUPS],
        rows: range(20).map((l) => [l, ...GROUPS.map((g) => thac0Table.groups[g][l - 1]!)]),
        notes: GROUPS.map(
          (g) =>
            `${g} past 20: ${thac0Table.rate_beyond_20[g].points} per ${thac0Table.rate_beyond_20[g].per_levels} levels`,
        ),
      }),
      { name: 'thac0', title: 'THAC0 by class group', source: thac0Table.source },
    ],
  ],
  'monster-thac0': [
    [
      'monster-thac0',
      () => ({
        name: 'monster-thac0',
        title: 'Creature THAC0 by Hit Dice',
        source: monsterThac0Table.source,
        columns: ['hit_dice', 'thac0'],
        rows: [
          ['1/2 or less', monsterThac0Table.half_or_less],
          ['1-1', monsterThac0Table.one_minus],
          ...monsterThac0Table.by_hit_dice.map((v, i): Cell[] => [
            i === monsterThac0Table.by_hit_dice.length - 1 ? `${i + 1}+` : `${i + 1}`,
            v,
          ]),
        ],
        notes: ['three or more added hit points count as another die (4+4 HD uses the 5 HD row)'],
      }),
      {
        name: 'monster-thac0',
        title: 'Creature THAC0 by Hit Dice',
        source: monsterThac0Table.source,
      },
    ],
  ],
  'saving-throws': [
    [
      'saving-throws',
      () => ({
        name: 'saving-throws',
        title: 'Character saving throws',
        source: savingThrowsTable.source,
        columns: ['group', 'levels', 'paralyzation', 'rod', 'petrification', 'breath', 'spell'],
        rows: GROUPS.flatMap((g) =>
          savingThrowsTable.groups[g].map((b): Cell[] => [
            g,
            b.to === null ? `${b.from}+` : b.from === b.to ? `${b.from}` : `${b.from}-${b.to}`,
            b.ppd,
            b.rsw,
            b.pp,
            b.bw,
            b.sp,
          ]),
        ),
      }),
      { name: 'saving-throws', title: 'Character saving throws', source: savingThrowsTable.source },
    ],
    [
      'save-bonus-con',
      () => {
        const cb = savingThrowsTable.constitution_bonus;
        return {
          name: 'save-bonus-con',
          title: 'Constitution saving throw bonuses (dwarf, gnome, halfling)',
          source: cb.source,
          columns: ['constitution', 'bonus'],
          rows: cb.bands.map((b): Cell[] => [`${b.from}-${b.to}`, b.bonus]),
          notes: Object.entries(cb.races).map(
            ([r, rule]) =>
              `${r}: ${rule.categories.join(', ')}${rule.poison ? ', and vs poison' : ''}`,
          ),
        };
      },
      {
        name: 'save-bonus-con',
        title: 'Constitution saving throw bonuses (dwarf, gnome, halfling)',
        source: savingThrowsTable.constitution_bonus.source,
      },
    ],
  ],
  abilities: [
    abilityTable('strength', 'Strength', abilitiesTable.strength),
    abilityTable('dexterity', 'Dexterity', abilitiesTable.dexterity),
    abilityTable('constitution', 'Constitution', abilitiesTable.constitution),
    abilityTable('intelligence', 'Intelligence', abilitiesTable.intelligence),
    abilityTable('wisdom', 'Wisdom', abilitiesTable.wisdom),
    abilityTable('charisma', 'Charisma', abilitiesTable.charisma),
  ],
  classes: [
    [
      'classes',
      () => ({
        name: 'classes',
        title: 'Character classes',
        source: 'PHB Tables 13 and 22',
        columns: ['class', 'group', 'prime_requisites', 'minimums', 'races', 'alignments'],
        rows: Object.entries(classesTable.classes).map(([k, c]): Cell[] => [
          k,
          c.group,
          c.prime_requisites.join(', '),
          Object.entries(c.minimums)
            .map(([a, v]) => `${a} ${v}`)
            .join(', '),
          c.races.join(', '),
          c.alignments.join(', '),
        ]),
      }),
      { name: 'classes', title: 'Character classes', source: 'PHB Tables 13 and 22' },
    ],
    [
      'class-groups',
      () => ({
        name: 'class-groups',
        title: 'Class groups: hit dice',
        source: 'PHB Tables 14, 20, 23 and 25',
        columns: ['group', 'hit_die', 'name_level', 'hp_per_level_after', 'classes'],
        rows: GROUPS.map((g): Cell[] => {
          const r = classesTable.groups[g];
          const members = Object.entries(classesTable.classes)
            .filter(([, c]) => c.group === g)
            .map(([k]) => k);
          return [g, `d${r.hit_die}`, r.name_level, r.hp_per_level_after, members.join(', ')];
        }),
      }),
      {
        name: 'class-groups',
        title: 'Class groups: hit dice',
        source: 'PHB Tables 14, 20, 23 and 25',
      },
    ],
  ],
  races: [
    [
      'races',
      () => ({
        name: 'races',
        title: 'Races: ability adjustments, requirements and level limits',
        source: 'PHB Tables 7 and 8; DMG Chapter 2',
        columns: ['race', 'adjustments', 'minimums', 'maximums', 'level_limits'],
        rows: Object.entries(racesTable.races).map(([k, r]): Cell[] => [
          k,
          Object.entries(r.adjustments)
            .map(([a, v]) => `${a} ${v! > 0 ? '+' : ''}${v}`)
            .join(', ') || 'none',
          Object.entries(r.minimums)
            .map(([a, v]) => `${a} ${v}`)
            .join(', '),
          Object.entries(r.maximums)
            .map(([a, v]) => `${a} ${v}`)
            .join(', '),
          Object.entries(r.level_limits)
            .map(([c, v]) => `${c} ${v ?? 'U'}`)
            .join(', '),
        ]),
      }),
      {
        name: 'races',
        title: 'Races: ability adjustments, requirements and level limits',
        source: 'PHB Tables 7 and 8; DMG Chapter 2',
      },
    ],
  ],
  experience: [
    [
      'experience',
      () => {
        const cols = Object.keys(experienceTable.tables) as (keyof typeof experienceTable.tables)[];
        return {
          name: 'experience',
          title: 'Experience points per level',
          source: 'PHB Tables 14, 20, 23 and 25',
          columns: ['level', ...cols],
          rows: range(20).map((l) => [l, ...cols.map((c) => experienceTable.tables[c].xp[l - 1]!)]),
        };
      },
      {
        name: 'experience',
        title: 'Experience points per level',
        source: 'PHB Tables 14, 20, 23 and 25',
      },
    ],
  ],
  'turn-undead': [
    [
      'turn-undead',
      () => ({
        name: 'turn-undead',
        title: 'Turning undead',
        source: turnUndeadTable.source,
        columns: ['undead', ...turnUndeadTable.columns],
        rows: turnUndeadTable.rows.map((r): Cell[] => [r.label, ...r.cells.map((c) => c ?? '-')]),
        notes: [
          'number: roll d20 ≥ it; T turned; D destroyed; D* destroyed plus 2d4 more; - cannot turn',
        ],
      }),
      { name: 'turn-undead', title: 'Turning undead', source: turnUndeadTable.source },
    ],
  ],
  'spell-progression': [
    [
      'wizard-spells',
      () => ({
        name: 'wizard-spells',
        title: 'Wizard spell progression',
        source: spellProgressionTable.wizard.source,
        columns: spellCols(9),
        rows: spellProgressionTable.wizard.levels.map((r, i) => [
          i + 1,
          ...range(9).map((s) => r[s - 1] ?? 0),
        ]),
        notes: ['specialists add one spell of their school per spell level'],
      }),
      {
        name: 'wizard-spells',
        title: 'Wizard spell progression',
        source: spellProgressionTable.wizard.source,
      },
    ],
    [
      'priest-spells',
      () => ({
        name: 'priest-spells',
        title: 'Priest spell progression',
        source: spellProgressionTable.priest.source,
        columns: spellCols(7),
        rows: spellProgressionTable.priest.levels.map((r, i) => [
          i + 1,
          ...range(7).map((s) => r[s - 1] ?? 0),
        ]),
        notes: [
          '6th-level spells need Wisdom 17, 7th-level Wisdom 18; Wisdom bonus spells per PHB Table 5',
        ],
      }),
      {
        name: 'priest-spells',
        title: 'Priest spell progression',
        source: spellProgressionTable.priest.source,
      },
    ],
  ],
  'thief-skills': [
    [
      'thief-skills',
      () => ({
        name: 'thief-skills',
        title: 'Thieving skill base scores',
        source: 'PHB Table 26 (Thieving Skill Base Scores)',
        columns: ['skill', 'base'],
        rows: thiefSkillsTable.skills.map((s): Cell[] => [s.label, s.base]),
        notes: ['60 discretionary points at 1st level, 30 per level after; no skill above 95%'],
      }),
      {
        name: 'thief-skills',
        title: 'Thieving skill base scores',
        source: 'PHB Table 26 (Thieving Skill Base Scores)',
      },
    ],
    [
      'thief-skills-racial',
      () => ({
        name: 'thief-skills-racial',
        title: 'Thieving skill racial adjustments',
        source: thiefSkillsTable.racial.source,
        columns: ['race', ...thiefSkillsTable.skills.map((s) => s.key)],
        rows: Object.entries(thiefSkillsTable.racial.adjustments).map(([r, adj]): Cell[] => [
          r,
          ...thiefSkillsTable.skills.map((s) => adj[s.key] ?? 0),
        ]),
      }),
      {
        name: 'thief-skills-racial',
        title: 'Thieving skill racial adjustments',
        source: thiefSkillsTable.racial.source,
      },
    ],
    abilityTable(
      'thief-skills-dex',
      'Thieving skill Dexterity adjustments',
      thiefSkillsTable.dexterity,
    ),
  ],
  weapons: [
    [
      'weapons',
      () => ({
        name: 'weapons',
        title: 'Weapons',
        source: weaponsTable.source,
        columns: ['name', 'cost', 'weight', 'size', 'type', 'speed', 'damage_sm', 'damage_l'],
        rows: weaponsTable.weapons.flatMap((w) => [
          [w.name, w.cost, w.weight, w.size, w.type, w.speed, w.damage_sm, w.damage_l] as Cell[],
          ...(w.ammunition ?? []).map((a): Cell[] => [
            `  ${a.name}`,
            a.cost,
            a.weight,
            null,
            a.type,
            null,
            a.damage_sm,
            a.damage_l,
          ]),
        ]),
      }),
      { name: 'weapons', title: 'Weapons', source: weaponsTable.source },
    ],
  ],
  armour: [
    [
      'armour',
      () => ({
        name: 'armour',
        title: 'Armour and shields',
        source: armourTable.source,
        columns: ['name', 'ac', 'weight', 'cost'],
        rows: [
          ...armourTable.armour.map((a): Cell[] => [a.name, a.ac, a.weight, a.cost]),
          ...armourTable.shields.map((s): Cell[] => [s.name, `-${s.ac_bonus}`, s.weight, s.cost]),
        ],
      }),
      { name: 'armour', title: 'Armour and shields', source: armourTable.source },
    ],
  ],
  monsters: [
    [
      'monsters',
      () => ({
        name: 'monsters',
        title: 'Monster catalogue',
        source: 'MM (Monstrous Manual, 1993) entries; DMG Table 39 (THAC0)',
        columns: ['name', 'hd', 'ac', 'thac0', 'attacks', 'damage', 'mr', 'xp', 'levels'],
        rows: monstersTable.monsters.map((m): Cell[] => [
          m.name,
          m.hp === undefined ? m.hd : `${m.hd} (${m.hp} hp)`,
          m.ac,
          m.thac0,
          m.attacks,
          damageLine(m.damage),
          m.magic_resistance === 0 ? 'nil' : `${m.magic_resistance}%`,
          m.xp,
          m.level[0] === m.level[1] ? `${m.level[0]}` : `${m.level[0]}-${m.level[1]}`,
        ]),
        notes: [
          'levels: the dungeon levels a creature is stocked on (DMG encounter bands by XP value)',
          'the full entry (specials, morale, treasure, lair, book entry): `dma monster <name>`',
        ],
      }),
      {
        name: 'monsters',
        title: 'Monster catalogue',
        source: 'MM (Monstrous Manual, 1993) entries; DMG Table 39 (THAC0)',
      },
    ],
  ],
  'magic-items': magicItemViews(),
  traps: [trapsView],
  // internal data of the generators, shown through their own commands
  'character-extras': [],
  dungeon: [],
  'missile-ranges': [],
  multiclass: [],
  'npc-flavour': [],
  'npc-gear': [],
  'npc-names': [],
  'npc-spells': [],
  spells: [],
  treasure: [],
};

/**
 * A rules-data/ table without a view of its own, as it is stored: its `title` (else its file
 * name) and `source`; the rows of its first list of records (`rows` first), else one row per
 * top-level key.
 */
export function storedView(name: string, data: unknown): View {
  const doc = (data ?? {}) as Record<string, unknown>;
  const title = typeof doc.title === 'string' ? doc.title : name;
  const source = typeof doc.source === 'string' ? doc.source : `rules-data/${name}.yaml`;
  const build = (): ShownTable => {
    const isRecords = (v: unknown): v is Record<string, unknown>[] =>
      Array.isArray(v) && v.length > 0 && v.every((r) => r !== null && typeof r === 'object');
    const key = isRecords(doc.rows) ? 'rows' : Object.keys(doc).find((k) => isRecords(doc[k]));
    if (key === undefined) {
      const keys = Object.keys(doc).filter((k) => k !== 'title' && k !== 'source');
      return {
        name,
        title,
        source,
        columns: ['key', 'value'],
        rows: keys.map((k) => [k, cell(doc[k])]),
      };
    }
    const records = doc[key] as Record<string, unknown>[];
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    return {
      name,
      title,
      source,
      columns,
      rows: records.map((r) => columns.map((c) => cell(r[c]))),
    };
  };
  return [name, build, { name, title, source }];
}

/** Every view: the tables with their own first (in VIEWS order), then the rest as stored. */
const DEFS: View[] = [
  ...Object.values(VIEWS).flat(),
  ...(Object.keys(rulesData) as RulesDataName[])
    .filter((n) => VIEWS[n] === undefined)
    .map((n) => storedView(n, rulesData[n])),
];
const BY_NAME = new Map(DEFS.map(([n, build]) => [n, build]));
const ALIASES: Record<string, string> = {
  saves: 'saving-throws',
  'saving-throw': 'saving-throws',
  str: 'strength',
  dex: 'dexterity',
  con: 'constitution',
  int: 'intelligence',
  wis: 'wisdom',
  cha: 'charisma',
  xp: 'experience',
  turning: 'turn-undead',
  armor: 'armour',
  monster: 'monsters',
  bestiary: 'monsters',
};

/** Every rules table: name, title and book source. */
export function rulesTables(): TableInfo[] {
  return DEFS.map(([, , info]) => info);
}

/** One table in a uniform tabular shape. Unknown name → UsageError with did-you-mean. */
export function showTable(name: string): ShownTable {
  const key = normaliseName(name);
  const build = BY_NAME.get(ALIASES[key] ?? key);
  if (build === undefined) {
    const names = DEFS.map(([n]) => n);
    throw new UsageError(
      `unknown table "${name}"${didYouMean(key, [...names, ...Object.keys(ALIASES)])}`,
      {
        hint: `tables: ${names.join(', ')}`,
      },
    );
  }
  return build();
}
