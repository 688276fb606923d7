/**
 * Export and import on SQLite: a whole document, or a stream of records in bounded memory.
 * An import is validated and written in one transaction — all or nothing, idempotent by id.
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
import type { SqliteCore } from './core.ts';
import { insertRow, replaceRow } from './entities.ts';
import { insertRelationship } from './links.ts';

const ENTITY_COLS = 'id, type, name, data, version, created_at, updated_at';
const TYPED_RELATIONSHIPS = `SELECT r.* FROM relationships r JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id
  WHERE s.type = @type AND t.type = @type ORDER BY r.created_at, r.id`;

/** Every entity (of one type, or all) and the relationships between exported entities. */
export function exportDocument(
  c: SqliteCore,
  opts: { type?: EntityType | undefined } = {},
): ExportDocument {
  typeFilter(opts.type);
  // One read transaction: a consistent snapshot even while others write.
  return c.db
    .transaction(() => {
      const entities = (
        opts.type
          ? c.stmt(`SELECT ${ENTITY_COLS} FROM entities WHERE type = ? ORDER BY seq`).all(opts.type)
          : c.stmt(`SELECT ${ENTITY_COLS} FROM entities ORDER BY seq`).all()
      ) as EntityRow[];
      const rels = (
        opts.type
          ? c.stmt(TYPED_RELATIONSHIPS).all({ type: opts.type })
          : c.stmt('SELECT * FROM relationships ORDER BY created_at, id').all()
      ) as RelationshipRow[];
      return {
        schema_version: EXPORT_SCHEMA_VERSION,
        exported_at: c.now(),
        entities: entities.map(toEntity),
        relationships: rels.map(toRelationship),
      };
    })
    .deferred();
}

/**
 * An entity's export JSON, made by SQLite: the same text as exportedEntityJson (json_quote
 * escapes exactly as JSON.stringify does, character for character; the stored data is
 * spliced in), one string per row instead of seven and the JSON built around them;
 * concat() copies each piece once, where a chain of || copied a 3 KB NPC's text at every
 * step after its data. A version beyond 2^53 is left to JavaScript (NULL here), which
 * prints such a number as JSON.stringify does.
 */
const ENTITY_JSON = `CASE WHEN version <= 9007199254740991 THEN concat(
  '{"id":', json_quote(id), ',"type":', json_quote(type), ',"name":', json_quote(name),
  ',"data":', data, ',"version":', version, ',"created_at":', json_quote(created_at),
  ',"updated_at":', json_quote(updated_at), '}') END`;

function entityJsonInJs(c: SqliteCore, seq: number): string {
  const r = c.db.prepare(`SELECT ${ENTITY_COLS} FROM entities WHERE seq = ?`).get(seq) as EntityRow;
  return exportedEntityJson(r.id, r.type, r.name, r.data, r.version, r.created_at, r.updated_at);
}

/**
 * The export record by record, from one read snapshot (held until the generator ends or
 * is closed): the header, then each entity, then each relationship between exported
 * entities, each as its JSON text (the stored data spliced in, never re-parsed).
 */
export function* exportRecords(
  c: SqliteCore,
  opts: { type?: EntityType | undefined } = {},
): Generator<ExportRecord> {
  typeFilter(opts.type);
  const ownTransaction = !c.db.inTransaction;
  if (ownTransaction) c.db.exec('BEGIN DEFERRED');
  try {
    yield { kind: 'header', schema_version: EXPORT_SCHEMA_VERSION, exported_at: c.now() };
    const entities = (
      opts.type
        ? c.db.prepare(`SELECT ${ENTITY_JSON}, seq FROM entities WHERE type = ? ORDER BY seq`)
        : c.db.prepare(`SELECT ${ENTITY_JSON}, seq FROM entities ORDER BY seq`)
    )
      .raw()
      .iterate(...(opts.type ? [opts.type] : [])) as IterableIterator<[string | null, number]>;
    for (const [json, seq] of entities) {
      yield { kind: 'entity', json: json ?? entityJsonInJs(c, seq) };
    }
    const rels = (
      opts.type
        ? c.db.prepare(TYPED_RELATIONSHIPS)
        : c.db.prepare('SELECT * FROM relationships ORDER BY created_at, id')
    ).iterate(...(opts.type ? [{ type: opts.type }] : [])) as IterableIterator<RelationshipRow>;
    for (const r of rels) yield { kind: 'relationship', json: JSON.stringify(toRelationship(r)) };
  } finally {
    if (ownTransaction && c.db.inTransaction) c.db.exec('COMMIT');
  }
}

/**
 * Import an export document: everything is validated first, then written in one
 * transaction — all or nothing. Idempotent by id:
 * - a new id is created with the document's version and timestamps;
 * - the same id with the same content is left alone;
 * - the same id with different content replaces the stored entity when the document's
 *   version is higher, and is a ConflictError otherwise (nothing is imported).
 * Relationships: new ids are created; a known id must have the same content, and a
 * different id for an existing (source, target, type) is a ConflictError.
 * A bad record is a UsageError naming `entities[i]`/`relationships[i]`, its id and the field.
 */
export function importDocument(
  c: SqliteCore,
  doc: unknown,
  opts: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
): ImportResult {
  c.writable();
  const headerIssue = exportHeaderIssue(doc);
  if (headerIssue) throw describeIssue('import document', '', headerIssue);
  const { entities, relationships } = doc as { entities: unknown[]; relationships: unknown[] };
  const total = entities.length + relationships.length;
  const progress = (phase: ImportProgress['phase'], done: number) =>
    opts.onProgress?.({ phase, done, total });

  const ids = new Set<string>();
  const rows = entities.map((raw, i) => {
    const row = importedEntityRow(raw, i, ids);
    if ((i + 1) % PROGRESS_EVERY === 0) progress('validate', i + 1);
    return row;
  });
  const rels = relationships.map((raw, i) => importedRelationshipRow(raw, i));
  progress('validate', total);

  const result = emptyImportResult(opts.dryRun ?? false);
  const apply = () => {
    let done = 0;
    const tick = () => {
      done++;
      if (done % PROGRESS_EVERY === 0) progress('write', done);
    };
    for (const r of rows) {
      applyImportedEntity(c, r, result);
      tick();
    }
    rels.forEach((r, i) => {
      applyImportedRelationship(c, r, i, ids, result);
      tick();
    });
    progress('write', total);
    if (opts.dryRun) throw new Rollback();
  };
  try {
    c.write(apply);
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}

/**
 * `import` of a stream of records (src/store/transfer.ts reads them from JSON, NDJSON or
 * YAML): each entity is checked and written as it arrives, inside one BEGIN IMMEDIATE
 * transaction that commits only when the whole stream was read and checked — all or
 * nothing, idempotent by id, in bounded memory (only ids and relationships are kept).
 * `onRecord` is called every PROGRESS_EVERY records with the number read so far.
 */
export async function importStream(
  c: SqliteCore,
  records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
  opts: ImportStreamOptions = {},
): Promise<ImportResult> {
  c.writable();
  if (c.db.inTransaction)
    throw new DmaError('UNEXPECTED', 'importStream cannot run inside another transaction');
  const result = emptyImportResult(opts.dryRun ?? false);
  const ids = new Set<string>();
  const rels: RelationshipRow[] = [];
  let header: unknown;
  let end: { entities: number; relationships: number } | undefined;
  let entityIndex = 0;
  let done = 0;
  c.db.exec('BEGIN IMMEDIATE');
  try {
    if (
      opts.emptyTarget &&
      c.scalar('SELECT (SELECT count(*) FROM entities) + (SELECT count(*) FROM relationships)') > 0
    )
      throw new TargetNotEmpty(c.path);
    const deferred = deferNameIndexes(c);
    for await (const rec of records) {
      if (end) throw new UsageError('import document: records after the end record');
      if (rec.kind === 'header') {
        header = rec.value;
      } else if (rec.kind === 'entity') {
        const row = importedEntityRow(rec.value, entityIndex++, ids);
        applyImportedEntity(c, row, result);
      } else if (rec.kind === 'checked-entities') {
        // checked by the import worker, in order: only the counts and ids are kept here
        for (const row of rec.rows) {
          entityIndex++;
          ids.add(row.id);
          applyImportedEntity(c, row, result);
          if (++done % PROGRESS_EVERY === 0) opts.onRecord?.(done);
        }
        continue;
      } else if (rec.kind === 'relationship') {
        rels.push(importedRelationshipRow(rec.value, rels.length));
      } else {
        end = rec;
      }
      if (++done % PROGRESS_EVERY === 0) opts.onRecord?.(done);
    }
    const headerIssue = exportHeaderIssue(header ?? {});
    if (headerIssue) throw describeIssue('import document', '', headerIssue);
    if (end && (end.entities !== entityIndex || end.relationships !== rels.length))
      throw new UsageError(
        `import document: the end record counts ${end.entities} entities and ${end.relationships} relationships, the file holds ${entityIndex} and ${rels.length}`,
      );
    rels.forEach((r, i) => applyImportedRelationship(c, r, i, ids, result));
    if (!opts.dryRun) for (const sql of deferred) c.db.exec(sql);
    opts.onRecord?.(done);
    c.db.exec(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
  } finally {
    if (c.db.inTransaction) c.db.exec('ROLLBACK');
  }
  return result;
}

/**
 * An import into a campaign without entities builds the entities' secondary indexes (by
 * name, by type and name) once after the load, not row by row: the import's transaction
 * drops them here and creates them again, from their own stored SQL, before it commits
 * (inside it, so a crash or an error leaves them as they were). The id's index stays: the
 * import looks ids up. Returns the statements that create them again.
 */
function deferNameIndexes(c: SqliteCore): string[] {
  if (c.scalar('SELECT EXISTS (SELECT 1 FROM entities)') === 1) return [];
  const indexes = c.db
    .prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entities' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) c.db.exec(`DROP INDEX "${name.replace(/"/g, '""')}"`);
  return indexes.map((i) => i.sql);
}

function applyImportedEntity(c: SqliteCore, r: EntityRow, result: ImportResult): void {
  if (insertRow(c, r)) {
    result.entities.created++;
    return;
  }
  const current = c.row(r.id)!;
  if (importedEntityAction(current, r) === 'unchanged') {
    result.entities.unchanged++;
  } else {
    replaceRow(c, current.seq!, r);
    result.entities.updated++;
  }
}

function applyImportedRelationship(
  c: SqliteCore,
  r: RelationshipRow,
  i: number,
  ids: ReadonlySet<string>,
  result: ImportResult,
): void {
  for (const end of [r.source_id, r.target_id])
    if (!ids.has(end) && !c.row(end)) throw missingEnd(r, i, end);
  const byId = c.stmt('SELECT * FROM relationships WHERE id = ?').get(r.id) as
    RelationshipRow | undefined;
  const byEnds = c
    .stmt('SELECT * FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?')
    .get(r.source_id, r.target_id, r.type) as RelationshipRow | undefined;
  if (importedRelationshipAction(r, i, byId, byEnds) === 'unchanged') {
    result.relationships.unchanged++;
  } else {
    insertRelationship(c, r);
    result.relationships.created++;
  }
}
