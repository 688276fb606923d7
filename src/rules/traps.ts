/**
 * Traps for dungeon keys (rules-data/traps.yaml): chosen by placement and dungeon level
 * with the seeded Rng, and resolved into what a DM reads at the table — trigger,
 * effect, damage, save, how it is found (thief, dwarf, gnome, spells) and removed.
 */
import { UsageError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import { trapsTable, type TrapData, type TrapPlacement } from '../data/traps.ts';
import { normaliseName } from './names.ts';

export type { TrapPlacement };

export const TRAP_PLACEMENTS: readonly TrapPlacement[] = [
  'door',
  'chest',
  'corridor',
  'room',
  'stairs',
];

const SAVE_NAMES: Record<string, string> = {
  ppd: 'paralyzation, poison or death magic',
  rsw: 'rod, staff or wand',
  pp: 'petrification or polymorph',
  bw: 'breath weapon',
  sp: 'spell',
};

export interface RacialDetection {
  race: 'dwarf' | 'gnome' | 'halfling';
  ability: string;
  /** e.g. "1-3 on 1d6" */
  chance: string;
  source: string;
}

export interface RolledTrap {
  name: string;
  kind: 'mechanical' | 'magical';
  placement: TrapPlacement;
  /** dungeon levels the trap suits */
  levels: [number, number];
  trigger: string;
  effect: string;
  damage?: string;
  /** missiles or blades: attacks as a monster of this THAC0, this many (rolled) */
  attack?: { thac0: number; count: number };
  save: {
    category: 'ppd' | 'rsw' | 'pp' | 'bw' | 'sp' | 'none';
    outcome: 'negates' | 'half' | 'partial' | 'none';
    modifier?: number;
    /** "save vs. spell for half", "no save" */
    text: string;
  };
  detection: {
    /** percent added to the thief's Find/Remove Traps to find it */
    thief_adjust: number;
    /** magical traps: the thief's chance is halved (PHB ch. 3) */
    thief_halved: boolean;
    racial: RacialDetection[];
    spells: string[];
    signs: string;
  };
  removal: {
    thief: boolean;
    thief_adjust: number;
    /** a failed removal roll of this or higher springs the trap (PHB ch. 3) */
    springs_on: number;
    how: string;
    bypass: string;
  };
  reset: 'automatic' | 'manual' | 'none';
  source: string;
}

function saveText(s: TrapData['save']): string {
  if (s.category === 'none') return 'no save';
  const mod = s.modifier ? ` at ${s.modifier > 0 ? '+' : ''}${s.modifier}` : '';
  const outcome =
    s.outcome === 'half'
      ? ' for half'
      : s.outcome === 'negates'
        ? ' negates'
        : s.outcome === 'partial'
          ? ' reduces the effect'
          : '';
  return `save vs. ${SAVE_NAMES[s.category]}${mod}${outcome}`;
}

/** Resolve a trap entry for a placement (no rolls except the number of missiles). */
export function resolveTrap(t: TrapData, placement: TrapPlacement, rng?: Rng): RolledTrap {
  const out: RolledTrap = {
    name: t.name,
    kind: t.kind,
    placement,
    levels: [t.levels[0], t.levels[1]],
    trigger: t.trigger,
    effect: t.effect,
    save: { ...t.save, text: saveText(t.save) },
    detection: {
      thief_adjust: t.detection.thief_adjust,
      thief_halved: t.kind === 'magical',
      racial: (t.detection.racial ?? []).map((k) => {
        const r = trapsTable.racial_detection[k]!;
        return {
          race: r.race,
          ability: r.ability,
          chance: `1-${r.chance.max} on 1d${r.chance.die}`,
          source: r.source,
        };
      }),
      spells: [...t.detection.spells],
      signs: t.detection.signs,
    },
    removal: { ...t.removal, springs_on: trapsTable.thief.springs_on },
    reset: t.reset,
    source: t.source,
  };
  if (t.damage !== undefined) out.damage = t.damage;
  if (t.attack) {
    const count = rng ? rollCount(t.attack.count, rng) : minCount(t.attack.count);
    out.attack = { thac0: t.attack.thac0, count };
  }
  return out;
}

function rollCount(expr: string, rng: Rng): number {
  const m = /^(\d*)d(\d+)([+-]\d+)?$/.exec(expr);
  if (!m) return Number(expr);
  let total = m[3] === undefined ? 0 : Number(m[3]);
  for (let i = 0; i < (m[1] === '' ? 1 : Number(m[1])); i++) total += rng.die(Number(m[2]));
  return total;
}

function minCount(expr: string): number {
  const m = /^(\d*)d(\d+)([+-]\d+)?$/.exec(expr);
  return m
    ? (m[1] === '' ? 1 : Number(m[1])) + (m[3] === undefined ? 0 : Number(m[3]))
    : Number(expr);
}

export interface RollTrapOptions {
  placement: TrapPlacement;
  /** dungeon level (1 and up) */
  level: number;
}

/** The traps that fit a placement and dungeon level (widening the level if none do). */
export function trapsFor(placement: TrapPlacement, level: number): TrapData[] {
  const here = trapsTable.traps.filter((t) => t.placements.includes(placement));
  const lvl = Math.max(1, Math.min(20, Math.floor(level)));
  for (let slack = 0; slack <= 20; slack++) {
    const fit = here.filter((t) => lvl >= t.levels[0] - slack && lvl <= t.levels[1] + slack);
    if (fit.length > 0) return fit;
  }
  return here;
}

/** Roll a trap for a placement and dungeon level (weighted by each trap's frequency). */
export function rollTrap(rng: Rng, options: RollTrapOptions): RolledTrap {
  if (!TRAP_PLACEMENTS.includes(options.placement))
    throw new UsageError(`unknown trap placement "${String(options.placement)}"`, {
      hint: `one of: ${TRAP_PLACEMENTS.join(', ')}`,
    });
  if (!Number.isFinite(options.level) || options.level < 1)
    throw new UsageError(`dungeon level must be 1 or more (got ${options.level})`);
  const fit = trapsFor(options.placement, options.level);
  const total = fit.reduce((a, t) => a + t.weight, 0);
  let roll = rng.int(1, total);
  let chosen = fit[fit.length - 1]!;
  for (const t of fit) {
    roll -= t.weight;
    if (roll <= 0) {
      chosen = t;
      break;
    }
  }
  return resolveTrap(chosen, options.placement, rng);
}

/** A trap by name (case and punctuation ignored), for lookups. */
export function findTrap(name: string): TrapData | undefined {
  const key = normaliseName(name);
  return trapsTable.traps.find((t) => normaliseName(t.name) === key);
}

export function trapNames(): string[] {
  return trapsTable.traps.map((t) => t.name);
}
