/** The RNG, roll log and table roller every step of an NPC's generation writes to. */
import type { Rng } from '../../core/rng.ts';
import { npcFlavourTable } from '../../data/npc-flavour.ts';
import { npcGearTable } from '../../data/npc-gear.ts';
import { createTableRoller, type RollLogEntry, type TableSet } from '../tables.ts';
import type { RollStep } from './types.ts';

/** The tables the steps roll on: flavour (rules-data/npc-flavour.yaml) and gear. */
const TABLES: TableSet = { ...npcFlavourTable.tables, ...npcGearTable.tables };

const WEIGHT_TOTALS = new Map(
  Object.entries(TABLES).map(([k, t]) => [k, t.entries.reduce((s, e) => s + (e.weight ?? 0), 0)]),
);

/** What the steps of one NPC's generation share: its RNG, its roll log, the table roller. */
export interface Rolls {
  rng: Rng;
  log: RollStep[];
  /** roll on a table of TABLES (references followed), every roll logged under `step` */
  roll: (step: string, table: string) => string;
}

/** A fresh roll log over `rng`; each table roll is logged with its table, source and dice. */
export function startRolls(rng: Rng): Rolls {
  const log: RollStep[] = [];
  const rollerLog: RollLogEntry[] = [];
  const roller = createTableRoller(TABLES, rng, rollerLog);
  const roll = (step: string, table: string): string => {
    const from = rollerLog.length;
    const result = roller.roll(table);
    for (let i = from; i < rollerLog.length; i++) {
      const e = rollerLog[i]!;
      const t = TABLES[e.table]!;
      log.push({
        step,
        table: e.table,
        ...(t.source === undefined ? {} : { source: t.source }),
        dice: t.dice === 'weight' ? `d${WEIGHT_TOTALS.get(e.table)!}` : t.dice,
        rolls: [e.roll],
        result: e.result,
      });
    }
    return result;
  };
  return { rng, log, roll };
}

/** One of `allowed` by weight (1 when it has none); the caller logs the roll. */
export function weightedPick<K extends string>(
  weights: Partial<Record<K, number>>,
  allowed: readonly K[],
  rng: Rng,
): { value: K; roll: number; total: number } {
  const total = allowed.reduce((s, k) => s + (weights[k] ?? 1), 0);
  const roll = rng.int(1, total);
  let acc = 0;
  for (const k of allowed) {
    acc += weights[k] ?? 1;
    if (roll <= acc) return { value: k, roll, total };
  }
  throw new RangeError('weighted pick out of range');
}
