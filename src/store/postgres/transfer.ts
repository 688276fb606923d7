/**
 * Export and import on PostgreSQL: export pages through one REPEATABLE READ snapshot by
 * key (bounded memory); an import is checked and written in one transaction, 1,000
 * entities per statement — all or nothing, idempotent by id, the SQLite rules.
 */
import { DmaError, UsageError } from '../../core/errors.ts';
import {
  EXPORT_SCHEMA_VERSION,
  type EntityType,
  type ExportDocument,
} from '../../contracts/entity-types.ts';
import { exportHeaderIssue } from '../../contracts/entity-rules.ts';
import {
  describeIssue,
  emptyImportResult,
  exportedEntityJson,
  importedEntityAction,
  importedEntityRow,
  importedRelationshipAction,
  importedRelationshipRow,
  missingEnd,
  PROGRESS_EVERY,
  Rollback,
  TargetNotEmpty,
  toEntity,
  toRelationship,
  typeFilter,
  type EntityRow,
  type RelationshipRow,
} from '../records.ts';
import type {
  ExportRecord,
  ImportProgress,
  ImportRecord,
  ImportResult,
  ImportStreamOptions,
} from '../types.ts';
import type { PgCore } from './core.ts';
import { insertRows, replaceRow } from './entities.ts';
import { insertRelationship } from './links.ts';

const PAGE = 1000;
const COLS = 'seq, id, type, name, data, version, created_at, updated_at';

/** Entities then relationships of one snapshot (the caller holds the transaction). */
async function* snapshotRows(
  c: PgCore,
  type: EntityType | undefined,
): AsyncGenerator<{ entity: EntityRow } | { rel: RelationshipRow }> {
  let last = 0;
  for (;;) {
    const rows: EntityRow[] = await c.rows<EntityRow>(
      `SELECT ${COLS} FROM entities WHERE seq > $1 ${type ? 'AND type = $2' : ''} ORDER BY seq LIMIT ${PAGE}`,
      type ? [last, type] : [last],
    );
    for (const entity of rows) yield { entity };
    if (rows.length < PAGE) break;
    last = rows[rows.length - 1]!.seq!;
  }
  // relationships in (created_at, id) order, keyed on that pair
  let after: [string, string] | null = null;
  for (;;) {
    const params: unknown[] = type ? [type] : [];
    let cond = 'TRUE';
    if (after) {
      params.push(after[0], after[1]);
      cond = `(r.created_at COLLATE "C", r.id COLLATE "C") > ($${params.length - 1} COLLATE "C", $${params.length} COLLATE "C")`;
    }
    const rows: RelationshipRow[] = await c.rows<RelationshipRow>(
      type
        ? `SELECT r.* FROM relationships r JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id
           WHERE s.type = $1 AND t.type = $1 AND ${cond} ORDER BY r.created_at COLLATE "C", r.id COLLATE "C" LIMIT ${PAGE}`
        : `SELECT r.* FROM relationships r WHERE ${cond} ORDER BY r.created_at COLLATE "C", r.id COLLATE "C" LIMIT ${PAGE}`,
      params,
    );
    for (const rel of rows) yield { rel };
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.created_at, last.id];
  }
}

/** Run `fn` in a read-only REPEATABLE READ transaction (one snapshot), holding the lock. */
async function inSnapshot<T>(c: PgCore, fn: () => Promise<T>): Promise<T> {
  return c.read(async () => {
    await c.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await fn();
    } finally {
      await c.client.query('COMMIT').catch(() => {});
    }
  });
}

export async function exportDocument(
  c: PgCore,
  opts: { type?: EntityType | undefined } = {},
): Promise<ExportDocument> {
  typeFilter(opts.type);
  return inSnapshot(c, async () => {
    const doc: ExportDocument = {
      schema_version: EXPORT_SCHEMA_VERSION,
      exported_at: c.now(),
      entities: [],
      relationships: [],
    };
    for await (const r of snapshotRows(c, opts.type)) {
      if ('entity' in r) doc.entities.push(toEntity(r.entity));
      else doc.relationships.push(toRelationship(r.rel));
    }
    return doc;
  });
}

/** The export record by record from one snapshot; the lock is held until the generator ends. */
export async function* exportRecords(
  c: PgCore,
  opts: { type?: EntityType | undefined } = {},
): AsyncGenerator<ExportRecord> {
  typeFilter(opts.type);
  const release = c.lock.held() ? () => {} : await c.lock.acquire();
  try {
    await c.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      yield { kind: 'header', schema_version: EXPORT_SCHEMA_VERSION, exported_at: c.now() };
      for await (const r of snapshotRows(c, opts.type)) {
        if ('entity' in r) {
          const e = r.entity;
          yield {
            kind: 'entity',
            json: exportedEntityJson(
              e.id,
              e.type,
              e.name,
              e.data,
              e.version,
              e.created_at,
              e.updated_at,
            ),
          };
        } else yield { kind: 'relationship', json: JSON.stringify(toRelationship(r.rel)) };
      }
    } finally {
      await c.client.query('COMMIT').catch(() => {});
    }
  } finally {
    release();
  }
}

/** Apply checked entity rows: insert the new, compare or replace the stored. */
async function applyEntities(
  c: PgCore,
  rows: readonly EntityRow[],
  result: ImportResult,
): Promise<void> {
  if (rows.length === 0) return;
  const created = await insertRows(c, rows);
  result.entities.created += created.size;
  const rest = rows.filter((r) => !created.has(r.id));
  if (rest.length === 0) return;
  const stored = new Map(
    (
      await c.rows<EntityRow>(
        `SELECT ${COLS} FROM entities WHERE id = ANY($1::text[]) FOR UPDATE`,
        [rest.map((r) => r.id)],
      )
    ).map((r) => [r.id, r]),
  );
  for (const r of rest) {
    if (importedEntityAction(stored.get(r.id)!, r) === 'unchanged') result.entities.unchanged++;
    else {
      await replaceRow(c, r);
      result.entities.updated++;
    }
  }
}

async function applyRelationships(
  c: PgCore,
  rels: readonly RelationshipRow[],
  ids: ReadonlySet<string>,
  result: ImportResult,
): Promise<void> {
  for (let i = 0; i < rels.length; i++) {
    const r = rels[i]!;
    for (const end of [r.source_id, r.target_id])
      if (!ids.has(end) && !(await c.row(end))) throw missingEnd(r, i, end);
    const byId = await c.one<RelationshipRow>('SELECT * FROM relationships WHERE id = $1', [r.id]);
    const byEnds = await c.one<RelationshipRow>(
      'SELECT * FROM relationships WHERE source_id = $1 AND target_id = $2 AND type = $3',
      [r.source_id, r.target_id, r.type],
    );
    if (importedRelationshipAction(r, i, byId, byEnds) === 'unchanged')
      result.relationships.unchanged++;
    else {
      await insertRelationship(c, r);
      result.relationships.created++;
    }
  }
}

export async function importDocument(
  c: PgCore,
  doc: unknown,
  opts: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
): Promise<ImportResult> {
  c.writable();
  const headerIssue = exportHeaderIssue(doc);
  if (headerIssue) throw describeIssue('import document', '', headerIssue);
  const { entities, relationships } = doc as { entities: unknown[]; relationships: unknown[] };
  const total = entities.length + relationships.length;
  const ids = new Set<string>();
  const rows = entities.map((raw, i) => importedEntityRow(raw, i, ids));
  const rels = relationships.map((raw, i) => importedRelationshipRow(raw, i));
  opts.onProgress?.({ phase: 'validate', done: total, total });
  const result = emptyImportResult(opts.dryRun ?? false);
  try {
    await c.tx(async () => {
      for (let i = 0; i < rows.length; i += PROGRESS_EVERY) {
        await applyEntities(c, rows.slice(i, i + PROGRESS_EVERY), result);
        opts.onProgress?.({
          phase: 'write',
          done: Math.min(i + PROGRESS_EVERY, rows.length),
          total,
        });
      }
      await applyRelationships(c, rels, ids, result);
      opts.onProgress?.({ phase: 'write', done: total, total });
      if (opts.dryRun) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}

export async function importStream(
  c: PgCore,
  records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
  opts: ImportStreamOptions = {},
): Promise<ImportResult> {
  c.writable();
  if (c.lock.held())
    throw new DmaError('UNEXPECTED', 'importStream cannot run inside another transaction');
  const result = emptyImportResult(opts.dryRun ?? false);
  const ids = new Set<string>();
  const rels: RelationshipRow[] = [];
  let header: unknown;
  let end: { entities: number; relationships: number } | undefined;
  let entityIndex = 0;
  let done = 0;
  let pending: EntityRow[] = [];
  try {
    await c.tx(async () => {
      if (opts.emptyTarget) {
        // other writers wait until this import commits: nothing lands between check and copy
        await c.q('LOCK TABLE entities, relationships IN SHARE ROW EXCLUSIVE MODE');
        if (
          (await c.scalar(
            'SELECT (SELECT count(*) FROM entities) + (SELECT count(*) FROM relationships) AS n',
          )) > 0
        )
          throw new TargetNotEmpty(c.path);
      }
      for await (const rec of records) {
        if (end) throw new UsageError('import document: records after the end record');
        if (rec.kind === 'header') header = rec.value;
        else if (rec.kind === 'entity') {
          pending.push(importedEntityRow(rec.value, entityIndex++, ids));
          if (pending.length >= PROGRESS_EVERY) {
            await applyEntities(c, pending, result);
            pending = [];
          }
        } else if (rec.kind === 'checked-entities') {
          // checked by the import worker, in order: only the counts and ids are kept here
          for (const row of rec.rows) {
            entityIndex++;
            ids.add(row.id);
            pending.push(row);
            if (pending.length >= PROGRESS_EVERY) {
              await applyEntities(c, pending, result);
              pending = [];
            }
            if (++done % PROGRESS_EVERY === 0) opts.onRecord?.(done);
          }
          continue;
        } else if (rec.kind === 'relationship')
          rels.push(importedRelationshipRow(rec.value, rels.length));
        else end = rec;
        if (++done % PROGRESS_EVERY === 0) opts.onRecord?.(done);
      }
      await applyEntities(c, pending, result);
      const headerIssue = exportHeaderIssue(header ?? {});
      if (headerIssue) throw describeIssue('import document', '', headerIssue);
      if (end && (end.entities !== entityIndex || end.relationships !== rels.length))
        throw new UsageError(
          `import document: the end record counts ${end.entities} entities and ${end.relationships} relationships, the file holds ${entityIndex} and ${rels.length}`,
        );
      await applyRelationships(c, rels, ids, result);
      opts.onRecord?.(done);
      if (opts.dryRun) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}
