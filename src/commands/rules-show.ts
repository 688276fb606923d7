import type { CommandModule } from '../generated/types.ts';
import { showTable } from '../rules/tables.ts';

export const run: CommandModule<'rules.show'>['run'] = (input) => {
  const t = showTable(input.table);
  return { ...t, notes: t.notes ?? [] };
};

const cell = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

export const text: CommandModule<'rules.show'>['text'] = (r) => {
  const rows = [r.columns, ...r.rows.map((row) => (row as unknown[]).map(cell))];
  const widths = r.columns.map((_, i) => Math.max(...rows.map((row) => cell(row[i]).length)));
  const lines = [`${r.title} — ${r.source}`, ''];
  rows.forEach((row, n) => {
    lines.push(
      row
        .map((c, i) => cell(c).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
    if (n === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n');
};
