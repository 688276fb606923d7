/** Text renderings of stored entities shared by the entity commands (pure: returns strings). */
import type { Entity, Relationship } from '../contracts/entity-types.ts';

interface Row {
  id: string;
  type: string;
  name: string;
  version: number;
  depth?: number | undefined;
  path_types?: string[] | undefined;
}

export function entityTable(rows: readonly Row[], total?: number): string {
  const tw = Math.max(4, ...rows.map((r) => r.type.length));
  const lines = rows.map((r) => {
    const via = r.path_types
      ? `  (depth ${r.depth ?? r.path_types.length}: ${r.path_types.join(' → ')})`
      : '';
    return `${r.id}  ${r.type.padEnd(tw)}  ${r.name}${via}`;
  });
  if (total !== undefined && total > rows.length)
    lines.push(`(${rows.length} of ${total}; use --limit/--offset)`);
  return lines.join('\n');
}

export function entityText(e: Entity, relationships: readonly Relationship[] = []): string {
  const { stringify } = { stringify: (v: unknown) => JSON.stringify(v, null, 2) };
  const lines = [
    `${e.name} (${e.type}, version ${e.version})`,
    `id: ${e.id}`,
    `updated: ${e.updated_at}`,
  ];
  for (const r of relationships) {
    const dir = r.source === e.id ? `→ ${r.type} → ${r.target}` : `← ${r.type} ← ${r.source}`;
    lines.push(`link: ${dir}${r.strength === null ? '' : ` (${r.strength})`}`);
  }
  lines.push('data:', stringify(e.data));
  return lines.join('\n');
}
