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

/** The derivation as indented text lines, for `--explain` in text mode. */
export function formatDerivation(d: Derivation): string {
  const lines: string[] = [];
  for (const u of d.uses) lines.push(`  table: ${u.table} (${u.source}), ${u.row}`);
  for (const a of d.adjustments) {
    const sign = a.value > 0 ? `+${a.value}` : String(a.value);
    lines.push(
      `  adjustment: ${sign} ${a.label} (${a.source})${a.applies_to ? ` — ${a.applies_to}` : ''}`,
    );
  }
  for (const n of d.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** `value` alone, or with `--explain` the value followed by its derivation. */
export function withExplain(value: string, d: Derivation | undefined): string {
  return d ? `${value}\n${formatDerivation(d)}` : value;
}
