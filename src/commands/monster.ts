import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { derivation, formatDerivation, type Derivation } from '../rules/derivation.ts';
import {
  averageHitPoints,
  damageLine,
  describeMovement,
  hitDiceLine,
  intelligenceRating,
  listMonsters,
  moraleRating,
  parseHitDice,
  parseMovement,
  resolveMonster,
  thac0HitDice,
  treasureLine,
  type Monster,
  type MonsterFilter,
} from '../rules/monsters.ts';

type Output =
  ReturnType<CommandModule<'monster'>['run']> extends infer R
    ? R extends Promise<infer T>
      ? T
      : R
    : never;

function explainFor(m: Monster): Derivation {
  const counted = thac0HitDice(m.attacks_as ?? m.hd);
  return derivation(
    [
      { table: 'monsters', source: m.source, row: m.name },
      {
        table: 'monster-thac0',
        source: 'DMG Table 39',
        row: `${m.attacks_as ? `attacks as ${m.attacks_as} HD` : `${m.hd} HD`}, counted as ${
          counted === 0 ? 'less than 1' : counted
        } → THAC0 ${m.thac0}`,
      },
    ],
    [],
    [
      `dungeon levels ${m.level[0]}-${m.level[1]}: DMG dungeon encounter band for ${m.xp} XP (rules-data/monsters.yaml header)`,
      `room group ${m.encounter}: the catalogue's dungeon encounter size; ${m.number_appearing} is the book's number appearing`,
      'special attacks and defences are the entry’s mechanics in our words',
    ],
  );
}

function derived(m: Monster) {
  const hd = parseHitDice(m.hd);
  const hpMin = m.hp ?? hd.hp_min;
  const hpMax = m.hp ?? hd.hp_max;
  return {
    hit_points: { min: hpMin, max: hpMax, average: averageHitPoints(m) },
    thac0_hit_dice: thac0HitDice(m.attacks_as ?? m.hd),
    movement: parseMovement(m.movement) as unknown as Record<string, unknown>,
    morale_rating: moraleRating(m.morale),
    intelligence_rating: intelligenceRating(m.intelligence),
    treasure: treasureLine(m),
  };
}

export const run: CommandModule<'monster'>['run'] = (input) => {
  const name = (input.name ?? []).join(' ').trim();
  const filtering =
    input.level !== undefined || input.habitat !== undefined || input.tag !== undefined;
  if (input.list || (name === '' && filtering)) {
    if (name !== '') throw new UsageError('give either a monster name or --list, not both');
    const filter: MonsterFilter = {
      ...(input.level === undefined ? {} : { level: input.level }),
      ...(input.habitat === undefined ? {} : { habitat: input.habitat }),
      ...(input.tag === undefined ? {} : { tag: input.tag.trim().toLowerCase() }),
    };
    const found = listMonsters(filter);
    if (
      filter.tag !== undefined &&
      found.length === 0 &&
      !listMonsters({ tag: filter.tag }).length
    ) {
      throw new UsageError(`no monster has the tag "${filter.tag}"`, {
        hint: 'tags: humanoid, undead, vermin, ooze, beast, giant, ...',
      });
    }
    return {
      filter: filter as Record<string, unknown>,
      count: found.length,
      monsters: found.map((m) => ({
        name: m.name,
        hd: hitDiceLine(m),
        ac: m.ac,
        thac0: m.thac0,
        xp: m.xp,
        level: m.level,
        habitat: m.habitat,
        tags: m.tags,
        frequency: m.frequency,
        source: m.source,
      })),
    };
  }
  if (filtering) throw new UsageError('--level, --habitat and --tag filter --list');
  if (name === '')
    throw new UsageError('give a monster name, or --list', {
      hint: 'e.g. `dma monster troll` or `dma monster --list --level 3`',
    });
  const m = resolveMonster(name);
  return {
    monster: m as unknown as Record<string, unknown>,
    derived: derived(m),
    ...(input.explain ? { explain: explainFor(m) } : {}),
  };
};

// ---------------------------------------------------------------------------------------
// text

const WIDTH = 96;

/** Wrap `text` to WIDTH columns, the first line after `first`, the rest indented by `indent`. */
function wrap(first: string, text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > WIDTH && line.trim() !== '' && line !== first) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += (line === first || line === indent ? '' : ' ') + word;
  }
  lines.push(line.trimEnd());
  return lines;
}

const SIZE_WORDS: Record<string, string> = {
  T: 'tiny',
  S: 'small',
  M: 'man-sized',
  L: 'large',
  H: 'huge',
  G: 'gargantuan',
};

const SAVE_WORDS: Record<string, string> = {
  paralyzation: 'paralyzation',
  poison: 'poison',
  'death magic': 'death magic',
  'rod, staff or wand': 'rod, staff or wand',
  petrification: 'petrification',
  polymorph: 'polymorph',
  'breath weapon': 'breath weapon',
  spell: 'spell',
};

function specialLines(label: string, list: Monster['special_attacks']): string[] {
  if (list.length === 0) return [`${label}: nil`];
  const out = [`${label}:`];
  for (const s of list) {
    const save =
      s.save === undefined
        ? ''
        : ` [save vs ${SAVE_WORDS[s.save]}${
            s.save_modifier === undefined
              ? ''
              : ` ${s.save_modifier > 0 ? '+' : ''}${s.save_modifier}`
          }]`;
    out.push(...wrap(`  - ${s.name}${save}: `, s.text, '    '));
  }
  return out;
}

function statBlock(m: Monster, d: ReturnType<typeof derived>): string[] {
  // thousands separators by hand: toLocaleString loads ICU (~50 ms on a one-shot command)
  const fmt = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const damage = damageLine(m.damage);
  const ac =
    m.ac_unarmoured === undefined ? String(m.ac) : `${m.ac} (${m.ac_unarmoured} unarmoured)`;
  const mr = m.magic_resistance === 0 ? 'nil' : `${m.magic_resistance}%`;
  const hp =
    m.hp !== undefined
      ? `${m.hp} hp`
      : m.hd.endsWith('hp') || m.hd === 'special'
        ? `avg ${d.hit_points.average}`
        : `hp ${d.hit_points.min}-${d.hit_points.max}, avg ${d.hit_points.average}`;
  const lines = [
    `${m.name.toUpperCase()}  (${m.source})`,
    `${m.frequency}, ${m.organization}${m.activity ? `, active ${m.activity}` : ''}; ${m.alignment}; Int ${d.intelligence_rating} (${m.intelligence})`,
    `AC ${ac}${m.ac_note ? ` [${m.ac_note}]` : ''}; MV ${describeMovement(m.movement)}`,
    `HD ${m.hd}${m.hd === 'special' ? '' : ` (${hp})`}; THAC0 ${m.thac0}${m.attacks_as ? ` (attacks as ${m.attacks_as} HD)` : ''}`,
    ...wrap(
      `#AT ${m.attacks}; Dmg ${damage}${m.attack_note ? ' ' : ''}`,
      m.attack_note ? `(${m.attack_note})` : '',
      '    ',
    ),
    ...specialLines('Special attacks', m.special_attacks),
    ...specialLines('Special defences', m.special_defenses),
    `MR ${mr}; Size ${m.size} (${SIZE_WORDS[m.size]}${m.size_note ? `, ${m.size_note}` : ''}); Morale ${
      m.morale === 'special' ? 'special (never checks morale)' : `${d.morale_rating} (${m.morale})`
    }; XP ${fmt(m.xp)}`,
    `Treasure ${d.treasure}; No. appearing ${m.number_appearing} (room group ${m.encounter})`,
    `Dungeon level${m.level[0] === m.level[1] ? ` ${m.level[0]}` : `s ${m.level[0]}-${m.level[1]}`}; habitat ${m.habitat.join(', ')}; kind ${m.tags.join(', ')}`,
  ];
  for (const n of m.notes ?? []) lines.push(...wrap('Note: ', n, '    '));
  if (m.lair) {
    lines.push(`Lair (${m.lair.source}):`);
    for (const x of m.lair.members) {
      const count =
        x.per !== undefined
          ? `1 per ${x.per}`
          : x.count !== undefined
            ? x.count
            : `${x.percent}% of the warriors`;
      const stats = [
        x.hd === undefined ? '' : `HD ${x.hd}`,
        x.hp === undefined ? '' : `${x.hp} hp`,
        x.ac === undefined ? '' : `AC ${x.ac}`,
        x.thac0 === undefined ? '' : `THAC0 ${x.thac0}`,
        x.damage_bonus === undefined ? '' : `+${x.damage_bonus} damage`,
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        ...wrap(
          `  - ${x.role} (${count})${stats ? `: ${stats}` : ''}${x.note ? (stats ? '; ' : ': ') : ''}`,
          x.note ?? '',
          '    ',
        ),
      );
    }
    for (const c of m.lair.companions ?? [])
      lines.push(`  - ${c.chance}% chance of ${c.name} (${c.count})`);
    if (m.lair.note) lines.push(...wrap('  ', m.lair.note, '  '));
  }
  return lines;
}

function listLines(r: Output): string[] {
  const rows = (r.monsters ?? []) as unknown as {
    name: string;
    hd: string;
    ac: number;
    thac0: number;
    xp: number;
    level: [number, number];
    habitat: string[];
  }[];
  if (rows.length === 0) return ['no monster matches'];
  const table = [
    ['name', 'HD', 'AC', 'THAC0', 'XP', 'levels', 'habitat'],
    ...rows.map((m) => [
      m.name,
      m.hd,
      String(m.ac),
      String(m.thac0),
      String(m.xp),
      `${m.level[0]}-${m.level[1]}`,
      m.habitat.join(', '),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const out = table.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  out.push(`${rows.length} monster${rows.length === 1 ? '' : 's'}`);
  return out;
}

export const text: CommandModule<'monster'>['text'] = (r) => {
  if (r.monsters !== undefined) return listLines(r).join('\n');
  const m = r.monster as unknown as Monster;
  const lines = statBlock(m, r.derived as ReturnType<typeof derived>);
  if (r.explain) lines.push('explain:', formatDerivation(r.explain));
  return lines.join('\n');
};
