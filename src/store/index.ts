/**
 * Scribe, the campaign store (ARCHITECTURE.md): the library API the `dma entity` and
 * `dma db` commands call. Open with `openStore({ path: resolveDbPath({...}).path })`.
 */
export {
  CampaignStore,
  openStore,
  parseImportText,
  type CheckResult,
  type EntityChanges,
  type EntitySummary,
  type ImportProgress,
  type ImportResult,
  type NewEntity,
  type OpenStoreOptions,
  type RelatedEntity,
  type SearchHit,
  type StoreInfo,
} from './store.ts';
export { resolveDbPath, type DbPathInput, type DbPathSource } from './paths.ts';
export { migrations, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations.ts';
export { toFtsQuery } from './fts.ts';
