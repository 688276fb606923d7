/** The room key: one text block per room, as a DM reads it at the table. */
import type { Dungeon, MonsterGroup, Room, Treasure } from '../dungeon/types.ts';

function monsterLine(g: MonsterGroup): string {
  const dmg = g.damage.length > 0 ? g.damage.join('/') : 'none';
  return (
    `${g.count} × ${g.name} (AC ${g.ac}, HD ${g.hd}, THAC0 ${g.thac0}, #AT ${g.attacks}, Dmg ${dmg}` +
    `${g.movement === undefined ? '' : `, MV ${g.movement}`}; hp ${g.hp.join(', ')}; XP ${g.xp_each} each, ${g.xp_total} total)`
  );
}

function treasureLine(t: Treasure): string {
  const parts: string[] = [];
  for (const [coin, n] of Object.entries(t.coins)) if (n > 0) parts.push(`${n} ${coin}`);
  if (t.gems.count > 0) parts.push(`${t.gems.count} gems (${t.gems.value_gp} gp)`);
  if (t.art.count > 0) parts.push(`${t.art.count} art objects (${t.art.value_gp} gp)`);
  for (const m of t.magic)
    parts.push(`${m.count} magic item${m.count === 1 ? '' : 's'}: ${m.category}`);
  const what = parts.length > 0 ? parts.join('; ') : 'nothing of value';
  return `type ${t.types.join(', ')}: ${what} — worth ${t.value_gp} gp`;
}

export function renderRoomEntry(d: Dungeon, room: Room): string {
  const lines = [`${room.number}. ${room.description}`];
  for (const s of d.stairs)
    if (s.room === room.id)
      lines.push(`   Stairs ${s.direction}${s.direction === 'up' ? ' (entrance)' : ''}.`);
  for (const g of room.contents.monsters) lines.push(`   Monsters: ${monsterLine(g)}.`);
  if (room.contents.trap) {
    const t = room.contents.trap;
    lines.push(`   Trap: ${t.name} — ${t.effect}; damage ${t.damage}; save ${t.save}.`);
  }
  if (room.contents.special) lines.push(`   Special: ${room.contents.special}.`);
  if (room.contents.treasure) lines.push(`   Treasure: ${treasureLine(room.contents.treasure)}.`);
  const byDoor = new Map<string, { wall: string; door: string; to: string[] }>();
  for (const e of room.exits) {
    const entry = byDoor.get(e.door_id) ?? { wall: e.wall, door: e.door, to: [] };
    entry.to.push(e.to.replace(/^R/, ''));
    byDoor.set(e.door_id, entry);
  }
  const exits = [...byDoor.values()].map((e) => `${e.wall}: ${e.door} door to ${e.to.join(', ')}`);
  lines.push(`   Exits: ${exits.length > 0 ? exits.join('; ') : 'none'}.`);
  return lines.join('\n');
}

/** The full key: header, every room, the wandering-monster table and the totals. */
export function renderRoomKey(d: Dungeon): string {
  const out = [
    `Dungeon level ${d.options.level} — ${d.theme.name}: ${d.theme.description}. Seed ${d.seed}, ${d.rooms.length} rooms.`,
    '',
    ...d.rooms.map((r) => renderRoomEntry(d, r)),
    '',
    `Wandering monsters (${d.wandering_monsters.check}):`,
    ...d.wandering_monsters.entries.map(
      (e) =>
        `   ${String(e.range[0]).padStart(2, '0')}-${String(e.range[1] % 100).padStart(2, '0')}  ${e.number_appearing} ${e.result}`,
    ),
    '',
    `Totals: ${d.totals.xp} XP of monsters, ${d.totals.treasure_gp} gp of treasure.`,
    `Difficulty for ${d.difficulty.party_size} characters of level ${d.difficulty.party_level}: ${d.difficulty.rating} ` +
      `(average ratio ${d.difficulty.average_ratio}, hardest ${d.difficulty.hardest_room ?? 'none'} at ${d.difficulty.hardest_ratio}).`,
  ];
  return out.join('\n') + '\n';
}
