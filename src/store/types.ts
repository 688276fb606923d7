/**
 * The storage interface (ARCHITECTURE.md, "Engines behind interfaces"): what every engine
 * — `sqlite/` (the embedded default) and `postgres/` — offers the commands, the agents and
 * the LLM gate. Every method is async; the SQLite engine runs its synchronous
 * better-sqlite3 code behind this surface and serialises transactions with an async lock.
 *
 * Errors are the typed errors of src/core/errors.ts: UsageError (3) for bad input, a
 * foreign or newer database; NotFoundError (4); ConflictError (5) for a stale version or a
 * colliding import; DmaError UNEXPECTED (1) for a write on a read-mode store.
 */
import type { LlmStorage } from '../contracts/llm-storage.ts';
import type {
  Entity,
  EntityType,
  ExportDocument,
  Relationship,
} from '../contracts/entity-types.ts';
import type { EntityRow } from './records.ts';

export type Engine = 'sqlite' | 'postgres';

export interface EntitySummary {
  id: string;
  type: EntityType;
  name: string;
  version: number;
  updated_at: string;
}

export interface SearchHit extends EntitySummary {
  /** relevance, higher is better (name weighted above the text) */
  score: number;
}

export interface RelatedEntity extends EntitySummary {
  /** hops from the start entity (1 = directly linked) */
  depth: number;
  /** ids from the start entity to this one, both included */
  path_ids: string[];
  /** relationship type of each hop; "<" prefix when the hop was walked against its direction */
  path_types: string[];
}

export interface NewEntity {
  /** a chosen id (the scribe derives one from a message's idempotency key); default: new */
  id?: string;
  type: EntityType | string;
  name: string;
  data: unknown;
}

/**
 * A new entity with a chosen id whose data comes as JSON text: JSON.stringify's output for
 * the data (a big batch made on another thread travels as text), stored as given once it is
 * parsed and checked.
 */
export interface NewEntityJson {
  id: string;
  type: EntityType | string;
  name: string;
  json: string;
}

export interface EntityChanges {
  name?: string;
  /** replaces the whole data object (validated against the type's schema) */
  data?: unknown;
}

export interface ImportProgress {
  phase: 'validate' | 'write';
  done: number;
  total: number;
}

export interface ImportResult {
  dry_run: boolean;
  entities: { created: number; updated: number; unchanged: number };
  relationships: { created: number; unchanged: number };
}

export interface StoreInfo {
  path: string;
  exists: boolean;
  /** the main database file (0 on a server) */
  size_bytes: number;
  /** the write-ahead log not yet checkpointed into the main file (0 on a server) */
  wal_bytes: number;
  schema_version: number;
  entities: number;
  counts: Record<string, number>;
  relationships: number;
}

export interface CheckResult {
  ok: boolean;
  integrity: string[];
  foreign_keys: { table: string; rowid: number; parent: string; fkid: number }[];
  fts: 'ok' | string;
}

/** One record of a streamed export (Store.exportRecords). */
export type ExportRecord =
  | { kind: 'header'; schema_version: string; exported_at: string }
  | { kind: 'entity'; json: string }
  | { kind: 'relationship'; json: string };

/** One record read from an import stream (src/store/transfer.ts). */
export type ImportRecord =
  | { kind: 'header'; value: unknown }
  | { kind: 'entity'; value: unknown }
  | { kind: 'relationship'; value: unknown }
  | { kind: 'end'; entities: number; relationships: number }
  /**
   * Entities already checked, in the file's order, by the import's reading thread
   * (src/store/import-worker.ts): each is importedEntityRow's row of the next entity (ids
   * lower-cased and unique, data as its JSON text) with `search`, the text the search index
   * takes. The store writes them as they are: only the import worker makes these.
   */
  | { kind: 'checked-entities'; rows: CheckedEntityRow[] };

/** An entity row checked by the import worker (see ImportRecord): its search text made. */
export type CheckedEntityRow = Omit<EntityRow, 'seq' | 'parsed' | 'search'> & { search: string };

export interface NpcListOptions {
  class?: string;
  race?: string;
  minLevel?: number;
  sort?: 'name' | 'level' | 'class' | 'race' | 'created';
  limit?: number;
  offset?: number;
}

export interface NpcListRow {
  id: string;
  type: 'npc';
  name: string;
  race: string | null;
  class: string | null;
  level: number | null;
  classes?: { class: string; level: number; dual?: string }[];
  alignment: string | null;
  created_at: string;
  version: number;
  updated_at: string;
}

/** The stored fight (combat-*, action): one active encounter, its state under a version. */
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

export interface Encounters {
  /** The active encounter, if any (a read-mode store of a missing database has none). */
  active<S>(): Promise<EncounterRow<S> | undefined>;
  /** The active encounter, or NotFoundError (exit 4). */
  require<S>(): Promise<EncounterRow<S>>;
  rounds(
    id: string,
  ): Promise<{ round: number; character: string; action: string; result: unknown }[]>;
  /** A new active encounter; ConflictError when one is already going on. */
  create<S>(seed: number, state: S): Promise<EncounterRow<S>>;
  /**
   * One round: the new state and the round's record, if the version is still `expect`
   * (ConflictError otherwise). `alsoInTransaction` runs in the same transaction.
   */
  saveRound<S>(
    id: string,
    expect: number,
    round: number,
    state: S,
    record: RoundRecord,
    alsoInTransaction?: () => Promise<void>,
  ): Promise<EncounterRow<S>>;
  /** Close the encounter (with `alsoInTransaction`: the pcs' XP and hit points). */
  end<S>(
    id: string,
    expect: number,
    state: S,
    alsoInTransaction?: () => Promise<void>,
  ): Promise<EncounterRow<S>>;
}

/** What `applyOnce` returns: the effect's result, and whether this call applied it. */
export interface Applied<T> {
  result: T;
  /** false when the key had been applied before (result is the stored one) */
  applied: boolean;
}

export interface Store {
  readonly engine: Engine;
  /** where the campaign lives: a file path, or a URL with the password redacted */
  readonly path: string;
  /** false when opened in read mode on a missing database (an empty stand-in) */
  readonly exists: boolean;

  close(): Promise<void>;

  /**
   * Run `fn` as one transaction: all of its writes commit together, or none when it
   * throws (the error is rethrown). Store calls made by `fn` (through the store itself:
   * the transaction follows the async context) take part; other callers wait.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Like transaction, but when `fn` throws what it completed is still committed (a dead
   * letter and its error stay on record) and the error is rethrown. Nested: just `fn`.
   */
  batchWrites<T>(fn: () => Promise<T>): Promise<T>;

  /**
   * The effect of `key` happens once: the first call runs `fn` in a transaction and
   * records the key (unique) with its JSON result, atomically with fn's writes; a later
   * call (or a concurrent one that lost the race) returns the stored result without
   * running `fn`.
   */
  applyOnce<T>(key: string, fn: () => Promise<T>): Promise<Applied<T>>;
  /** The stored result of an applied key, or undefined. */
  effectFor(key: string): Promise<unknown>;

  /**
   * The LLM call log, response cache and breaker states in this campaign (src/llm's gateway
   * and `dma llm logs|usage|cache clear` use them; the driver stays here). On a read-mode
   * store of a missing campaign: empty, and nothing written persists.
   */
  llmStorage(): LlmStorage;

  // reads
  has(id: string): Promise<boolean>;
  get(id: string): Promise<Entity>;
  resolve(idOrName: string, opts?: { type?: EntityType | undefined }): Promise<Entity>;
  list(opts?: {
    type?: EntityType | undefined;
    limit?: number;
    offset?: number;
  }): Promise<EntitySummary[]>;
  listNpcs(opts?: NpcListOptions): Promise<{ total: number; rows: NpcListRow[] }>;
  count(opts?: { type?: EntityType | undefined }): Promise<number>;
  search(
    query: string,
    opts?: { type?: EntityType | undefined; limit?: number; raw?: boolean },
  ): Promise<SearchHit[]>;
  relationships(id: string): Promise<Relationship[]>;
  related(id: string, opts?: { depth?: number }): Promise<RelatedEntity[]>;
  info(): Promise<StoreInfo>;
  check(): Promise<CheckResult>;

  // writes
  create(input: NewEntity, opts?: { dryRun?: boolean }): Promise<Entity>;
  createMany(
    inputs: readonly NewEntity[],
    opts?: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void },
  ): Promise<Entity[]>;
  createManyIds(
    inputs: readonly NewEntity[],
    opts?: { onProgress?: (p: { done: number; total: number }) => void },
  ): Promise<string[]>;
  /**
   * createManyIds for entities whose data is JSON text (NewEntityJson), read one at a time
   * from `inputs`: each is parsed, checked as createMany checks it (an error names it
   * `entities[i]`) and stored with its text. One transaction, all or nothing.
   */
  createManyJson(inputs: Iterable<NewEntityJson>): Promise<string[]>;
  update(
    id: string,
    changes: EntityChanges,
    opts?: { expectVersion?: number; dryRun?: boolean },
  ): Promise<Entity>;
  link(
    source: string,
    target: string,
    opts: { type: string; strength?: number | null; dryRun?: boolean },
  ): Promise<Relationship>;
  unlink(
    source: string,
    target: string,
    opts?: { type?: string; dryRun?: boolean },
  ): Promise<number>;
  delete(
    id: string,
    opts?: { dryRun?: boolean },
  ): Promise<{ entity: Entity; relationships_removed: number }>;
  reindex(): Promise<number>;

  // export / import
  export(opts?: { type?: EntityType | undefined }): Promise<ExportDocument>;
  /**
   * The export record by record from one read snapshot, in bounded memory. The caller
   * must finish or `return()` the generator before using the store again.
   */
  exportRecords(opts?: { type?: EntityType | undefined }): AsyncGenerator<ExportRecord>;
  import(
    doc: unknown,
    opts?: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void },
  ): Promise<ImportResult>;
  importStream(
    records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
    opts?: ImportStreamOptions,
  ): Promise<ImportResult>;

  /** combat and action state */
  readonly encounters: Encounters;
}

export interface ImportStreamOptions {
  dryRun?: boolean;
  onRecord?: (done: number) => void;
  /**
   * Refuse (TargetNotEmpty, exit 5) unless the campaign holds no entity and no
   * relationship when the write transaction begins — checked under the write lock, so no
   * other writer can add one between the check and the import (`dma db copy`).
   */
  emptyTarget?: boolean;
}
