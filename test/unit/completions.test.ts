import { describe, expect, it } from 'vitest';
import { completions } from '../../src/generated/completions.ts';

describe('fish completion', () => {
  const lines = completions.fish.split('\n');
  it('names the full command path in every condition', () => {
    expect(completions.fish).not.toContain('__fish_seen_subcommand_from');
    // `export` under bus and under entity: each command's options under its own path only
    const busExport = lines.filter((l) => l.includes('"__dma_at bus export"'));
    const entityExport = lines.filter((l) => l.includes('"__dma_at entity export"'));
    expect(entityExport.some((l) => / -l type /.test(l))).toBe(true);
    expect(busExport.some((l) => / -l type /.test(l))).toBe(false);
    expect(lines.some((l) => l.startsWith('complete -c dma -n "__dma_at bus" -a export '))).toBe(
      true,
    );
    // top-level words only where no command is typed yet
    expect(lines.some((l) => l.startsWith('complete -c dma -n "__dma_at" -a thac0 '))).toBe(true);
  });
  it('knows every command path it refers to', () => {
    const known = /^set -g __dma_paths (.*)$/m.exec(completions.fish)![1]!;
    const paths = new Set(JSON.parse(`[${known.replace(/" "/g, '", "')}]`) as string[]);
    for (const m of completions.fish.matchAll(/"__dma_at ([^"]+)"/g))
      expect(paths.has(m[1]!), m[1]).toBe(true);
  });
});
