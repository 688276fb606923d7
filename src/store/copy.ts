/**
 * `dma db copy`: one campaign's export streamed into another campaign's import (any engine
 * to any engine), inside the one transaction the target's importStream runs — all or
 * nothing, with the import's rules (records checked, idempotent by id, collisions refused).
 */
import { ConflictError } from '../core/errors.ts';
import { exportedAsImport } from './transfer.ts';
import { TargetNotEmpty } from './records.ts';
import type { ImportResult, ImportStreamOptions, Store } from './types.ts';

export interface CopyResult {
  entities: number;
  relationships: number;
  /** false when the target already held exactly the source's records (or a dry run) */
  written: boolean;
}

/**
 * Copy `from` into `to`. The import refuses a target that holds anything when its write
 * transaction begins (checked under the write lock: no other writer slips a record in
 * between the check and the copy). A target holding something is then checked with a dry
 * run of the whole import: only when every record is already there, unchanged, and the
 * target holds nothing else does the copy succeed (writing nothing); otherwise it is a
 * ConflictError (exit 5).
 */
export async function copyCampaign(
  from: Store,
  to: Store,
  opts: { dryRun?: boolean } = {},
): Promise<CopyResult> {
  const importAll = async (o: ImportStreamOptions): Promise<ImportResult> => {
    const records = from.exportRecords();
    try {
      return await to.importStream(exportedAsImport(records), o);
    } finally {
      await records.return(undefined);
    }
  };
  const dryRun = opts.dryRun === true;
  try {
    return counted(await importAll({ dryRun, emptyTarget: true }), !dryRun);
  } catch (err) {
    if (!(err instanceof TargetNotEmpty)) throw err;
  }
  const held = await to.info();
  const r = await importAll({ dryRun: true });
  const same =
    r.entities.created === 0 &&
    r.entities.updated === 0 &&
    r.relationships.created === 0 &&
    r.entities.unchanged === held.entities &&
    r.relationships.unchanged === held.relationships;
  if (!same)
    throw new ConflictError(
      `${to.path} already holds ${held.entities} entities and ${held.relationships} relationships that are not exactly those of ${from.path}; nothing copied (copy into an empty campaign)`,
    );
  return counted(r, false);
}

function counted(r: ImportResult, written: boolean): CopyResult {
  return {
    entities: r.entities.created + r.entities.updated + r.entities.unchanged,
    relationships: r.relationships.created + r.relationships.unchanged,
    written,
  };
}
