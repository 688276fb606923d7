/**
 * Scribe, the campaign store (ARCHITECTURE.md): the library API behind `dma entity …`
 * and `dma db …`. `Store` (types.ts) is the interface every engine implements; `sqlite/`
 * is the embedded default.
 *
 *   const { path } = resolveDbPath({ explicit: opts.db, env: process.env });
 *   const store = await openStore({ path, mode: 'read' });   // read commands
 *   const store = await openStore({ path });                 // write commands
 *   try { return await store.resolve(idOrName); } finally { await store.close(); }
 *
 * Read commands should open with mode "read": it never creates the file (a missing
 * database reads as empty) and does not load Zod, which keeps `dma entity show` fast.
 * Errors are the typed errors of src/core/errors.ts: UsageError (3) for bad input, a
 * foreign or newer database; NotFoundError (4); ConflictError (5) for a stale version
 * or a colliding import; DmaError UNEXPECTED (1) for a write on a read-mode store.
 */
export type {
  Applied,
  CheckResult,
  EncounterRow,
  Encounters,
  Engine,
  EntityChanges,
  EntitySummary,
  ExportRecord,
  ImportProgress,
  ImportRecord,
  ImportResult,
  NewEntity,
  NpcListOptions,
  NpcListRow,
  RelatedEntity,
  RoundRecord,
  SearchHit,
  Store,
  StoreInfo,
} from './types.ts';
export { openStore, type OpenStoreOptions } from './open.ts';
export { parseImportText, searchText } from './records.ts';
export {
  SqliteStore,
  /** the SQLite engine, which the SQLite bus (`busOf`) runs on */
  SqliteStore as CampaignStore,
  type SqlHandle,
} from './sqlite/index.ts';
export {
  Bus,
  busOf,
  backoffMs,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type AgentStats,
  type ClaimedTask,
  type DeadLetter,
  type LoggedMessage,
  type PublishOptions,
  type PublishResult,
  type TaskRecord,
} from './bus.ts';
export { resolveDbPath, type DbPathInput, type DbPathSource } from './paths.ts';
export { migrations, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './sqlite/migrations.ts';
export { toFtsQuery } from './fts.ts';
export type {
  Entity,
  EntityType,
  ExportDocument,
  Relationship,
} from '../contracts/entity-types.ts';
