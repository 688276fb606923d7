/**
 * Golden check of the monster catalogue against the independent reference
 * (../shared/reference/adnd2e/monsters.json: Monstrous Manual stat blocks compared across
 * public transcriptions). For every catalogue entry the reference covers, every field
 * where the reference has a consensus is compared after the reference's normalisations
 * (README "Monsters"). Disagreements must be listed in EXCEPTIONS with the reason we are
 * sure the book says otherwise; an exception that no longer disagrees fails too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monstersTable } from '../../src/data/monsters.ts';
import type { MonsterData } from '../../src/data/monsters.ts';

type Value = string | number | string[] | null;
interface Cell {
  consensus: Value;
}
type RefMonster = Record<string, Cell>;

/** The shared reference beside the repository (a worktree sits one folder deeper). */
const REF_PATH = ['../shared', '../../shared']
  .map((d) => join(process.cwd(), d, 'reference/adnd2e/monsters.json'))
  .find((p) => existsSync(p));
if (REF_PATH === undefined) throw new Error('../shared/reference/adnd2e/monsters.json not found');
const reference = JSON.parse(readFileSync(REF_PATH, 'utf8')) as {
  monsters: Record<string, RefMonster>;
};

/**
 * "creature.field" → why the catalogue keeps its value. Only where the book is known to
 * differ from the reference's consensus (a transcription error or a normalisation the
 * reference cannot express).
 */
const EXCEPTIONS: Record<string, string> = {
  'minotaur.special_defenses':
    'the MM minotaur has no weapon immunity (it is hit by any weapon); the reference keyword "+2 or better weapons" matches other wording in its special-defence text. It is surprised only on a 1, which we keep.',
  'ankheg.damage':
    'the MM prints one bite of "3d6 + 1d4 (acid)"; ours is the 3d6 crush with the 1d4 acid in attack_note (one attack either way).',
  'giant ant.damage':
    'the MM prints the worker (1d6) and the warrior (2d4) in one cell; the catalogue entry is the worker, the warrior is in attack_note and its sting in special_attacks.',
  'giant ant.hit_dice':
    'the MM prints "worker 2, warrior 3"; the catalogue entry is the worker (2 HD).',
  'bulette.movement':
    'the MM prints "14 (3)": 3 is its burrowing rate, which the catalogue writes as "Br 3" so a generator and the stat block can use it.',
  'kuo-toa.damage':
    'the MM prints "2-5 (bite) and/or by weapon"; the reference splits that prose on the slash. Ours is the bite (1d4+1) and the weapon, its two attacks.',
  'cloaker.armor_class':
    'the MM prints "3 (1)": AC 3 for the body and 1 for the tail, not an unarmoured AC; the catalogue has ac 3 and the tail in ac_note.',
};

// ---------------------------------------------------------------------------------------
// normalisation (the reference's rules, applied to our values; and to its noisy cells)

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/** "2d4" → "2-8", "1d4+4" → "5-8", "3" → "3"; anything else unchanged. */
function diceToRange(s: string): string {
  const m = /^(\d*)d(\d+)([+-]\d+)?$/.exec(s);
  if (!m) return s;
  const n = m[1] === '' ? 1 : Number(m[1]);
  const k = m[3] === undefined ? 0 : Number(m[3]);
  return `${n + k}-${n * Number(m[2]) + k}`;
}

/** A reference cell with its parenthetical and " or …" alternatives dropped. */
function firstReading(s: string): string {
  return s
    .replace(/\([^)]*\)/g, '')
    .replace(/\s*\+\s*special$/, '')
    .split(/or/)[0]!
    .trim();
}

const IGNORED_KEYWORDS = new Set([
  'see description',
  'other',
  'nil',
  'special (unspecified)',
  'varies',
]);

function specialKinds(list: MonsterData['special_attacks']): Set<string> {
  return new Set(list.flatMap((s) => s.kind));
}

/** The disagreement for one field, or undefined when the catalogue agrees. */
function compare(m: MonsterData, field: string, ref: Value): string | undefined {
  if (ref === null) return undefined;
  const differ = (ours: unknown) =>
    `ours ${JSON.stringify(ours)}, reference ${JSON.stringify(ref)}`;
  switch (field) {
    case 'armor_class': {
      if (typeof ref === 'number') return m.ac === ref ? undefined : differ(m.ac);
      const pair = /^(-?\d+)\((-?\d+)\)$/.exec(String(ref));
      if (pair)
        return Number(pair[1]) === m.ac && Number(pair[2]) === m.ac_unarmoured
          ? undefined
          : differ(`${m.ac} (${m.ac_unarmoured ?? '-'})`);
      return undefined; // "3/7", "see below": prose
    }
    case 'movement': {
      // "(c)" is a manoeuvrability class; other parentheticals are notes ("(15)" unarmoured)
      const r = String(ref).replace(/\((?![a-e]\))[^)]*\)/g, '');
      return squash(m.movement) === r ? undefined : differ(m.movement);
    }
    case 'hit_dice': {
      const r = String(ref);
      const hp = /^(\d+)\((\d+)hp\)$/.exec(r);
      if (hp) return m.hd === hp[1] && m.hp === Number(hp[2]) ? undefined : differ(m.hd);
      // "11+" (at least 11) and "7-8" (sizes from 7 to 8 HD): ours is one of them
      const open = /^(\d+)\+$/.exec(r);
      if (open) return Number(m.hd) >= Number(open[1]) ? undefined : differ(m.hd);
      const span = /^(\d+)-(\d+)$/.exec(r);
      if (span && Number(span[2]) > Number(span[1]))
        return /^\d+$/.test(m.hd) &&
          Number(m.hd) >= Number(span[1]) &&
          Number(m.hd) <= Number(span[2])
          ? undefined
          : differ(m.hd);
      // "3+3or4+4": ours is one of the readings
      const readings = r.replace(/\([^)]*\)/g, '').split('or');
      return readings.some((x) => squash(m.hd) === squash(x.replace(/to.*/, '')))
        ? undefined
        : differ(m.hd);
    }
    case 'thac0':
      return typeof ref === 'number' && m.thac0 !== ref ? differ(m.thac0) : undefined;
    case 'number_of_attacks': {
      const span = /^(\d+)-(\d+)$/.exec(String(ref));
      if (span)
        return m.attacks >= Number(span[1]) && m.attacks <= Number(span[2])
          ? undefined
          : differ(m.attacks);
      // "1or2": ours is one of the readings
      const alternatives = /^(\d+)or(\d+)$/.exec(String(ref));
      if (alternatives)
        return [Number(alternatives[1]), Number(alternatives[2])].includes(m.attacks)
          ? undefined
          : differ(m.attacks);
      const n = typeof ref === 'number' ? ref : Number(/^(\d+)/.exec(String(ref))?.[1]);
      return Number.isNaN(n) || n === m.attacks ? undefined : differ(m.attacks);
    }
    case 'damage': {
      // the reference splits on "/", so "1-3/1-3/1-6 or 1-3/1-3/weapon" arrives in pieces:
      // rejoin, keep the first reading, split again; repeated attacks may be printed once
      const dedupe = (l: string[]) => l.filter((d, i) => i === 0 || d !== l[i - 1]);
      const refs = dedupe(
        (ref as string[])
          .join('/')
          .split(' or ')[0]!
          .split('/')
          .map((d) => firstReading(d).replace(/^weapon$/, 'by weapon')),
      );
      if (refs.every((r) => /see|varies/.test(r))) return undefined; // prose
      const all = m.damage.map((d) => (d === 'special' ? d : diceToRange(d)));
      const ours = refs.length < all.length ? dedupe(all) : all;
      // one cell listing the damage of each size ("1-6,2-12,3-18"): ours is one of them
      if (refs.length === 1 && refs[0]!.includes(',') && ours.length === 1)
        return refs[0]!.split(',').includes(ours[0]!) ? undefined : differ(m.damage);
      // "2-12, 1-6": two attacks printed in one cell
      if (refs.length === 1 && refs[0]!.includes(',') && ours.length > 1)
        refs.splice(0, 1, ...refs[0]!.split(',').map((x) => x.trim()));
      const same = (o: string, r: string) =>
        o === r ||
        (o === 'special' && !/^\d+(-\d+)?$/.test(r)) ||
        (o.startsWith('by weapon') && r.startsWith('by weapon'));
      if (refs.length === 1 && ours.every((o) => same(o, refs[0]!))) return undefined;
      if (refs.length !== ours.length) return differ(m.damage);
      return refs.every((r, i) => same(ours[i]!, r)) ? undefined : differ(m.damage);
    }
    case 'special_attacks':
    case 'special_defenses': {
      const list = field === 'special_attacks' ? m.special_attacks : m.special_defenses;
      const kw = ref as string[];
      if (kw.length === 1 && kw[0] === 'nil')
        return list.length === 0 ? undefined : differ(list.map((s) => s.name));
      const kinds = specialKinds(list);
      const missing = kw.filter((k) => !IGNORED_KEYWORDS.has(k) && !kinds.has(k));
      return missing.length === 0
        ? undefined
        : `missing ${missing.join(', ')}; ${differ([...kinds])}`;
    }
    case 'magic_resistance': {
      const r = String(ref);
      if (r === 'nil') return m.magic_resistance === 0 ? undefined : differ(m.magic_resistance);
      const pct = /^(\d+)%$/.exec(r);
      if (pct)
        return Number(pct[1]) === m.magic_resistance ? undefined : differ(m.magic_resistance);
      return undefined;
    }
    case 'size': {
      const r = String(ref);
      const range = /^([TSMLHG])-([TSMLHG])$/.exec(r);
      if (range) {
        const order = 'TSMLHG';
        const i = order.indexOf(m.size);
        return i >= order.indexOf(range[1]!) && i <= order.indexOf(range[2]!)
          ? undefined
          : differ(m.size);
      }
      return m.size === r ? undefined : differ(m.size);
    }
    case 'morale':
    case 'intelligence': {
      if (/see|varies/.test(String(ref))) return undefined; // prose
      const ours = field === 'morale' ? m.morale : m.intelligence;
      return ours === String(ref) ? undefined : differ(ours);
    }
    case 'xp_value':
      return typeof ref === 'number' && m.xp !== ref ? differ(m.xp) : undefined;
    case 'treasure_type': {
      const ours = [...m.treasure.individual, ...m.treasure.lair]
        .map((t) => t[0]!)
        .filter((t, i, a) => a.indexOf(t) === i)
        .sort()
        .join(',');
      const r = String(ref);
      if (/^[A-Z](,[A-Z])*$/.test(r)) return ours === r ? undefined : differ(ours);
      if (r.startsWith('nil')) return ours === '' ? undefined : differ(ours);
      return undefined;
    }
    case 'frequency':
      return m.frequency === ref ? undefined : differ(m.frequency);
    case 'alignment':
      if (/see|varies/.test(String(ref))) return undefined; // prose
      return m.alignment === ref ? undefined : differ(m.alignment);
    case 'number_appearing': {
      const r = diceToRange(firstReading(String(ref)));
      return diceToRange(m.number_appearing) === r ? undefined : differ(m.number_appearing);
    }
    default:
      return undefined;
  }
}

function referenceEntry(m: MonsterData): RefMonster | undefined {
  for (const n of [m.name, ...(m.aliases ?? [])]) {
    const r = reference.monsters[n];
    if (r) return r;
  }
  return undefined;
}

describe('monster catalogue against the reference (monsters.json)', () => {
  const disagreements: Record<string, string> = {};
  let compared = 0;
  for (const m of monstersTable.monsters) {
    const ref = referenceEntry(m);
    if (!ref) continue;
    for (const [field, cell] of Object.entries(ref)) {
      if (field.startsWith('_') || cell.consensus === undefined) continue;
      compared++;
      const d = compare(m, field, cell.consensus);
      if (d !== undefined) disagreements[`${m.name}.${field}`] = d;
    }
  }

  it('compares most of the catalogue', () => {
    const covered = monstersTable.monsters.filter((m) => referenceEntry(m)).length;
    expect(covered).toBeGreaterThanOrEqual(Math.floor(monstersTable.monsters.length * 0.6));
    expect(compared).toBeGreaterThan(covered * 10);
  });

  it('agrees on every field with a consensus, apart from the explained exceptions', () => {
    const unexplained = Object.fromEntries(
      Object.entries(disagreements).filter(([k]) => !(k in EXCEPTIONS)),
    );
    expect(unexplained).toEqual({});
  });

  it('has no stale exceptions', () => {
    const stale = Object.keys(EXCEPTIONS).filter((k) => !(k in disagreements));
    expect(stale).toEqual([]);
  });
});
