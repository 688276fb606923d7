/** The room key: one text block per room, as a DM reads it at the table. */
import type { Dungeon, MagicItem, MonsterGroup, Room, Trap, Treasure } from '../dungeon/types.ts';

function monsterLines(g: MonsterGroup): string[] {
  const dmg = g.damage.length > 0 ? g.damage.join('/') : 'none';
  const who = g.role ? `${g.name} (${g.role})` : g.name;
  const lines = [
    `${g.count} × ${who}: AC ${g.ac}, MV ${g.movement ?? '—'}, HD ${g.hd}, THAC0 ${g.thac0}, ` +
      `#AT ${g.attacks}, Dmg ${dmg}; MR ${g.magic_resistance ?? '—'}; ML ${g.morale ?? '—'}; ` +
      `XP ${g.xp_each} each (${g.xp_total})${g.source ? `; ${g.source}` : ''}`,
    `        hp ${g.hp.join(', ')}`,
  ];
  // (dungeons saved before schema 2 have no specials)
  for (const s of g.special_attacks ?? []) lines.push(`        SA ${s}`);
  for (const s of g.special_defences ?? []) lines.push(`        SD ${s}`);
  return lines;
}

export function trapText(t: Trap): string {
  return (
    `${t.name} — trigger: ${t.trigger}; effect: ${t.effect}; save: ${t.save}; damage: ${t.damage}; ` +
    `found by: ${t.detection}; removed by: ${t.removal} (${t.source})`
  );
}

function itemText(i: MagicItem): string {
  const value = [i.xp === null ? null : `${i.xp} XP`, i.gp === null ? null : `${i.gp} gp`].filter(
    Boolean,
  );
  const extra = [
    i.quantity === undefined ? null : `${i.quantity} of them`,
    i.charges === undefined ? null : `${i.charges} charges`,
    i.appears_as === undefined ? null : `appears to be ${i.appears_as}`,
  ].filter(Boolean);
  return (
    `${i.name}${i.cursed ? ' (CURSED)' : ''}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}` +
    `${value.length > 0 ? ` [${value.join(', ')}]` : ''}`
  );
}

function treasureLine(t: Treasure): string {
  const parts: string[] = [];
  for (const [coin, n] of Object.entries(t.coins)) if (n > 0) parts.push(`${n} ${coin}`);
  if (t.gems.count > 0) parts.push(`${t.gems.count} gems (${t.gems.value_gp} gp)`);
  if (t.art.count > 0) parts.push(`${t.art.count} art objects (${t.art.value_gp} gp)`);
  if ((t.items ?? []).length > 0) parts.push(`magic: ${t.items.map(itemText).join('; ')}`);
  else
    for (const m of t.magic)
      parts.push(`${m.count} magic item${m.count === 1 ? '' : 's'}: ${m.category}`);
  const what =
    parts.length > 0 ? parts.join('; ') : 'the rolls found nothing (looted, or hidden elsewhere)';
  const chest = t.container
    ? ` In a ${t.container.locked ? 'locked ' : ''}${t.container.kind}${t.container.trap ? ' (trapped)' : ''}.`
    : '';
  return `type ${t.types.join(', ')}: ${what} — worth ${t.value_gp} gp.${chest}`;
}

export function renderRoomEntry(d: Dungeon, room: Room): string {
  const c = room.contents;
  const head = c.set_piece
    ? `${room.number}. [set piece] ${room.description}`
    : `${room.number}. ${room.description}`;
  const lines = [head];
  for (const s of d.stairs)
    if (s.room === room.id)
      lines.push(`   Stairs ${s.direction}${s.direction === 'up' ? ' (entrance)' : ''}.`);
  if (c.encounter)
    lines.push(
      `   Encounter: ${c.encounter.rating} (${c.encounter.xp} XP against a budget of ${c.encounter.budget_xp}, ratio ${c.encounter.ratio}).`,
    );
  for (const g of c.monsters)
    lines.push(...monsterLines(g).map((l, i) => (i === 0 ? `   Monsters: ${l}` : l)));
  if (c.trap) lines.push(`   Trap (^ on the map): ${trapText(c.trap)}.`);
  if (c.special) lines.push(`   Feature (* on the map): ${c.special}.`);
  if (c.treasure) {
    lines.push(`   Treasure: ${treasureLine(c.treasure)}`);
    if (c.treasure.container?.trap)
      lines.push(`   Chest trap: ${trapText(c.treasure.container.trap)}.`);
  }
  const byDoor = new Map<string, { wall: string; door: string; to: string[]; trap?: Trap }>();
  for (const e of room.exits) {
    const entry = byDoor.get(e.door_id) ?? { wall: e.wall, door: e.door, to: [] };
    entry.to.push(e.to.replace(/^R/, ''));
    const door = d.doors.find((x) => x.id === e.door_id);
    if (door?.trap) entry.trap = door.trap;
    byDoor.set(e.door_id, entry);
  }
  const noun = room.shape ? 'opening' : 'door';
  const exits = [...byDoor.values()].map(
    (e) =>
      `${e.wall}: ${room.shape && e.door === 'open' ? '' : `${e.door} `}${room.shape && e.door === 'secret' ? 'hidden opening' : noun} to ${e.to.join(', ')}`,
  );
  lines.push(`   Exits: ${exits.length > 0 ? exits.join('; ') : 'none'}.`);
  for (const e of byDoor.values())
    if (e.trap) lines.push(`   Door trap (${e.wall} door): ${trapText(e.trap)}.`);
  return lines.join('\n');
}

/** The full key: header, every room, corridor traps, the wandering-monster table and the totals. */
export function renderRoomKey(d: Dungeon): string {
  const w = d.wandering_monsters;
  const out = [
    `Dungeon level ${d.options.level} — ${d.theme.name}: ${d.theme.description}. Seed ${d.seed}, ${d.rooms.length} rooms.`,
  ];
  if (d.difficulty.room_budget_xp !== undefined)
    out.push(
      `Party: ${d.difficulty.party_size} characters of level ${d.difficulty.party_level}; a fair fight is worth ` +
        `${d.difficulty.room_budget_xp} XP (${d.difficulty.xp_per_character_budget} per character; ${d.difficulty.source}).`,
    );
  out.push('', ...d.rooms.map((r) => renderRoomEntry(d, r)));
  const corridorTraps = d.corridor_traps ?? [];
  if (corridorTraps.length > 0) {
    out.push('', 'Corridor traps (^ on the map):');
    for (const t of corridorTraps)
      out.push(`   ${t.corridor} at (${t.x}, ${t.y}): ${trapText(t)}.`);
  }
  out.push(
    '',
    `Wandering monsters, level ${w.level ?? d.options.level} (${w.check}${w.source ? `; ${w.source}` : ''}):`,
    ...w.entries.map(
      (e) =>
        `   ${e.range[0] === e.range[1] ? String(e.range[0]).padStart(5) : `${String(e.range[0]).padStart(2)}-${String(e.range[1]).padStart(2)}`}  ` +
        `${e.number_appearing} ${e.result}` +
        (e.xp_each === undefined ? '' : ` (${e.xp_each} XP each; ${e.source})`) +
        (e.inhabitant === false ? ' — not in the rooms' : ''),
    ),
    '',
    `Totals: ${d.totals.xp} XP of monsters, ${d.totals.treasure_gp} gp of treasure.`,
    `Difficulty for ${d.difficulty.party_size} characters of level ${d.difficulty.party_level}: ${d.difficulty.rating} ` +
      `(average ratio ${d.difficulty.average_ratio}, hardest ${d.difficulty.hardest_room ?? 'none'} at ${d.difficulty.hardest_ratio}).`,
  );
  return out.join('\n') + '\n';
}
