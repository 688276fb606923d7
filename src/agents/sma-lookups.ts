/**
 * System Mastery's generic lookups (`rules.lookup`): every rules table the CLI has a
 * command for, under the command's name, its first argument as the key and the rest as
 * params. The value is the record the command prints with `--format json` (without
 * schema_version and the derivation), so `dma ask` renders it as the command would.
 */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { abilityRow } from '../rules/abilities.ts';
import { resolveMonster } from '../rules/monsters.ts';
import type { Derivation } from '../rules/derivation.ts';
import { levelForXp, xpForLevel } from '../rules/experience.ts';
import { saveFor, saves } from '../rules/saves.ts';
import { spellSlots } from '../rules/spells.ts';
import { thac0 } from '../rules/thac0.ts';
import { thiefSkills } from '../rules/thief-skills.ts';
import { toHit } from '../rules/to-hit.ts';
import { turnUndead } from '../rules/turn-undead.ts';

export type LookupParams = Readonly<Record<string, string | number | boolean>>;

export interface LookupAnswer {
  value: unknown;
  source: string;
}

const sourcesOf = (d: Derivation) => [...new Set(d.uses.map((u) => u.source))].join('; ');
const int = (p: LookupParams, k: string): number | undefined =>
  typeof p[k] === 'number' ? (p[k] as number) : undefined;
const str = (p: LookupParams, k: string): string | undefined =>
  typeof p[k] === 'string' ? (p[k] as string) : undefined;

function levelOf(key: string | number, what: string): number {
  const n = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new UsageError(`${what}: the key must be a level from 1 to 100, not "${String(key)}"`);
  return n;
}

type Lookup = (key: string | number, p: LookupParams) => LookupAnswer;

export const LOOKUPS: Readonly<Record<string, Lookup>> = {
  thac0: (key) => {
    const [klass, level] = String(key).split(':');
    const r = thac0(klass ?? '', levelOf(level ?? '', 'thac0'));
    return {
      value: {
        ...(r.class === undefined ? {} : { class: r.class }),
        group: r.group,
        level: r.level,
        thac0: r.thac0,
      },
      source: sourcesOf(r.derivation),
    };
  },
  'saving-throws': (key) => {
    const [klass, level] = String(key).split(':');
    const r = saves(klass ?? '', levelOf(level ?? '', 'saving-throws'));
    return { value: r.saves, source: sourcesOf(r.derivation) };
  },
  // `dma save`'s record: with a race and Constitution, the racial bonus (PHB Table 9), and
  // "poison" asked for as poison (a dwarf's bonus is for poison, not paralysis)
  save: (key, p) => {
    const race = str(p, 'race');
    const con = int(p, 'con');
    const vs = str(p, 'vs');
    const opts = { ...(race === undefined ? {} : { race }), ...(con === undefined ? {} : { con }) };
    const level = levelOf(int(p, 'level') ?? '', 'save');
    const one = vs === undefined ? undefined : saveFor(String(key), level, vs, opts);
    const r = one?.result ?? saves(String(key), level, opts);
    return {
      value: {
        ...(r.class === undefined ? {} : { class: r.class }),
        group: r.group,
        level: r.level,
        ...(r.race === undefined ? {} : { race: r.race }),
        ...(con === undefined ? {} : { con }),
        saves: r.saves,
        base: r.base,
        adjustments: r.adjustments,
        ...(one ? { vs: one.category, value: one.value } : {}),
      },
      source: sourcesOf(r.derivation),
    };
  },
  xp: (key, p) => {
    const level = int(p, 'level');
    const xp = int(p, 'xp');
    if (level !== undefined && xp !== undefined)
      throw new UsageError('xp: give either an XP total or a level, not both');
    if (level !== undefined) {
      const r = xpForLevel(String(key), level);
      return {
        value: { class: r.class, level: r.level, xp: r.xp },
        source: sourcesOf(r.derivation),
      };
    }
    if (xp === undefined) throw new UsageError('xp: give an XP total or a level');
    const r = levelForXp(String(key), xp);
    return {
      value: {
        class: r.class,
        level: r.level,
        xp: r.xp,
        xp_to_next: r.xp_to_next,
        next_level_xp: r.next_level_xp,
      },
      source: sourcesOf(r.derivation),
    };
  },
  'turn-undead': (key, p) => {
    const klass = str(p, 'class');
    const r = turnUndead(
      levelOf(key, 'turn-undead'),
      str(p, 'undead'),
      klass === undefined ? {} : { class: klass },
    );
    return {
      value: { priest_level: r.priest_level, column: r.column, entries: r.entries },
      source: sourcesOf(r.derivation),
    };
  },
  'thief-skills': (key, p) => {
    const race = str(p, 'race');
    const dex = int(p, 'dex');
    const r = thiefSkills(levelOf(key, 'thief-skills'), {
      ...(race === undefined ? {} : { race }),
      ...(dex === undefined ? {} : { dex }),
    });
    return {
      value: {
        level: r.level,
        race: r.race,
        ...(r.dex === undefined ? {} : { dex: r.dex }),
        allocation: r.allocation,
        skills: r.skills,
      },
      source: sourcesOf(r.derivation),
    };
  },
  spells: (key, p) => {
    const wis = int(p, 'wis');
    const r = spellSlots(String(key), levelOf(int(p, 'level') ?? '', 'spells'), {
      ...(wis === undefined ? {} : { wis }),
    });
    return {
      value: {
        class: r.class,
        level: r.level,
        ...(r.wis === undefined ? {} : { wis: r.wis }),
        spells: r.spells,
      },
      source: sourcesOf(r.derivation),
    };
  },
  'to-hit': (key, p) => {
    const ac = int(p, 'ac');
    if (ac === undefined) throw new UsageError('to-hit: give the target armour class (ac)');
    const level = levelOf(int(p, 'level') ?? '', 'to-hit');
    const strength = str(p, 'str');
    const r = toHit(
      { class: String(key), level },
      ac,
      strength === undefined ? {} : { str: strength },
    );
    return {
      value: {
        class: String(key).toLowerCase(),
        level,
        thac0: r.thac0,
        ac: r.ac,
        attack: r.attack,
        roll_needed: r.roll_needed,
        adjustments: r.adjustments,
      },
      source: sourcesOf(r.derivation),
    };
  },
  ability: (key, p) => {
    const score = p['score'];
    if (score === undefined || typeof score === 'boolean')
      throw new UsageError('ability: give the score');
    const klass = str(p, 'class');
    const r = abilityRow(String(key), score, klass === undefined ? {} : { class: klass });
    return {
      value: { ability: r.ability, score: r.score, row_key: r.row_key, row: r.row },
      source: sourcesOf(r.derivation),
    };
  },
  // the catalogue entry, as `dma monster <name> --format json` has it under "monster"
  monster: (key) => {
    const m = resolveMonster(String(key));
    return { value: { monster: m }, source: m.source };
  },
};

/** Run a lookup; UsageError (an error response) for an unknown table or a bad key. */
export function ruleLookup(table: string, key: string | number, params: LookupParams = {}) {
  const lookup = LOOKUPS[table];
  if (!lookup)
    throw new UsageError(
      `rules.lookup: no table "${table}"${didYouMean(table, Object.keys(LOOKUPS))}`,
      {
        hint: `tables: ${Object.keys(LOOKUPS).join(', ')}`,
      },
    );
  return lookup(key, params);
}
