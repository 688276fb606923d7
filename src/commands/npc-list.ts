import type { CommandModule } from '../generated/types.ts';
import { resolveClass } from '../rules/classes.ts';
import { resolveRace } from '../rules/race-names.ts';
import { withCampaign } from '../store/open.ts';
import type { NpcListRow } from '../store/types.ts';

export const run: CommandModule<'npc.list'>['run'] = (input, ctx) => {
  // names are checked before the database is opened (did-you-mean, exit 3)
  const klass = input.class === undefined ? undefined : resolveClass(input.class);
  const race = input.race === undefined ? undefined : resolveRace(input.race);
  return withCampaign(input, ctx, 'read', async (store) => {
    const r = await store.listNpcs({
      ...(klass === undefined ? {} : { class: klass }),
      ...(race === undefined ? {} : { race }),
      ...(input.minLevel === undefined ? {} : { minLevel: input.minLevel }),
      sort: input.sort ?? 'name',
      limit: input.limit ?? 50,
      offset: input.offset ?? 0,
    });
    return { total: r.total, entities: r.rows };
  });
};

type Row = Omit<NpcListRow, 'type' | 'version' | 'updated_at'>;

/** "fighter 5/mage 4", "fighter 7 → mage 8", "cleric 6". */
function classLevel(r: Row): string {
  if (r.classes !== undefined && r.classes.length > 0) {
    const dual = r.classes.some((c) => c.dual !== undefined);
    return r.classes.map((c) => `${c.class} ${c.level}`).join(dual ? ' → ' : '/');
  }
  return [r.class ?? '?', r.level ?? ''].join(' ').trim();
}

export const text: CommandModule<'npc.list'>['text'] = (r) => {
  const rows = r.entities as Row[];
  if (rows.length === 0) {
    return r.total === 0
      ? '(no NPCs match; make one with dma npc create)'
      : '(no NPCs on this page)';
  }
  const cells = rows.map((x) => [
    x.id,
    x.name,
    x.race ?? '',
    classLevel(x),
    x.alignment ?? '',
    x.created_at.slice(0, 16).replace('T', ' '),
  ]);
  const head = ['id', 'name', 'race', 'class/level', 'alignment', 'created'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...cells.map(line)];
  if (r.total !== undefined && r.total > rows.length)
    out.push(`(${rows.length} of ${r.total}; use --limit/--offset)`);
  return out.join('\n');
};
