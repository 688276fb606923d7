/**
 * The campaign's stored fight on SQLite (migration 6): one active encounter at a time, its
 * state as JSON under an optimistic version, and one row per round. A stale version is a
 * ConflictError (exit 5). The steps here are synchronous; src/store/sqlite/index.ts runs
 * each write (with the caller's `alsoInTransaction`) as one transaction.
 */
import { ConflictError } from '../../core/errors.ts';
import type { EncounterRow, RoundRecord } from '../types.ts';
import type { SqliteCore } from './core.ts';

interface RawRow {
  id: string;
  status: 'active' | 'ended';
  round: number;
  seed: number;
  state: string;
  version: number;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

function parse<S>(row: RawRow): EncounterRow<S> {
  return { ...row, state: JSON.parse(row.state) as S };
}

/** A read-mode store of a missing file has no tables at all. */
const hasTable = (c: SqliteCore): boolean =>
  c.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'encounters'") === 1;

export function activeEncounter<S>(c: SqliteCore): EncounterRow<S> | undefined {
  if (!hasTable(c)) return undefined;
  const row = c.stmt("SELECT * FROM encounters WHERE status = 'active'").get() as
    RawRow | undefined;
  return row === undefined ? undefined : parse<S>(row);
}

export function encounterRounds(
  c: SqliteCore,
  id: string,
): { round: number; character: string; action: string; result: unknown }[] {
  if (!hasTable(c)) return [];
  return (
    c
      .stmt(
        'SELECT round, character, action, result FROM encounter_rounds WHERE encounter_id = ? ORDER BY round',
      )
      .all(id) as { round: number; character: string; action: string; result: string }[]
  ).map((r) => ({ ...r, result: JSON.parse(r.result) as unknown }));
}

export function encounterById<S>(c: SqliteCore, id: string): EncounterRow<S> {
  return parse<S>(c.stmt('SELECT * FROM encounters WHERE id = ?').get(id) as RawRow);
}

/** Insert a new active encounter (inside a write transaction); ConflictError when one is active. */
export function insertEncounter<S>(c: SqliteCore, seed: number, state: S): EncounterRow<S> {
  const existing = c.stmt("SELECT id FROM encounters WHERE status = 'active'").pluck().get() as
    string | undefined;
  if (existing !== undefined) {
    throw new ConflictError(`a fight is already going on (${existing})`, {
      hint: 'dma combat status, or dma combat end first',
    });
  }
  const n = c.scalar('SELECT count(*) FROM encounters');
  const id = `enc-${n + 1}`;
  const t = c.now();
  c.stmt(
    `INSERT INTO encounters (id, status, round, seed, state, version, created_at, updated_at)
     VALUES (?, 'active', 0, ?, ?, 1, ?, ?)`,
  ).run(id, seed, JSON.stringify(state), t, t);
  return encounterById<S>(c, id);
}

/** The round's update and record (inside a write transaction), if the version is still `expect`. */
export function writeRound<S>(
  c: SqliteCore,
  id: string,
  expect: number,
  round: number,
  state: S,
  record: RoundRecord,
): void {
  const t = c.now();
  const r = c
    .stmt(
      `UPDATE encounters SET round = ?, state = ?, version = version + 1, updated_at = ?
       WHERE id = ? AND version = ? AND status = 'active'`,
    )
    .run(round, JSON.stringify(state), t, id, expect);
  if (r.changes !== 1) {
    throw new ConflictError(`the fight ${id} changed meanwhile (another action?)`, {
      hint: 'dma combat status, then try again',
    });
  }
  c.stmt(
    `INSERT INTO encounter_rounds (encounter_id, round, character, action, result, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(id, round, record.character, record.action, JSON.stringify(record.result), t);
}

/** Close the encounter (inside a write transaction), if the version is still `expect`. */
export function writeEnd<S>(c: SqliteCore, id: string, expect: number, state: S): void {
  const t = c.now();
  const r = c
    .stmt(
      `UPDATE encounters SET status = 'ended', state = ?, version = version + 1,
       updated_at = ?, ended_at = ?
       WHERE id = ? AND version = ? AND status = 'active'`,
    )
    .run(JSON.stringify(state), t, t, id, expect);
  if (r.changes !== 1) {
    throw new ConflictError(`the fight ${id} changed meanwhile`, {
      hint: 'dma combat status, then try again',
    });
  }
}
