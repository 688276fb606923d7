/** The stored fight on PostgreSQL: the SQLite engine's rules (one active, optimistic version). */
import { ConflictError } from '../../core/errors.ts';
import { noActiveFight } from '../records.ts';
import type { EncounterRow, Encounters } from '../types.ts';
import type { PgCore } from './core.ts';

type Raw = Omit<EncounterRow<unknown>, 'state'> & { state: string };
const parse = <S>(r: Raw): EncounterRow<S> => ({
  ...r,
  seed: Number(r.seed),
  state: JSON.parse(r.state) as S,
});

export function pgEncounters(c: PgCore): Encounters {
  const byId = async <S>(id: string) =>
    parse<S>((await c.one<Raw>('SELECT * FROM encounters WHERE id = $1', [id]))!);
  const active = <S>() =>
    c.read(async () => {
      const r = await c.one<Raw>("SELECT * FROM encounters WHERE status = 'active'");
      return r === undefined ? undefined : parse<S>(r);
    });
  const write = <S>(step: () => Promise<string>, also?: () => Promise<void>) => {
    c.writable();
    return c.tx(async () => {
      const id = await step();
      if (also) await also();
      return byId<S>(id);
    });
  };
  return {
    active,
    require: async <S>() => {
      const e = await active<S>();
      if (e === undefined) throw noActiveFight();
      return e;
    },
    rounds: (id) =>
      c.read(async () =>
        (
          await c.rows<{ round: number; character: string; action: string; result: string }>(
            'SELECT round, character, action, result FROM encounter_rounds WHERE encounter_id = $1 ORDER BY round',
            [id],
          )
        ).map((r) => ({ ...r, result: JSON.parse(r.result) as unknown })),
      ),
    create: <S>(seed: number, state: S) =>
      write<S>(async () => {
        await c.q('LOCK TABLE encounters IN SHARE ROW EXCLUSIVE MODE');
        const existing = await c.one<{ id: string }>(
          "SELECT id FROM encounters WHERE status = 'active'",
        );
        if (existing)
          throw new ConflictError(`a fight is already going on (${existing.id})`, {
            hint: 'dma combat status, or dma combat end first',
          });
        const id = `enc-${(await c.scalar('SELECT count(*)::int AS n FROM encounters')) + 1}`;
        const t = c.now();
        await c.q(
          `INSERT INTO encounters (id, status, round, seed, state, version, created_at, updated_at)
           VALUES ($1, 'active', 0, $2, $3::json, 1, $4, $4)`,
          [id, seed, JSON.stringify(state), t],
        );
        return id;
      }),
    saveRound: <S>(
      id: string,
      expect: number,
      round: number,
      state: S,
      record: { character: string; action: string; result: unknown },
      also?: () => Promise<void>,
    ) =>
      write<S>(async () => {
        const t = c.now();
        const r = await c.q(
          `UPDATE encounters SET round = $1, state = $2::json, version = version + 1, updated_at = $3
           WHERE id = $4 AND version = $5 AND status = 'active'`,
          [round, JSON.stringify(state), t, id, expect],
        );
        if (r.rowCount !== 1)
          throw new ConflictError(`the fight ${id} changed meanwhile (another action?)`, {
            hint: 'dma combat status, then try again',
          });
        await c.q(
          `INSERT INTO encounter_rounds (encounter_id, round, character, action, result, created_at)
           VALUES ($1, $2, $3, $4, $5::json, $6)`,
          [id, round, record.character, record.action, JSON.stringify(record.result), t],
        );
        return id;
      }, also),
    end: <S>(id: string, expect: number, state: S, also?: () => Promise<void>) =>
      write<S>(async () => {
        const t = c.now();
        const r = await c.q(
          `UPDATE encounters SET status = 'ended', state = $1::json, version = version + 1, updated_at = $2, ended_at = $2
           WHERE id = $3 AND version = $4 AND status = 'active'`,
          [JSON.stringify(state), t, id, expect],
        );
        if (r.rowCount !== 1)
          throw new ConflictError(`the fight ${id} changed meanwhile`, {
            hint: 'dma combat status, then try again',
          });
        return id;
      }, also),
  };
}
