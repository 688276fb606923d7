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
  {
    version: 3,
    name: 'message bus: append-only log, tasks, blobs, work-token secret',
    sql: `
      -- Key/value settings of the bus. The work-token HMAC secret is created here, with the
      -- database: 32 random bytes as 64 hex characters. Never printed or exported.
      CREATE TABLE bus_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      INSERT INTO bus_meta (key, value) VALUES ('work_token_secret', lower(hex(randomblob(32))));

      -- The append-only log of every request and response envelope; seq is the tail cursor.
      -- Rows only leave through trim (the retention limit).
      CREATE TABLE bus_messages (
        seq             INTEGER PRIMARY KEY,
        event_id        TEXT NOT NULL UNIQUE,
        correlation_id  TEXT NOT NULL,
        causation_id    TEXT,
        idempotency_key TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('request', 'response')),
        type            TEXT NOT NULL,
        source          TEXT NOT NULL,
        target          TEXT NOT NULL,
        timestamp       TEXT NOT NULL,
        envelope        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bus_messages_correlation ON bus_messages (correlation_id, seq);
      -- one request and at most one response per idempotency key
      CREATE UNIQUE INDEX bus_messages_key ON bus_messages (idempotency_key, kind);

      -- One task per request delivery: the state machine of src/contracts/bus/task-state.ts.
      CREATE TABLE bus_tasks (
        id              INTEGER PRIMARY KEY,
        event_id        TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        agent           TEXT NOT NULL,
        type            TEXT NOT NULL,
        state           TEXT NOT NULL
                        CHECK (state IN ('queued', 'claimed', 'done', 'failed', 'retry', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        max_attempts    INTEGER NOT NULL,
        failures        INTEGER NOT NULL DEFAULT 0,
        -- epoch ms: queued/retry may be claimed from then on
        available_at    INTEGER NOT NULL,
        claimed_by      TEXT,
        lease_until     INTEGER,
        -- the work token of this delivery (a retried dead letter gets a fresh one)
        work_token      TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        finished_at     INTEGER,
        outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('ok', 'error')),
        last_error      TEXT,
        response_event  TEXT,
        retried_as      INTEGER
      ) STRICT;
      CREATE INDEX bus_tasks_ready ON bus_tasks (agent, state, available_at);
      CREATE INDEX bus_tasks_lease ON bus_tasks (state, lease_until);
      CREATE INDEX bus_tasks_correlation ON bus_tasks (correlation_id);

      -- Claim-check payloads too large for a message (a batch of 10,000 NPCs), by SHA-256.
      CREATE TABLE bus_blobs (
        key            TEXT PRIMARY KEY,
        correlation_id TEXT NOT NULL,
        body           TEXT NOT NULL,
        created_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bus_blobs_correlation ON bus_blobs (correlation_id);
    `,
  },
  {
    version: 4,
    name: 'bus: the task indexes hold open tasks only',
    sql: `
      -- A claim and an ack each moved a task between entries of two full indexes; partial
      -- indexes hold only the tasks a claim (queued, retry) or a lease check (claimed) looks
      -- for, so a finished task leaves them and they stay small however long the log grows.
      DROP INDEX bus_tasks_ready;
      DROP INDEX bus_tasks_lease;
      CREATE INDEX bus_tasks_due ON bus_tasks (agent, available_at, id)
        WHERE state IN ('queued', 'retry');
      CREATE INDEX bus_tasks_claimed ON bus_tasks (agent, lease_until) WHERE state = 'claimed';
    `,
  },
  {
    version: 5,
    name: "bus: a task's work token is stored only when it differs from its request's",
    sql: `
      -- A first delivery's token is the one in its request's envelope: storing it again in
      -- the task (205 bytes, rewritten by the claim and the ack) was a third of the task
      -- table's writes. NULL now means "the request's token"; a retried dead letter keeps
      -- its own fresh token. SQLite cannot drop a NOT NULL, so the table is rebuilt.
      CREATE TABLE bus_tasks_v5 (
        id              INTEGER PRIMARY KEY,
        event_id        TEXT NOT NULL,
        correlation_id  TEXT NOT NULL,
        agent           TEXT NOT NULL,
        type            TEXT NOT NULL,
        state           TEXT NOT NULL
                        CHECK (state IN ('queued', 'claimed', 'done', 'failed', 'retry', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        max_attempts    INTEGER NOT NULL,
        failures        INTEGER NOT NULL DEFAULT 0,
        available_at    INTEGER NOT NULL,
        claimed_by      TEXT,
        lease_until     INTEGER,
        -- NULL: the work token in the request's envelope (see above)
        work_token      TEXT,
        created_at      INTEGER NOT NULL,
        finished_at     INTEGER,
        outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('ok', 'error')),
        last_error      TEXT,
        response_event  TEXT,
        retried_as      INTEGER
      ) STRICT;
      INSERT INTO bus_tasks_v5
        SELECT t.id, t.event_id, t.correlation_id, t.agent, t.type, t.state, t.attempts,
               t.max_attempts, t.failures, t.available_at, t.claimed_by, t.lease_until,
               nullif(t.work_token, (SELECT json_extract(m.envelope, '$.auth.work_token')
                                     FROM bus_messages m WHERE m.event_id = t.event_id)),
               t.created_at, t.finished_at, t.outcome, t.last_error, t.response_event,
               t.retried_as
        FROM bus_tasks t;
      DROP TABLE bus_tasks;
      ALTER TABLE bus_tasks_v5 RENAME TO bus_tasks;
      CREATE INDEX bus_tasks_correlation ON bus_tasks (correlation_id);
      CREATE INDEX bus_tasks_due ON bus_tasks (agent, available_at, id)
        WHERE state IN ('queued', 'retry');
      CREATE INDEX bus_tasks_claimed ON bus_tasks (agent, lease_until) WHERE state = 'claimed';
    `,
  },
  {
    version: 6,
    name: 'LLM circuit breakers',
    // A copy of LLM_BREAKER_SQL in src/llm/storage.ts (src/store may not import src/llm);
    // test/unit/store-llm.test.ts checks they are the same.
    sql: `
CREATE TABLE IF NOT EXISTS llm_breakers (
  key        TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  failures   INTEGER NOT NULL DEFAULT 0,
  retry_at   INTEGER,
  snapshot   TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 7,
    name: 'combat: the stored encounter and its rounds',
    sql: `
      -- \`dma combat start\` writes an encounter; each \`dma action\` in it adds a round and
      -- rewrites the state (enemies' hit points and status, the party's hit points) under an
      -- optimistic version; \`dma combat end\` closes it. One active encounter at a time.
      CREATE TABLE encounters (
        id          TEXT PRIMARY KEY,
        status      TEXT NOT NULL CHECK (status IN ('active', 'ended')),
        round       INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
        seed        INTEGER NOT NULL,
        state       TEXT NOT NULL CHECK (json_valid(state)),
        version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        ended_at    TEXT
      ) STRICT;
      CREATE UNIQUE INDEX encounters_one_active ON encounters (status) WHERE status = 'active';
      CREATE TABLE encounter_rounds (
        encounter_id  TEXT NOT NULL REFERENCES encounters (id) ON DELETE CASCADE,
        round         INTEGER NOT NULL CHECK (round >= 1),
        character     TEXT NOT NULL,
        action        TEXT NOT NULL,
        result        TEXT NOT NULL CHECK (json_valid(result)),
        created_at    TEXT NOT NULL,
        PRIMARY KEY (encounter_id, round)
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'effects: the idempotency keys whose effect happened (Store.applyOnce)',
    sql: `
      CREATE TABLE effects (
        key        TEXT PRIMARY KEY,
        result     TEXT NOT NULL CHECK (json_valid(result)),
        created_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
];

/** The schema version this build of dma writes. */
export const SCHEMA_VERSION = migrations.length;

/** "dma\0" read as a big-endian integer: marks a file as a dma database (PRAGMA application_id). */
export const APPLICATION_ID = 0x646d6100;
