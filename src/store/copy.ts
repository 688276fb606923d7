/**
 * `dma db copy`: one campaign's export streamed into another campaign's import (any engine
 * to any engine), inside the one transaction the target's importStream runs — all or
 * nothing, with the import's rules (records checked, idempotent by id, collisions refused).
 */
import { ConflictError } from '../core/errors.ts';
import { exportedAsImport } from './transfer.ts';
import type { ImportResult, Store } from './types.ts';

export interface CopyResult {
  entities: number;
  relationships: number;
  /** false when the target already held exactly the source's records (or a dry run) */
  written: boolean;
}

/**
 * Copy `from` into `to`. A target holding anything is checked with a dry run of the whole
 * import: only when every record is already there, unchanged, and the target holds nothing
 * else does the copy succeed (writing nothing); otherwise it is a ConflictError (exit 5).
 */
export async function copyCampaign(
  from: Store,
  to: Store,
  opts: { dryRun?: boolean } = {},
): Promise<CopyResult> {
  const held = await to.info();
  const nonEmpty = held.entities > 0 || held.relationships > 0;
  const dryRun = nonEmpty || opts.dryRun === true;
  const records = from.exportRecords();
  let r: ImportResult;
  try {
    r = await to.importStream(exportedAsImport(records), { dryRun });
  } finally {
    await records.return(undefined);
  }
  const entities = r.entities.created + r.entities.updated + r.entities.unchanged;
  const relationships = r.relationships.created + r.relationships.unchanged;
  if (nonEmpty) {
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
  }
  return { entities, relationships, written: !dryRun };
}
