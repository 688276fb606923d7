/**
 * Forward-only schema migrations of a PostgreSQL campaign (one schema per campaign). The
 * version lives in the schema's `dma_meta` table; migration n brings it from n-1 to n.
 * Data is kept as `json` (its text exactly as written, as SQLite keeps it), timestamps
 * as ISO text, so both engines export the same bytes.
 */
import { PG_LLM_TABLES_SQL } from './llm.ts';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const pgMigrations: PgMigration[] = [
  {
    version: 1,
    name: 'entities, relationships, full-text search, encounters, effects, llm tables',
    sql: `
      CREATE TABLE entities (
        seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id         text NOT NULL UNIQUE,
        type       text NOT NULL,
        name       text NOT NULL,
        data       json NOT NULL,
        version    integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at text NOT NULL,
        updated_at text NOT NULL,
        search     tsvector NOT NULL
      );
      CREATE INDEX entities_name ON entities (lower(name));
      CREATE INDEX entities_type_name ON entities (type, lower(name));
      CREATE INDEX entities_search ON entities USING gin (search);
      CREATE TABLE relationships (
        id         text PRIMARY KEY,
        source_id  text NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        target_id  text NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        type       text NOT NULL,
        strength   double precision CHECK (strength BETWEEN -1 AND 1),
        created_at text NOT NULL,
        UNIQUE (source_id, target_id, type),
        CHECK (source_id <> target_id)
      );
      CREATE INDEX relationships_target ON relationships (target_id);
      CREATE TABLE encounters (
        id          text PRIMARY KEY,
        status      text NOT NULL CHECK (status IN ('active', 'ended')),
        round       integer NOT NULL DEFAULT 0,
        seed        bigint NOT NULL,
        state       json NOT NULL,
        version     integer NOT NULL DEFAULT 1,
        created_at  text NOT NULL,
        updated_at  text NOT NULL,
        ended_at    text
      );
      CREATE UNIQUE INDEX encounters_one_active ON encounters (status) WHERE status = 'active';
      CREATE TABLE encounter_rounds (
        encounter_id  text NOT NULL REFERENCES encounters (id) ON DELETE CASCADE,
        round         integer NOT NULL CHECK (round >= 1),
        character     text NOT NULL,
        action        text NOT NULL,
        result        json NOT NULL,
        created_at    text NOT NULL,
        PRIMARY KEY (encounter_id, round)
      );
      CREATE TABLE effects (
        key        text PRIMARY KEY,
        result     json NOT NULL,
        created_at text NOT NULL
      );
    `,
  },
  { version: 2, name: 'llm call log, response cache, breakers', sql: PG_LLM_TABLES_SQL },
  {
    version: 3,
    name: 'a search index of names alone (the first tier of a common word, search.ts)',
    sql: `CREATE INDEX entities_name_search ON entities USING gin (to_tsvector('simple', name));`,
  },
];

export const PG_SCHEMA_VERSION = pgMigrations.length;
