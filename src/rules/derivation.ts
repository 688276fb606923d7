/**
 * How a rules answer was reached, for `--explain`: every table consulted (with its book
 * citation and the row used) and every adjustment applied on top. One shape for every
 * lookup, so the CLI renders all of them the same way.
 */
export interface TableUse {
  /** the table's name in `rulesTables()` (e.g. "thac0", "strength") */
  table: string;
  /** book citation, e.g. "PHB Table 53" */
  source: string;
  /** the row (and column) used, in words: "priest, levels 7-9" */
  row: string;
}

export interface Adjustment {
  /** what the adjustment is: "Strength 18/76 hit probability" */
  label: string;
  /** signed amount as applied to the result's main number (or to the roll, see `applies_to`) */
  value: number;
  /** book citation */
  source: string;
  /** what it changes when that is narrower than the main result: "rsw, sp", "poison only" */
  applies_to?: string;
}

export interface Derivation {
  uses: TableUse[];
  adjustments: Adjustment[];
  /** rules notes a DM should know about this answer (house conventions, footnotes) */
  notes: string[];
}

export function derivation(
  uses: TableUse[],
  adjustments: Adjustment[] = [],
  notes: string[] = [],
): Derivation {
  return { uses, adjustments, notes };
}

/** Merge several derivations (for answers built from other answers, e.g. to-hit). */
export function mergeDerivations(...parts: Derivation[]): Derivation {
  return {
    uses: parts.flatMap((p) => p.uses),
    adjustments: parts.flatMap((p) => p.adjustments),
    notes: parts.flatMap((p) => p.notes),
  };
}
