/** The CombatState document and its text rendering, shared by the `combat` commands. */
import type { EncounterState } from '../agents/action/combat.ts';
import type { CommandModule } from '../generated/types.ts';

type StateDoc = Awaited<ReturnType<CommandModule<'combat.status'>['run']>>;

export interface CombatDoc {
  encounter_id: string;
  status: 'active' | 'ended';
  round: number;
  seed: number;
  party: { name: string; hp: number; max_hp: number; ac: number }[];
  enemies: {
    id: string;
    name: string;
    hp: number;
    max_hp: number;
    ac: number;
    thac0: number;
    xp: number;
    status: EncounterState['enemies'][number]['status'];
  }[];
  initiative?: EncounterState['initiative'];
  log: EncounterState['log'];
  xp?: { total: number; per_character: number; defeated: string[] };
  dry_run?: boolean;
}

export function combatState(
  row: {
    id: string;
    status: 'active' | 'ended';
    round: number;
    seed: number;
    state: EncounterState;
  },
  extra: { xp?: CombatDoc['xp']; dry_run?: boolean } = {},
): CombatDoc {
  const s = row.state;
  return {
    encounter_id: row.id,
    status: row.status,
    round: row.round,
    seed: row.seed,
    party: s.party.map((p) => ({ name: p.name, hp: p.hp, max_hp: p.max_hp, ac: p.ac })),
    enemies: s.enemies.map(enemyView),
    ...(s.initiative === undefined ? {} : { initiative: s.initiative }),
    log: s.log,
    ...extra,
  };
}

export function combatText(r: StateDoc): string {
  const lines = [
    `${r.encounter_id} — ${r.status === 'active' ? `round ${r.round}` : `ended after round ${r.round}`} (seed ${r.seed})${r.dry_run ? ' [dry run: nothing written]' : ''}`,
  ];
  if (r.initiative !== undefined) {
    const i = r.initiative;
    if (i.party !== undefined && i.enemies !== undefined)
      lines.push(
        `Initiative (d10, lower first; PHB Chapter 9): party ${i.party.total}, enemies ${i.enemies.total} → ${i.first === 'simultaneous' ? 'simultaneous' : `${i.first} first`}`,
      );
  }
  lines.push('Party:');
  for (const p of r.party) lines.push(`  ${p.name}: ${p.hp}/${p.max_hp} hp, AC ${p.ac}`);
  lines.push('Enemies:');
  for (const e of r.enemies) {
    lines.push(
      `  ${e.id}: ${e.status === 'active' ? `${e.hp}/${e.max_hp} hp` : `${e.status} (${e.hp}/${e.max_hp} hp)`}, AC ${e.ac}, THAC0 ${e.thac0}, ${e.xp} XP`,
    );
  }
  if ((r.log ?? []).length > 0) {
    lines.push('Log:');
    for (const l of r.log ?? [])
      lines.push(`  ${l.round}. ${l.character}: "${l.action}" — ${l.summary}`);
  }
  if (r.xp !== undefined) {
    lines.push(
      `XP: ${r.xp.total} for ${r.xp.defeated.length} defeated (${r.xp.defeated.join(', ') || 'none'}); ${r.xp.per_character} each (Monstrous Manual XP values)`,
    );
  }
  return lines.join('\n');
}

/** An enemy as status and action show it: its numbers, not its rolled internals. */
export function enemyView(e: EncounterState['enemies'][number]) {
  return {
    id: e.id,
    name: e.name,
    hp: e.hp,
    max_hp: e.max_hp,
    ac: e.ac,
    thac0: e.thac0,
    xp: e.xp,
    status: e.status,
  };
}
