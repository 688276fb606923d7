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
];

/** The schema version this build of dma writes. */
export const SCHEMA_VERSION = migrations.length;

/** "dma\0" read as a big-endian integer: marks a file as a dma database (PRAGMA application_id). */
export const APPLICATION_ID = 0x646d6100;
