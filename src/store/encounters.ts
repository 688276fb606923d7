/**
 * The campaign's stored fight (migration 6): one active encounter at a time, its state as
 * JSON under an optimistic version, and one row per round. Every write is one
 * BEGIN IMMEDIATE transaction; a stale version is a ConflictError (exit 5).
 */
import { ConflictError, NotFoundError } from '../core/errors.ts';
import type { CampaignStore } from './store.ts';

export interface EncounterRow<S> {
  id: string;
  status: 'active' | 'ended';
  round: number;
  seed: number;
  state: S;
  version: number;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}

export interface RoundRecord {
  character: string;
  action: string;
  result: unknown;
}

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

export function encountersOf(store: CampaignStore) {
  const { db, clock } = store.connection();
  const now = () => clock().toISOString();
  const hasTable = (): boolean =>
    db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'encounters'")
      .pluck()
      .get() === 1;

  return {
    /** The active encounter, if any (a read-mode store of a missing file has none). */
    active<S>(): EncounterRow<S> | undefined {
      if (!hasTable()) return undefined;
      const row = db.prepare("SELECT * FROM encounters WHERE status = 'active'").get() as
        RawRow | undefined;
      return row === undefined ? undefined : parse<S>(row);
    },

    /** The active encounter, or NotFoundError (exit 4). */
    require<S>(): EncounterRow<S> {
      const e = this.active<S>();
      if (e === undefined) {
        throw new NotFoundError('no fight is going on in this campaign', {
          hint: 'dma combat start "3 goblins" --character <sheet>',
        });
      }
      return e;
    },

    rounds(id: string): { round: number; character: string; action: string; result: unknown }[] {
      if (!hasTable()) return [];
      return (
        db
          .prepare(
            'SELECT round, character, action, result FROM encounter_rounds WHERE encounter_id = ? ORDER BY round',
          )
          .all(id) as { round: number; character: string; action: string; result: string }[]
      ).map((r) => ({ ...r, result: JSON.parse(r.result) as unknown }));
    },

    /** A new active encounter; ConflictError when one is already going on. */
    create<S>(seed: number, state: S): EncounterRow<S> {
      return db
        .transaction(() => {
          const existing = db
            .prepare("SELECT id FROM encounters WHERE status = 'active'")
            .pluck()
            .get() as string | undefined;
          if (existing !== undefined) {
            throw new ConflictError(`a fight is already going on (${existing})`, {
              hint: 'dma combat status, or dma combat end first',
            });
          }
          const n = db.prepare('SELECT count(*) FROM encounters').pluck().get() as number;
          const id = `enc-${n + 1}`;
          const t = now();
          db.prepare(
            `INSERT INTO encounters (id, status, round, seed, state, version, created_at, updated_at)
           VALUES (?, 'active', 0, ?, ?, 1, ?, ?)`,
          ).run(id, seed, JSON.stringify(state), t, t);
          return parse<S>(db.prepare('SELECT * FROM encounters WHERE id = ?').get(id) as RawRow);
        })
        .immediate();
    },

    /** One round: the new state and the round's record, if the version is still `expect`. */
    saveRound<S>(
      id: string,
      expect: number,
      round: number,
      state: S,
      record: RoundRecord,
      alsoInTransaction?: () => void,
    ): EncounterRow<S> {
      return db
        .transaction(() => {
          const t = now();
          const r = db
            .prepare(
              `UPDATE encounters SET round = ?, state = ?, version = version + 1, updated_at = ?
             WHERE id = ? AND version = ? AND status = 'active'`,
            )
            .run(round, JSON.stringify(state), t, id, expect);
          if (r.changes !== 1) {
            throw new ConflictError(`the fight ${id} changed meanwhile (another action?)`, {
              hint: 'dma combat status, then try again',
            });
          }
          db.prepare(
            `INSERT INTO encounter_rounds (encounter_id, round, character, action, result, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(id, round, record.character, record.action, JSON.stringify(record.result), t);
          alsoInTransaction?.();
          return parse<S>(db.prepare('SELECT * FROM encounters WHERE id = ?').get(id) as RawRow);
        })
        .immediate();
    },

    /** Close the encounter (with `alsoInTransaction`: the pcs' XP and hit points). */
    end<S>(id: string, expect: number, state: S, alsoInTransaction?: () => void): EncounterRow<S> {
      return db
        .transaction(() => {
          const t = now();
          const r = db
            .prepare(
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
          alsoInTransaction?.();
          return parse<S>(db.prepare('SELECT * FROM encounters WHERE id = ?').get(id) as RawRow);
        })
        .immediate();
    },
  };
}
