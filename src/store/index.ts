/**
 * Scribe, the campaign store (ARCHITECTURE.md): the library API behind `dma entity …`
 * and `dma db …`. The only importer of better-sqlite3.
 *
 *   const { path } = resolveDbPath({ explicit: opts.db, env: process.env });
 *   const store = await openStore({ path, mode: 'read' });   // read commands
 *   const store = await openStore({ path });                 // write commands
 *   try { return store.resolve(idOrName); } finally { store.close(); }
 *
 * Read commands should open with mode "read": it never creates the file (a missing
 * database reads as empty) and does not load Zod, which keeps `dma entity show` fast.
 * Errors are the typed errors of src/core/errors.ts: UsageError (3) for bad input, a
 * foreign or newer database; NotFoundError (4); ConflictError (5) for a stale version
 * or a colliding import; DmaError UNEXPECTED (1) for a write on a read-mode store.
 */
export {
  CampaignStore,
  openStore,
  parseImportText,
  searchText,
  type CheckResult,
  type EntityChanges,
  type EntitySummary,
  type ImportProgress,
  type ImportResult,
  type NewEntity,
  type OpenStoreOptions,
  type RelatedEntity,
  type SearchHit,
  type SqlHandle,
  type StoreInfo,
} from './store.ts';
export { resolveDbPath, type DbPathInput, type DbPathSource } from './paths.ts';
export { migrations, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations.ts';
export { toFtsQuery } from './fts.ts';
export type {
  Entity,
  EntityType,
  ExportDocument,
  Relationship,
} from '../contracts/entity-types.ts';
