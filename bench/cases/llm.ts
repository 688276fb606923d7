/**
 * Whole-process LLM commands with the offline mock adapter (issue #7: `dma audit <npc>` and
 * `--show-prompt` median ≤ 2.5× `node -e 0`). The database is a temp file, so the audit pays
 * for opening it and writing the call log and cache, as a user's run does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase } from '../types.ts';

const tempDb = () => ({ DMA_DB: join(mkdtempSync(join(tmpdir(), 'dma-bench-llm-')), 'c.db') });

export const cases: BenchCase[] = [
  {
    kind: 'process',
    name: 'audit npc (mock)',
    args: ['audit', 'examples/npc-broken.json', '--adapter', 'mock', '--fail-on', 'critical'],
    setup: tempDb,
    maxRatio: 2.5,
  },
  {
    kind: 'process',
    name: 'audit npc --show-prompt',
    args: ['audit', 'examples/npc-broken.json', '--show-prompt'],
    setup: tempDb,
    maxRatio: 2.5,
  },
  {
    kind: 'process',
    name: 'audit npc (mock, --no-cache --no-log)',
    args: ['audit', 'examples/npc-broken.json', '--fail-on', 'critical', '--dry-run'],
    setup: tempDb,
  },
  {
    kind: 'process',
    name: 'explain thac0 (mock)',
    args: ['explain', 'thac0', 'fighter', '5'],
    setup: tempDb,
  },
];
