/**
 * Appends to src/core/roll-log-dictionary.ts the texts that are frequent in the roll
 * logs of a fixed sample of generated NPCs and not in the dictionary yet. Existing
 * entries are never touched: stored logs refer to them by position.
 *
 *   npx tsx scripts/roll-log-dictionary.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRng } from '../src/core/rng.ts';
import { ROLL_LOG_DICTIONARY } from '../src/core/roll-log-dictionary.ts';
import { npcFlavourTable } from '../src/data/npc-flavour.ts';
import { generateNpcs } from '../src/generators/npc/index.ts';
import { multiclassCombinations } from '../src/rules/multiclass.ts';

const FILE = new URL('../src/core/roll-log-dictionary.ts', import.meta.url);
const sample = [
  ...generateNpcs({}, 3000, createRng(11)),
  ...generateNpcs({ method: 'heroic' }, 1000, createRng(12)),
  ...generateNpcs({ method: '4d6' }, 500, createRng(13)),
  ...multiclassCombinations().flatMap((c, i) =>
    generateNpcs({ class: c.name, method: 'heroic' }, 50, createRng(100 + i)),
  ),
];
const counts = new Map<string, number>();
for (const n of sample) {
  const seen = new Set<string>();
  for (const s of n.roll_log) {
    for (const v of [s.step, s.table, s.source, s.dice, s.note, s.result]) {
      if (typeof v === 'string' && v.length >= 4) seen.add(v);
    }
  }
  for (const v of seen) counts.set(v, (counts.get(v) ?? 0) + 1);
}
const known = new Set(ROLL_LOG_DICTIONARY);
// every flavour list entry: ten or so of them are in each NPC's log
for (const entries of Object.values(npcFlavourTable.lists)) {
  for (const v of entries)
    if (v.length >= 4) counts.set(v, Math.max(counts.get(v) ?? 0, sample.length));
}
// worth an entry: saves at least ~1 byte per NPC on average over the sample
const added = [...counts.entries()]
  .filter(([v, c]) => !known.has(v) && c >= 10 && c * (v.length - 3) >= sample.length)
  .sort((a, b) => b[1] * b[0].length - a[1] * a[0].length || (a[0] < b[0] ? -1 : 1))
  .map(([v]) => v);
const source = readFileSync(FILE, 'utf8');
const at = source.lastIndexOf('];');
const lines = added.map((v) => `  ${JSON.stringify(v)},\n`).join('');
const body = source.slice(0, at).replace(/\[\s*$/, '[\n');
writeFileSync(FILE, `${body}${lines}${source.slice(at)}`);
console.log(`${added.length} entries added (${ROLL_LOG_DICTIONARY.length + added.length} in all)`);
