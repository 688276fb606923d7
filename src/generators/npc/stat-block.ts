/** A printable stat block of an NPC, in the style of a module's NPC entry (pure). */
import type { Npc, RollStep } from './types.ts';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function strength(a: Npc['abilities']): string {
  if (a.str_exceptional === undefined) return String(a.str);
  return `18/${a.str_exceptional === 100 ? '00' : String(a.str_exceptional).padStart(2, '0')}`;
}

/** "fighter 5/mage 4", "fighter 7 → mage 8 (dual-class)", or "fighter 5". */
export function classLine(npc: Pick<Npc, 'class' | 'level' | 'classes'>): string {
  const c = npc.classes;
  if (c === undefined || c.length === 0) return `${npc.class} ${npc.level}`;
  if (c.some((e) => e.dual !== undefined)) {
    return `${c.map((e) => `${e.class} ${e.level}`).join(' → ')} (dual-class)`;
  }
  return c.map((e) => `${e.class} ${e.level}`).join('/');
}

/**
 * The stat block; `mode` "show" (a stored NPC shown again) ends with its id and seed, not
 * "Saved as" (issue 15).
 */
export function npcStatBlock(
  npc: Npc,
  entityId?: string | null,
  mode: 'create' | 'show' = 'create',
): string {
  const a = npc.abilities;
  const s = npc.saves;
  const xp =
    npc.classes === undefined
      ? undefined
      : npc.classes.some((e) => e.dual !== undefined)
        ? npc.classes.map((e) => `${e.class} ${e.xp}`).join(', ')
        : `${npc.classes[0]!.xp} each (${npc.classes[0]!.xp * npc.classes.length} in all)`;
  const lines = [
    `${npc.name} — ${cap(npc.race)} ${classLine(npc)}, ${npc.alignment} (${npc.gender})`,
    ...(xp === undefined ? [] : [`XP: ${xp}`]),
    `AC ${npc.armor_class}; HP ${npc.hit_points}; THAC0 ${npc.thac0}; ${npc.weapons.join(', ') || 'unarmed'}`,
    `Str ${strength(a)}, Dex ${a.dex}, Con ${a.con}, Int ${a.int}, Wis ${a.wis}, Cha ${a.cha}`,
    `Saves: PPD ${s.paralyzation}${npc.poison_save === undefined ? '' : ` (poison ${npc.poison_save})`}, RSW ${s.rod}, PP ${s.petrification}, BW ${s.breath}, Sp ${s.spell}`,
    `Armour: ${npc.armour}${npc.shield ? ` and ${npc.shield}` : ''}. Gear: ${npc.equipment.join(', ') || 'none'}.`,
  ];
  if (npc.spells?.length) {
    const by = new Map<string, string[]>();
    for (const sp of npc.spells) {
      const k = sp.class ?? '';
      by.set(k, [...(by.get(k) ?? []), `${sp.name} (${sp.level})`]);
    }
    for (const [k, list] of by) {
      lines.push(`${k === '' ? 'Spells' : `${cap(k)} spells`}: ${list.join(', ')}`);
    }
  }
  if (npc.thief_skills) {
    lines.push(
      `${npc.classes?.some((e) => e.class === 'thief' || e.class === 'bard') || npc.class === 'thief' || npc.class === 'bard' ? 'Thief skills' : 'Ranger skills'}: ${Object.entries(
        npc.thief_skills,
      )
        .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}%`)
        .join(', ')}`,
    );
  }
  if (npc.turn_undead) {
    lines.push(
      `Turn undead (as level ${npc.turn_undead.as_level}): ${Object.entries(npc.turn_undead.results)
        .filter(([, v]) => v !== '-')
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  if (npc.spell_failure) {
    lines.push(`Spell failure: ${npc.spell_failure}% (Wisdom ${a.wis})`);
  }
  if (npc.racial_abilities?.length) {
    lines.push(`Racial abilities: ${npc.racial_abilities.join('; ')}.`);
  }
  if (npc.weapon_proficiencies) {
    lines.push(`Weapon proficiencies: ${npc.weapon_proficiencies.join(', ') || 'none'}.`);
  }
  if (npc.nonweapon_proficiencies?.length) {
    lines.push(`Non-weapon proficiencies: ${npc.nonweapon_proficiencies.join(', ')}.`);
  }
  if (npc.languages?.length) lines.push(`Languages: ${npc.languages.join(', ')}.`);
  if (npc.magic_items?.length) lines.push(`Magic items: ${npc.magic_items.join(', ')}.`);
  lines.push(
    `Appearance: ${npc.appearance}`,
    `Traits: ${npc.traits.join(', ')}. Motivation: ${npc.motivation}.`,
    '',
    npc.description,
  );
  if (npc.notes) lines.push('', `Note: ${npc.notes}`);
  lines.push(
    '',
    mode === 'show'
      ? `npc ${entityId} (seed ${npc.seed}).`
      : entityId
        ? `Saved as npc ${entityId} (seed ${npc.seed}).`
        : `Not saved (seed ${npc.seed}).`,
  );
  return lines.join('\n');
}

export function rollLogText(log: readonly Omit<RollStep, never>[]): string {
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
