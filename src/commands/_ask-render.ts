/**
 * `dma ask`'s answers as a DM reads them: a lookup as its own command prints it (the
 * command's text renderer, loaded only for that lookup), a creature or an NPC as a stat
 * block, a search as a list. Pure apart from the modules it loads through the CLI.
 */
import type { MessageType } from '../contracts/bus/vocabulary.ts';
import type { CreatedEntity } from '../agents/orchestrator.ts';
import type { CommandContext } from '../core/context.ts';
import type { CommandId, CommandModule } from '../generated/types.ts';
import { SAVE_CATEGORIES, SAVE_LABELS } from '../rules/saves.ts';
import { lazy } from './_lazy.ts';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** rules.lookup tables rendered by the CLI command (by id) of the same lookup. */
const LOOKUP_COMMANDS: Record<string, string> = {
  thac0: 'thac0',
  save: 'save',
  'to-hit': 'to-hit',
  ability: 'ability',
  xp: 'xp',
  'turn-undead': 'turn',
  'thief-skills': 'thief-skills',
  spells: 'spells',
} satisfies Record<string, CommandId>;

type Loaders = Pick<CommandContext, 'load' | 'loadCommand'>;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A Monstrous Manual style block from a catalogue entry. */
export function monsterBlock(m: Rec): string {
  const list = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.join(', ') : '—');
  const lines = [
    `${cap(String(m['name']))}`,
    `  Size ${String(m['size'] ?? '—')}; HD ${String(m['hd'])}; AC ${String(m['ac'])}; THAC0 ${String(m['thac0'])}${m['attacks_as'] ? ` (attacks as ${String(m['attacks_as'])} HD)` : ''}; MV ${String(m['movement'] ?? '—')}`,
    `  Attacks ${String(m['attacks'] ?? '—')}; Damage ${list(m['damage'])}`,
    `  No. appearing ${String(m['number_appearing'] ?? '—')}; Treasure ${list(m['treasure'])}; Frequency ${String(m['frequency'] ?? '—')}; XP ${String(m['xp'] ?? '—')}`,
  ];
  for (const [k, v] of Object.entries(m))
    if (
      ![
        'name',
        'size',
        'hd',
        'ac',
        'thac0',
        'attacks_as',
        'movement',
        'attacks',
        'damage',
        'number_appearing',
        'treasure',
        'frequency',
        'xp',
      ].includes(k) &&
      v !== undefined &&
      v !== null
    )
      lines.push(
        `  ${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
      );
  return lines.join('\n');
}

/** A generated NPC as the bus carries it (world.npc.generate's npcs). */
function generatedNpcBlock(n: Rec): string {
  const a = isRec(n['abilities']) ? n['abilities'] : {};
  const d = isRec(n['details']) ? n['details'] : {};
  const s = isRec(d['saves']) ? d['saves'] : {};
  const str =
    a['str_exceptional'] === undefined
      ? String(a['str'])
      : `18/${a['str_exceptional'] === 100 ? '00' : String(a['str_exceptional']).padStart(2, '0')}`;
  const lines = [
    `${String(n['name'])} — ${cap(String(n['race']))} ${String(n['class'])} ${String(n['level'])}, ${String(n['alignment'])} (${String(n['gender'])})`,
    `  AC ${String(n['armor_class'])}; HP ${String(n['hit_points'])}; THAC0 ${String(n['thac0'])}; ${Array.isArray(d['weapons']) && d['weapons'].length > 0 ? d['weapons'].join(', ') : 'unarmed'}${d['armour'] ? `; ${String(d['armour'])}` : ''}`,
    `  Str ${str}, Dex ${String(a['dex'])}, Con ${String(a['con'])}, Int ${String(a['int'])}, Wis ${String(a['wis'])}, Cha ${String(a['cha'])}`,
  ];
  if (Object.keys(s).length > 0)
    lines.push(
      `  Saves: PPD ${String(s['paralyzation'])}, RSW ${String(s['rod'])}, PP ${String(s['petrification'])}, BW ${String(s['breath'])}, Sp ${String(s['spell'])}`,
    );
  if (Array.isArray(d['spells']) && d['spells'].length > 0)
    lines.push(`  Spells: ${d['spells'].join(', ')}`);
  if (isRec(d['thief_skills']))
    lines.push(
      `  Thief skills: ${Object.entries(d['thief_skills'])
        .map(([k, v]) => `${k.replace(/_/g, ' ')} ${String(v)}%`)
        .join(', ')}`,
    );
  if (n['id']) lines.push(`  saved as npc ${String(n['id'])}`);
  return lines.join('\n');
}

/** The text of an answer (the correlation line is added by the caller). */
export async function renderAnswer(
  type: MessageType,
  payload: Rec,
  result: unknown,
  created: readonly CreatedEntity[],
  ctx: Loaders,
): Promise<string> {
  const r = isRec(result) ? result : {};
  switch (type) {
    case 'rules.thac0':
      return `${String(r['thac0'])}\nTHAC0 of a level ${String(r['level'])} ${String(r['class'])}`;
    case 'rules.save': {
      const saves = isRec(r['saves']) ? r['saves'] : {};
      const who = `a level ${String(r['level'])} ${String(r['class'])}`;
      const one = payload['save'] as keyof typeof SAVE_LABELS | undefined;
      if (one !== undefined)
        return `${String(saves[one])}\nsaving throw vs ${SAVE_LABELS[one]} of ${who} (roll this or more on d20)`;
      const width = Math.max(...SAVE_CATEGORIES.map((c) => SAVE_LABELS[c].length));
      return [
        `saving throws of ${who}:`,
        ...SAVE_CATEGORIES.map((c) => `  ${SAVE_LABELS[c].padEnd(width)}  ${String(saves[c])}`),
      ].join('\n');
    }
    case 'rules.lookup': {
      const table = String(r['table']);
      const value = r['value'];
      if (table === 'monster' && isRec(value) && isRec(value['monster'])) {
        // the stat block of `dma monster <name>`, from the same catalogue entry
        const monster = (await ctx.loadCommand('monster')) as CommandModule<'monster'>;
        const shown = await monster.run(
          { name: [String(value['monster']['name'])] } as never,
          undefined as never,
        );
        return monster.text
          ? monster.text(shown as never, {} as never)
          : monsterBlock(value['monster']);
      }
      if (table === 'saving-throws') return JSON.stringify(value);
      const id = LOOKUP_COMMANDS[table];
      const mod = id
        ? ((await ctx.loadCommand(id)) as { text?: (r: never, input: never) => string })
        : undefined;
      if (!mod?.text) return JSON.stringify(value, null, 2);
      const params = isRec(payload['params']) ? payload['params'] : {};
      // the lookup command's own input, so its renderer picks the same form
      const input = { ...params, explain: false };
      const body = mod.text(value as never, input as never);
      // "can a 5th level cleric turn a ghoul": the cell, and what it means
      const entries =
        isRec(value) && Array.isArray(value['entries']) ? (value['entries'] as Rec[]) : [];
      if (table === 'turn-undead' && params['undead'] !== undefined && entries.length === 1)
        return `${body}\n${String(entries[0]!['label'])}: ${String(entries[0]!['meaning'])}`;
      return body;
    }
    case 'rules.roll': {
      const rolls = Array.isArray(r['rolls']) ? (r['rolls'] as Rec[]) : [];
      return rolls
        .map(
          (x) =>
            `${String(x['total'])}  (${String(x['dice'] ?? x['notation'] ?? '')} [${(x['rolls'] as number[]).join(', ')}]${Array.isArray(x['dropped']) && x['dropped'].length > 0 ? ` dropped ${x['dropped'].join(', ')}` : ''})`,
        )
        .join('\n');
    }
    case 'entity.search': {
      const hits = Array.isArray(r['hits']) ? (r['hits'] as Rec[]) : [];
      if (hits.length === 0) return '(no matches)';
      return hits
        .map((h) => `${String(h['id'])}  ${String(h['type'])}  ${String(h['name'])}`)
        .join('\n');
    }
    case 'entity.retrieve':
      return (await lazy(ctx, '_entity-text')).storedEntityText(
        isRec(r['entity']) ? r['entity'] : {},
      );
    case 'world.npc.generate': {
      const npcs = Array.isArray(r['npcs']) ? (r['npcs'] as Rec[]) : [];
      const total = typeof r['total'] === 'number' ? r['total'] : npcs.length;
      const blocks = npcs.map(generatedNpcBlock);
      if (total > npcs.length) blocks.push(`… and ${total - npcs.length} more (dma npc list)`);
      return blocks.join('\n\n');
    }
    case 'world.dungeon.generate':
      return created
        .filter((e) => e.type === 'dungeon')
        .map(
          (e) =>
            `created dungeon ${e.name} (${e.id})\n  dma dungeon show ${e.id} prints its rooms and map`,
        )
        .join('\n');
    default:
      return created.map((e) => `created ${e.type} ${e.name} (${e.id})`).join('\n');
  }
}
