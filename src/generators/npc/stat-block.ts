/** A printable stat block of an NPC, in the style of a module's NPC entry (pure). */
import type { Npc, RollStep } from './types.ts';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function strength(a: Npc['abilities']): string {
  if (a.str_exceptional === undefined) return String(a.str);
  return `18/${a.str_exceptional === 100 ? '00' : String(a.str_exceptional).padStart(2, '0')}`;
}

export function npcStatBlock(npc: Npc, entityId?: string | null): string {
  const a = npc.abilities;
  const s = npc.saves;
  const lines = [
    `${npc.name} — ${cap(npc.race)} ${npc.class} ${npc.level}, ${npc.alignment} (${npc.gender})`,
    `AC ${npc.armor_class}; HP ${npc.hit_points}; THAC0 ${npc.thac0}; ${npc.weapons.join(', ') || 'unarmed'}`,
    `Str ${strength(a)}, Dex ${a.dex}, Con ${a.con}, Int ${a.int}, Wis ${a.wis}, Cha ${a.cha}`,
    `Saves: PPD ${s.paralyzation}, RSW ${s.rod}, PP ${s.petrification}, BW ${s.breath}, Sp ${s.spell}`,
    `Armour: ${npc.armour}${npc.shield ? ` and ${npc.shield}` : ''}. Gear: ${npc.equipment.join(', ') || 'none'}.`,
  ];
  if (npc.spells?.length) {
    lines.push(`Spells: ${npc.spells.map((sp) => `${sp.name} (${sp.level})`).join(', ')}`);
  }
  if (npc.thief_skills) {
    lines.push(
      `Thief skills: ${Object.entries(npc.thief_skills)
        .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}%`)
        .join(', ')}`,
    );
  }
  lines.push(
    `Appearance: ${npc.appearance}`,
    `Traits: ${npc.traits.join(', ')}. Motivation: ${npc.motivation}.`,
    '',
    npc.description,
  );
  if (npc.notes) lines.push('', `Note: ${npc.notes}`);
  lines.push(
    '',
    entityId ? `Saved as npc ${entityId} (seed ${npc.seed}).` : `Not saved (seed ${npc.seed}).`,
  );
  return lines.join('\n');
}

export function rollLogText(log: readonly RollStep[]): string {
  return log
    .map((r) => {
      const how = [r.dice, r.rolls.length ? `[${r.rolls.join(', ')}]` : '']
        .filter(Boolean)
        .join(' ');
      const where = r.table
        ? ` (${r.table}${r.source ? `, ${r.source}` : ''})`
        : r.source
          ? ` (${r.source})`
          : '';
      return `  ${r.step}: ${how ? `${how} → ` : ''}${r.result}${where}${r.note ? ` — ${r.note}` : ''}`;
    })
    .join('\n');
}
