/**
 * The magic item tables (DMG Tables 88-110) and the trap table as `dma rules list/show`
 * views (the VIEWS of tables.ts).
 */
import { magicItemsTable as data } from '../data/magic-items.ts';
import { trapsTable } from '../data/traps.ts';
import type { ShownTable, TableInfo, View as Def } from './tables.ts';

const span = (r: readonly [number, number]) => (r[0] === r[1] ? `${r[0]}` : `${r[0]}-${r[1]}`);

function itemTable(id: string): Def {
  const t = data.tables[id]!;
  const name = `magic-${id.replace(/_/g, '-')}`;
  const info: TableInfo = { name, title: t.title, source: t.source };
  const build = (): ShownTable => {
    const rows = data.items
      .filter((i) => i.table === id)
      .map((i) => [i.sub ?? '', span(i.roll), i.name, i.xp, i.gp, i.cursed ? 'cursed' : '']);
    for (const c of t.dm_choice ?? [])
      rows.push([c.sub ?? '', span(c.roll), "DM's choice (roll again)", null, 0, '']);
    rows.sort(
      (a, b) =>
        String(a[0]).localeCompare(String(b[0])) ||
        Number(String(a[1]).split('-')[0]) - Number(String(b[1]).split('-')[0]),
    );
    const notes = [
      `roll d${t.die}${t.subtable_die ? ` on the subtable picked by d${t.subtable_die}: ${t.subtables!.map((s) => `${s.name} ${span(s.range)}`).join(', ')}` : ''}`,
    ];
    return { ...info, columns: ['sub', `d${t.die}`, 'item', 'xp', 'gp', 'cursed'], rows, notes };
  };
  return [name, build, info];
}

function composedTable(which: 'armor' | 'weapons'): Def {
  const c = data[which];
  const name = `magic-${which}`;
  const info: TableInfo = {
    name,
    title:
      which === 'armor'
        ? 'Magical armour type and adjustment'
        : 'Magical weapon type and adjustment',
    source: `${c.source}, ${c.adjustment_source}`,
  };
  const build = (): ShownTable => ({
    ...info,
    columns: which === 'armor' ? [`d${c.die}`, 'type'] : [`d${c.die}`, 'type', 'users'],
    rows: c.types.map((t) => [
      span(t.roll),
      t.special
        ? `special (${data.tables[c.special_table]!.source})`
        : t.name + (t.quantity ? ` (${t.quantity})` : ''),
      ...(which === 'armor' ? [] : [t.usable_by?.join(', ') ?? '']),
    ]),
    notes: Object.entries(c.adjustments).flatMap(([kind, adj]) =>
      adj.map(
        (a) =>
          `${kind} adjustment d${c.adjustment_die} ${span(a.roll)}: ${a.bonus > 0 ? '+' : ''}${a.bonus}, XP ${a.xp ?? '—'}, ${a.gp} gp${a.cursed ? ' (cursed)' : ''}`,
      ),
    ),
  });
  return [name, build, info];
}

const categories: Def = [
  'magic-items',
  () => ({
    name: 'magic-items',
    title: 'Magical items: which table',
    source: data.categories.source,
    columns: [`d${data.categories.die}`, 'table', 'title', 'source'],
    rows: data.categories.entries.map((e) => {
      const t = data.tables[e.table];
      const composed =
        e.table === 'armor' ? data.armor : e.table === 'weapons' ? data.weapons : undefined;
      return [
        span(e.roll),
        `magic-${e.table}`,
        t?.title ?? (e.table === 'armor' ? 'Armor and Shields' : 'Weapons'),
        t?.source ?? composed!.source,
      ];
    }),
    notes: [data.gp_note, ...data.notes],
  }),
  { name: 'magic-items', title: 'Magical items: which table', source: data.categories.source },
];

/** The trap kinds of traps.yaml. */
export const trapsView: Def = [
  'traps',
  () => ({
    name: 'traps',
    title: 'Traps',
    source: trapsTable.source,
    columns: ['trap', 'kind', 'placements', 'levels', 'damage', 'save', 'thief find'],
    rows: trapsTable.traps.map((t) => [
      t.name,
      t.kind,
      t.placements.join(', '),
      span(t.levels),
      t.damage ?? '',
      t.save.category === 'none' ? 'none' : `${t.save.category} ${t.save.outcome}`,
      `${t.kind === 'magical' ? 'half, ' : ''}${t.detection.thief_adjust >= 0 ? '+' : ''}${t.detection.thief_adjust}%`,
    ]),
    notes: trapsTable.notes,
  }),
  { name: 'traps', title: 'Traps', source: trapsTable.source },
];

/** The magic item tables of magic-items.yaml (DMG Tables 88-110). */
export function magicItemViews(): Def[] {
  return [
    categories,
    ...Object.keys(data.tables).map(itemTable),
    composedTable('armor'),
    composedTable('weapons'),
  ];
}
