/**
 * Forward-only schema migrations, keyed on `PRAGMA user_version`. Migration n brings a
 * database from version n-1 to n; each runs inside the opening transaction. To change
 * the schema, append an entry (never edit a released one) — the bus tables arrive this way.
 */
export interface Migration {
  /** the user_version after this migration; equal to its 1-based index */
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'entities, relationships, full-text search',
    sql: `
      CREATE TABLE entities (
        seq        INTEGER PRIMARY KEY,           -- stable rowid for the FTS index
        id         TEXT NOT NULL UNIQUE,
        type       TEXT NOT NULL,
        name       TEXT NOT NULL,
        data       TEXT NOT NULL CHECK (json_valid(data)),
        version    INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX entities_name ON entities (name COLLATE NOCASE);
      CREATE INDEX entities_type_name ON entities (type, name COLLATE NOCASE);

      CREATE TABLE relationships (
        id         TEXT PRIMARY KEY,
        source_id  TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        target_id  TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        type       TEXT NOT NULL,
        strength   REAL CHECK (strength IS NULL OR strength BETWEEN -1 AND 1),
        created_at TEXT NOT NULL,
        UNIQUE (source_id, target_id, type)
      ) STRICT;
      CREATE INDEX relationships_target ON relationships (target_id);

      -- Names and the text of data (see searchText in store.ts), ranked by bm25 with the
      -- name weighted 10x. Contentless: the store writes it in the same transaction as the row.
      CREATE VIRTUAL TABLE entities_fts USING fts5 (
        name, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO entities_fts (entities_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
    `,
  },
  {
    version: 2,
    name: 'LLM response cache and call log',
    // A copy of LLM_TABLES_SQL in src/llm/storage.ts (src/store may not import src/llm);
    // test/unit/store-llm.test.ts checks the two stay identical.
    sql: `
CREATE TABLE IF NOT EXISTS llm_cache (
  key           TEXT PRIMARY KEY,
  adapter       TEXT NOT NULL,
  model         TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS llm_cache_expires_at ON llm_cache (expires_at);

CREATE TABLE IF NOT EXISTS llm_calls (
  id            TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  workflow_id   TEXT,
  task_id       TEXT,
  adapter       TEXT NOT NULL,
  model         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'cached', 'error', 'refusal', 'truncated')),
  error_kind    TEXT,
  http_status   INTEGER,
  attempt       INTEGER NOT NULL,
  tokens_in     INTEGER NOT NULL DEFAULT 0,
  tokens_out    INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  latency_ms    INTEGER NOT NULL,
  cost_usd      REAL,
  cache_key     TEXT NOT NULL,
  prompt        TEXT,
  response      TEXT,
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS llm_calls_created_at ON llm_calls (created_at);
`,
  },
];

/** The schema version this build of dma writes. */
export const SCHEMA_VERSION = migrations.length;

/** "dma\0" read as a big-endian integer: marks a file as a dma database (PRAGMA application_id). */
export const APPLICATION_ID = 0x646d6100;
