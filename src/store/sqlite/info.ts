/** Size, schema version and counts of an SQLite campaign, and its integrity check. */
import { statSync } from 'node:fs';
import type { CheckResult, StoreInfo } from '../types.ts';
import type { SqliteCore } from './core.ts';

/** Size, schema version and counts. On a missing database (read mode) everything is 0. */
export function info(c: SqliteCore): StoreInfo {
  let size = 0;
  let wal = 0;
  if (c.exists && c.path !== ':memory:') {
    size = statSync(c.path).size;
    wal = statSync(`${c.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  }
  const counts: Record<string, number> = {};
  for (const r of c
    .stmt('SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type')
    .all() as { type: string; n: number }[]) {
    counts[r.type] = r.n;
  }
  return {
    path: c.path,
    exists: c.exists,
    size_bytes: size,
    wal_bytes: wal,
    schema_version: c.exists ? (c.db.pragma('user_version', { simple: true }) as number) : 0,
    entities: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    relationships: c.scalar('SELECT count(*) FROM relationships'),
  };
}

/** PRAGMA integrity_check, PRAGMA foreign_key_check and the FTS index's own check. */
export function check(c: SqliteCore): CheckResult {
  const integrity = (c.db.pragma('integrity_check') as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
  const foreign_keys = c.db.pragma('foreign_key_check') as CheckResult['foreign_keys'];
  let fts = 'ok';
  try {
    c.db.exec(`INSERT INTO entities_fts (entities_fts, rank) VALUES ('integrity-check', 0)`);
    const missing = c.scalar(
      'SELECT count(*) FROM entities WHERE seq NOT IN (SELECT rowid FROM entities_fts)',
    );
    const stray = c.scalar(
      'SELECT count(*) FROM entities_fts WHERE rowid NOT IN (SELECT seq FROM entities)',
    );
    if (missing + stray > 0)
      fts = `search index out of step: ${missing} entities unindexed, ${stray} stray rows (run reindex)`;
  } catch (err) {
    fts = (err as Error).message;
  }
  return {
    ok:
      integrity.length === 1 && integrity[0] === 'ok' && foreign_keys.length === 0 && fts === 'ok',
    integrity,
    foreign_keys,
    fts,
  };
}
