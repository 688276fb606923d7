/**
 * The PostgreSQL engine: one schema per campaign on a shared server. Loaded (with pg) only
 * when DMA_DB / --db is a postgres:// or postgresql:// URL.
 */
import { randomUUID } from 'node:crypto';
import type { Entity, EntityType, Relationship } from '../../contracts/entity-types.ts';
import type {
  Applied,
  CheckResult,
  Encounters,
  EntityChanges,
  EntitySummary,
  ExportRecord,
  ImportProgress,
  ImportRecord,
  ImportResult,
  ImportStreamOptions,
  NewEntity,
  NewEntityJson,
  NpcListOptions,
  NpcListRow,
  RelatedEntity,
  SearchHit,
  Store,
  StoreInfo,
} from '../types.ts';
import { createdEntities, parseEntityJson } from '../records.ts';
import {
  campaignSchema,
  pgConnect,
  pgMigrate,
  quoteIdent,
  redactUrl,
  type PgClient,
} from './connection.ts';
import { PgCore } from './core.ts';
import { pgLlmStorage } from './llm.ts';
import { emptyLlmStorage } from '../llm-sql.ts';
import type { LlmStorage } from '../../contracts/llm-storage.ts';
import { pgEncounters } from './encounters.ts';
import * as entities from './entities.ts';
import * as links from './links.ts';
import { pgMigrations, type PgMigration } from './migrations.ts';
import { reindex, search } from './search.ts';
import * as transfer from './transfer.ts';

export interface OpenPgOptions {
  url: string;
  /** the campaign: its schema's name (default "dma") */
  campaign?: string | undefined;
  mode?: 'read' | 'write' | 'append';
  clock?: () => Date;
  newId?: () => string;
  env?: Readonly<Record<string, string | undefined>>;
  /** @internal tests simulate other schema versions */
  migrations?: readonly PgMigration[];
}

export class PgStore implements Store {
  readonly engine = 'postgres' as const;
  readonly path: string;
  readonly exists: boolean;
  readonly schema: string;
  readonly encounters: Encounters;
  private readonly c: PgCore;

  constructor(core: PgCore) {
    this.c = core;
    this.path = core.path;
    this.exists = core.exists;
    this.schema = core.schema;
    this.encounters = pgEncounters(core);
  }

  /** @internal the client, for db grant / copy and tests */
  client(): PgClient {
    return this.c.client;
  }

  llmStorage(): LlmStorage {
    return this.exists ? pgLlmStorage(this.c) : emptyLlmStorage();
  }

  async close(): Promise<void> {
    await this.c.client.end().catch(() => {});
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.c.writable();
    return this.c.tx(fn);
  }
  async batchWrites<T>(fn: () => Promise<T>): Promise<T> {
    this.c.writable();
    return this.c.tx(fn, true);
  }

  async applyOnce<T>(key: string, fn: () => Promise<T>): Promise<Applied<T>> {
    this.c.writable();
    return this.c.tx(async () => {
      // the key's row is taken first: a concurrent redelivery waits here, then sees it
      const taken = await this.c.rows<{ key: string }>(
        `INSERT INTO effects (key, result, created_at) VALUES ($1, 'null', $2)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, this.c.now()],
      );
      if (taken.length === 0) {
        const prior = await this.c.one<{ result: string }>(
          'SELECT result FROM effects WHERE key = $1',
          [key],
        );
        return { result: JSON.parse(prior!.result) as T, applied: false };
      }
      const result = await fn();
      await this.c.q('UPDATE effects SET result = $2::json WHERE key = $1', [
        key,
        JSON.stringify(result ?? null),
      ]);
      return { result, applied: true };
    });
  }
  effectFor(key: string): Promise<unknown> {
    return this.c.read(async () => {
      const r = await this.c.one<{ result: string }>('SELECT result FROM effects WHERE key = $1', [
        key,
      ]);
      return r === undefined ? undefined : (JSON.parse(r.result) as unknown);
    });
  }

  has(id: string): Promise<boolean> {
    return this.c.read(async () => (await this.c.row(id)) !== undefined);
  }
  get(id: string): Promise<Entity> {
    return this.c.read(() => entities.get(this.c, id));
  }
  resolve(idOrName: string, opts?: { type?: EntityType | undefined }): Promise<Entity> {
    return this.c.read(() => entities.resolve(this.c, idOrName, opts));
  }
  list(opts?: {
    type?: EntityType | undefined;
    limit?: number;
    offset?: number;
  }): Promise<EntitySummary[]> {
    return this.c.read(() => entities.list(this.c, opts));
  }
  listNpcs(opts?: NpcListOptions): Promise<{ total: number; rows: NpcListRow[] }> {
    return this.c.read(() => entities.listNpcs(this.c, opts));
  }
  count(opts?: { type?: EntityType | undefined }): Promise<number> {
    return this.c.read(() => entities.count(this.c, opts));
  }
  search(
    query: string,
    opts?: { type?: EntityType | undefined; limit?: number; raw?: boolean },
  ): Promise<SearchHit[]> {
    return this.c.lock.run(() => search(this.c, query, opts));
  }
  relationships(id: string): Promise<Relationship[]> {
    return this.c.read(() => links.relationships(this.c, id));
  }
  related(id: string, opts?: { depth?: number }): Promise<RelatedEntity[]> {
    return this.c.read(() => links.related(this.c, id, opts));
  }

  info(): Promise<StoreInfo> {
    return this.c.read(async () => {
      const counts: Record<string, number> = {};
      for (const r of await this.c.rows<{ type: string; n: number }>(
        'SELECT type, count(*)::int AS n FROM entities GROUP BY type ORDER BY type COLLATE "C"',
      ))
        counts[r.type] = r.n;
      const v = this.exists
        ? Number(
            (
              await this.c.one<{ value: string }>(
                "SELECT value FROM dma_meta WHERE key = 'schema_version'",
              )
            )?.value ?? 0,
          )
        : 0;
      return {
        path: this.path,
        exists: this.exists,
        size_bytes: 0,
        wal_bytes: 0,
        schema_version: v,
        entities: Object.values(counts).reduce((a, b) => a + b, 0),
        counts,
        relationships: await this.c.scalar('SELECT count(*)::int AS n FROM relationships'),
      };
    });
  }

  check(): Promise<CheckResult> {
    return this.c.read(async () => {
      // the server keeps its own pages consistent; what dma can check is its own invariants
      const stale = await this.c.scalar(
        `SELECT count(*)::int AS n FROM entities WHERE search IS NULL`,
      );
      return {
        ok: stale === 0,
        integrity: ['ok'],
        foreign_keys: [],
        fts:
          stale === 0
            ? 'ok'
            : `search index out of step: ${stale} entities unindexed (run reindex)`,
      };
    });
  }

  async create(input: NewEntity, opts: { dryRun?: boolean } = {}): Promise<Entity> {
    return createdEntities(
      await entities.insertMany(this.c, [input], { dryRun: opts.dryRun ?? false }),
    )[0]!;
  }
  async createMany(
    inputs: readonly NewEntity[],
    opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Promise<Entity[]> {
    return createdEntities(await entities.insertMany(this.c, inputs, opts));
  }
  async createManyIds(
    inputs: readonly NewEntity[],
    opts: { onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Promise<string[]> {
    return (await entities.insertMany(this.c, inputs, opts)).map((r) => r.id);
  }
  async createManyJson(inputs: Iterable<NewEntityJson>): Promise<string[]> {
    const parsed = [...inputs].map(({ json, ...e }, i) => ({
      ...e,
      data: parseEntityJson(json, `entities[${i}]`),
    }));
    return (await entities.insertMany(this.c, parsed, {})).map((r) => r.id);
  }
  async update(
    id: string,
    changes: EntityChanges,
    opts?: { expectVersion?: number; dryRun?: boolean },
  ): Promise<Entity> {
    return entities.update(this.c, id, changes, opts);
  }
  async link(
    source: string,
    target: string,
    opts: { type: string; strength?: number | null; dryRun?: boolean },
  ): Promise<Relationship> {
    return links.link(this.c, source, target, opts);
  }
  async unlink(
    source: string,
    target: string,
    opts?: { type?: string; dryRun?: boolean },
  ): Promise<number> {
    return links.unlink(this.c, source, target, opts);
  }
  async delete(
    id: string,
    opts?: { dryRun?: boolean },
  ): Promise<{ entity: Entity; relationships_removed: number }> {
    return entities.remove(this.c, id, opts);
  }
  async reindex(): Promise<number> {
    return reindex(this.c);
  }

  async export(opts?: { type?: EntityType | undefined }) {
    return transfer.exportDocument(this.c, opts);
  }
  exportRecords(opts?: { type?: EntityType | undefined }): AsyncGenerator<ExportRecord> {
    return transfer.exportRecords(this.c, opts);
  }
  async import(
    doc: unknown,
    opts?: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void },
  ): Promise<ImportResult> {
    return this.analyzed(await transfer.importDocument(this.c, doc, opts));
  }
  async importStream(
    records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
    opts?: ImportStreamOptions,
  ): Promise<ImportResult> {
    return this.analyzed(await transfer.importStream(this.c, records, opts));
  }

  /**
   * After a bulk import, VACUUM (ANALYZE): fresh planner statistics — without them
   * PostgreSQL guesses how many rows a search term matches, and for a prefix it may walk
   * the whole table in a sequential scan (100+ ms at 100,000 entities) instead of the GIN
   * index (2 ms) — the GIN indexes' pending lists merged (each search scans them) and the
   * new rows' visibility set once rather than by the first reads. Inside a caller's
   * transaction only ANALYZE can run.
   */
  private async analyzed(result: ImportResult): Promise<ImportResult> {
    if (!result.dry_run && result.entities.created + result.entities.updated >= ANALYZE_AFTER)
      await this.c.lock.run(() =>
        this.c.q(this.c.inTransaction ? 'ANALYZE entities' : 'VACUUM (ANALYZE) entities'),
      );
    return result;
  }
}

/** An import writing at least this many entities refreshes the planner's statistics. */
const ANALYZE_AFTER = 1000;

/** Connect, pick the campaign's schema, migrate it (write modes) and open the store. */
export async function openPgStore(opts: OpenPgOptions): Promise<PgStore> {
  const mode = opts.mode ?? 'write';
  const schema = campaignSchema(opts.campaign);
  const env = opts.env ?? process.env;
  const client = await pgConnect(opts.url, env);
  try {
    const version = await pgMigrate(client, schema, {
      create: mode !== 'read',
      url: opts.url,
      ...(opts.migrations ? { migrations: opts.migrations } : {}),
    });
    const exists = version > 0;
    if (exists) {
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    } else {
      // read mode on a campaign that does not exist yet: an empty stand-in in pg_temp
      await client.query('SET search_path TO pg_temp');
      for (const m of opts.migrations ?? pgMigrations) await client.query(m.sql);
    }
    return new PgStore(
      new PgCore(
        client,
        `${redactUrl(opts.url)}#${schema}`,
        schema,
        exists,
        mode === 'write',
        opts.clock ?? (() => new Date()),
        opts.newId ?? randomUUID,
      ),
    );
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
}
