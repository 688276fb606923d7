/**
 * Random tables as data, and a roller that writes every roll to a roll log.
 *
 * A table rolls `dice` ("d100", "2d6") and looks the roll up in the entries' inclusive
 * `range`s, or it is a weighted table (`dice: "weight"`) whose entries carry `weight`s.
 * A result is text or a reference `{ table: name }` that is rolled in turn; references
 * are checked once per table set: they must exist and must not form a cycle.
 */
import { UsageError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';

export type TableResult = string | { readonly table: string };

export interface TableEntry {
  /** inclusive [low, high] of the roll (dice tables) */
  readonly range?: readonly [number, number];
  /** relative weight (weighted tables) */
  readonly weight?: number;
  readonly result: TableResult;
}

export interface RandomTable {
  /** book citation, e.g. "DMG Table 85" */
  readonly source?: string;
  /** "d100", "2d6", or "weight" */
  readonly dice: string;
  readonly entries: readonly TableEntry[];
}

export type TableSet = Readonly<Record<string, RandomTable>>;

/** One roll: which table (or named roll), the number rolled, what it gave. */
export interface RollLogEntry {
  table: string;
  roll: number;
  result: string;
}

export interface DiceExpression {
  count: number;
  sides: number;
  modifier: number;
}

const DICE = /^(\d*)d(\d+)([+-]\d+)?$/;

/** Parse "2d6+1", "d100", "1d4-1" or a constant "3" (sides 0). */
export function parseDice(expr: string): DiceExpression {
  const trimmed = expr.trim();
  if (/^\d+$/.test(trimmed)) return { count: 0, sides: 0, modifier: Number(trimmed) };
  const m = DICE.exec(trimmed);
  if (!m) throw new UsageError(`dice "${expr}" is not of the form NdS+M (e.g. 2d6+1)`);
  const count = m[1] === '' ? 1 : Number(m[1]);
  const sides = Number(m[2]);
  if (count < 1 || sides < 1)
    throw new UsageError(`dice "${expr}" needs at least one die of at least one side`);
  return { count, sides, modifier: m[3] === undefined ? 0 : Number(m[3]) };
}

export function diceRange(d: DiceExpression): [number, number] {
  return d.sides === 0
    ? [d.modifier, d.modifier]
    : [d.count + d.modifier, d.count * d.sides + d.modifier];
}

export function rollParsed(d: DiceExpression, rng: Rng): number {
  let total = d.modifier;
  for (let i = 0; i < d.count; i++) total += rng.die(d.sides);
  return total;
}

/** Roll a dice expression ("3d6", "1d4+4", "7"). */
export function rollDice(expr: string, rng: Rng): number {
  return rollParsed(parseDice(expr), rng);
}

function describe(result: TableResult): string {
  return typeof result === 'string' ? result : `-> ${result.table}`;
}

/**
 * Check a table set: every dice table covers each possible roll exactly once, every
 * weighted table has only positive weights, every reference names a table of the set,
 * and no chain of references leads back to a table already on it.
 * Throws UsageError naming the table and the rule.
 */
export function validateTables(tables: TableSet): void {
  for (const [name, table] of Object.entries(tables)) {
    if (table.entries.length === 0)
      throw new UsageError(`table "${name}" has no entries; a table needs at least one`);
    if (table.dice === 'weight') {
      for (const e of table.entries) {
        if (e.weight === undefined || e.weight <= 0 || e.range !== undefined) {
          throw new UsageError(
            `table "${name}" is weighted: every entry needs a positive weight and no range`,
          );
        }
      }
    } else {
      const [low, high] = diceRange(parseDice(table.dice));
      const covered = new Map<number, number>();
      for (const e of table.entries) {
        if (e.range === undefined || e.weight !== undefined) {
          throw new UsageError(
            `table "${name}" rolls ${table.dice}: every entry needs a range and no weight`,
          );
        }
        const [a, b] = e.range;
        if (a > b || a < low || b > high) {
          throw new UsageError(
            `table "${name}": range ${a}-${b} lies outside ${table.dice} (${low}-${high})`,
          );
        }
        for (let r = a; r <= b; r++) covered.set(r, (covered.get(r) ?? 0) + 1);
      }
      for (let r = low; r <= high; r++) {
        const n = covered.get(r) ?? 0;
        if (n !== 1) {
          throw new UsageError(
            `table "${name}": roll ${r} is covered ${n} times; each roll of ${table.dice} must be covered once`,
          );
        }
      }
    }
    for (const e of table.entries) {
      if (typeof e.result !== 'string' && tables[e.result.table] === undefined) {
        throw new UsageError(`table "${name}" refers to unknown table "${e.result.table}"`);
      }
    }
  }
  // cycle detection: depth-first search, grey = on the current path
  const state = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const s = state.get(name);
    if (s === 'black') return;
    if (s === 'grey') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      throw new UsageError(
        `table references form a cycle (${cycle}); a reference must not lead back to its table`,
      );
    }
    state.set(name, 'grey');
    path.push(name);
    for (const e of tables[name]!.entries) if (typeof e.result !== 'string') visit(e.result.table);
    path.pop();
    state.set(name, 'black');
  };
  for (const name of Object.keys(tables)) visit(name);
}

const validated = new WeakSet<TableSet>();

/** Rolls on a table set and keeps the roll log. */
export interface TableRoller {
  /** roll on `table`, following references; returns the final text result */
  roll(table: string): string;
  /** roll dice and log the roll under `label` */
  dice(label: string, expr: string): number;
  /** add an entry made elsewhere (e.g. a percentile check) */
  record(table: string, roll: number, result: string): void;
  readonly log: RollLogEntry[];
  readonly rng: Rng;
}

/** Look a roll up in a table (no logging, no references followed). */
export function lookup(table: RandomTable, roll: number): TableEntry {
  if (table.dice === 'weight') {
    let acc = 0;
    for (const e of table.entries) {
      acc += e.weight ?? 0;
      if (roll <= acc) return e;
    }
  } else {
    for (const e of table.entries)
      if (e.range && roll >= e.range[0] && roll <= e.range[1]) return e;
  }
  throw new RangeError(`roll ${roll} is not on the table`);
}

export function createTableRoller(
  tables: TableSet,
  rng: Rng,
  log: RollLogEntry[] = [],
): TableRoller {
  if (!validated.has(tables)) {
    validateTables(tables);
    validated.add(tables);
  }
  const rollOne = (name: string, depth: number): string => {
    const table = tables[name];
    if (table === undefined) throw new UsageError(`no table named "${name}"`);
    // validateTables excludes cycles; this cap only guards against a table set mutated later
    if (depth > 32) throw new UsageError(`table "${name}" nests more than 32 references deep`);
    const roll =
      table.dice === 'weight'
        ? rng.int(
            1,
            table.entries.reduce((sum, e) => sum + (e.weight ?? 0), 0),
          )
        : rollDice(table.dice, rng);
    const entry = lookup(table, roll);
    log.push({ table: name, roll, result: describe(entry.result) });
    return typeof entry.result === 'string' ? entry.result : rollOne(entry.result.table, depth + 1);
  };
  return {
    roll: (name) => rollOne(name, 0),
    dice: (label, expr) => {
      const roll = rollDice(expr, rng);
      log.push({ table: label, roll, result: `${expr} = ${roll}` });
      return roll;
    },
    record: (table, roll, result) => {
      log.push({ table, roll, result });
    },
    log,
    rng,
  };
}
