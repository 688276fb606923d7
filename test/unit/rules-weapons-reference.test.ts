/**
 * Weapons data against ../shared/reference/adnd2e/weapons_phb.json (damage where its two
 * sources agree; size, type and speed from its Roll20 transcription of PHB Table 44).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { weaponsTable } from '../../src/data/weapons.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ref = JSON.parse(
  readFileSync(join(root, '../shared/reference/adnd2e/weapons_phb.json'), 'utf8'),
) as {
  weapons: Record<
    string,
    {
      roll20?: {
        size: string;
        type: string;
        speed: number;
        vs_small_medium: string | null;
        vs_large: string | null;
      };
      damage_agree?: boolean;
    }
  >;
};

/** Deliberate differences: "<weapon> <field>" → why. */
const EXCEPTIONS: Record<string, string> = {
  'morning star type':
    'PHB Table 44 lists the morning star as B; only the Roll20 transcription has P/B',
};

/** "long bow, flight arrow" → our launcher row and its ammunition. */
function find(refName: string) {
  const [head, tail] = refName.split(', ');
  if (tail === 'one-handed' || tail === 'two-handed') {
    return {
      weapon: weaponsTable.weapons.find((w) => w.name === `${head} (${tail})`),
      ammo: undefined,
    };
  }
  const weapon = weaponsTable.weapons.find((w) => w.name === head);
  const ammo =
    tail === undefined
      ? undefined
      : weapon?.ammunition?.find(
          (a) => a.name === tail || a.name === `sling ${tail}` || a.name.endsWith(` ${tail}`),
        );
  return { weapon, ammo };
}

const dice = (d: string | null | undefined) => (d == null ? null : d.replace('!', ''));

describe('weapons vs the reference', () => {
  it('matches damage, size, type and speed', () => {
    const diffs: string[] = [];
    const seen = new Set<string>();
    const cmp = (id: string, ours: unknown, theirs: unknown) => {
      if (JSON.stringify(ours) === JSON.stringify(theirs)) return;
      if (id in EXCEPTIONS) seen.add(id);
      else diffs.push(`${id}: ours ${JSON.stringify(ours)}, reference ${JSON.stringify(theirs)}`);
    };
    let n = 0;
    for (const [name, rec] of Object.entries(ref.weapons)) {
      const { weapon, ammo } = find(name);
      expect(weapon, `no weapon for "${name}"`).toBeDefined();
      if (name.includes(', ') && !name.endsWith('-handed'))
        expect(ammo, `no ammunition for "${name}"`).toBeDefined();
      const r = rec.roll20;
      if (r === undefined) continue;
      n++;
      const dmg = ammo ?? weapon!;
      if (rec.damage_agree !== false) {
        cmp(`${name} damage_sm`, dmg.damage_sm, dice(r.vs_small_medium));
        cmp(`${name} damage_l`, dmg.damage_l, dice(r.vs_large));
      }
      cmp(`${weapon!.name} size`, weapon!.size, r.size);
      cmp(`${weapon!.name} speed`, weapon!.speed, r.speed);
      const type = ammo?.type ?? weapon!.type;
      cmp(`${weapon!.name} type`, type, r.type === '—' ? null : r.type);
    }
    expect(n).toBeGreaterThan(60);
    expect(diffs).toEqual([]);
    expect([...seen]).toEqual(Object.keys(EXCEPTIONS));
  });
});
