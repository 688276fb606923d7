/**
 * Opening a campaign database: pragmas, the "is this a dma database" guard and the
 * forward-only migrations. The only module (with store.ts) that touches better-sqlite3.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DmaError, UsageError } from '../../core/errors.ts';
import { APPLICATION_ID, migrations, SCHEMA_VERSION, type Migration } from './migrations.ts';

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[], unknown>;

/**
 * `stmt(sql)`: the statement for `sql`, prepared on first use and then reused (the store
 * and the bus each keep one, so opening a store prepares nothing).
 */
export function statementCache(db: Db): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare<unknown[], unknown>(sql);
      statements.set(sql, s);
    }
    return s;
  };
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * The SQLite addon's file, found the way Node finds the package, when this code runs as
 * CommonJS (the built bundles, which carry better-sqlite3's own JavaScript): given to
 * better-sqlite3, it skips the `bindings` package's search of a dozen build folders on
 * every start. Elsewhere (tests from source) better-sqlite3 finds it itself.
 */
let addonPath: string | null | undefined;
function nativeBinding(): string | undefined {
  if (addonPath === undefined) {
    addonPath = null;
    if (typeof require === 'function' && typeof require.resolve === 'function') {
      try {
        const file = join(
          dirname(require.resolve('better-sqlite3/package.json')),
          'build',
          'Release',
          'better_sqlite3.node',
        );
        if (existsSync(file)) addonPath = file;
      } catch {
        // not resolvable from here: better-sqlite3 searches as usual
      }
    }
  }
  return addonPath ?? undefined;
}

/** True when `path` exists and its first bytes are not an SQLite header (an empty file is fine). */
function isForeignFile(path: string): boolean {
  if (statSync(path).size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n < 16 || buf.toString('latin1') !== SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/**
 * A new campaign is private: it holds every prompt sent to an LLM and every answer. Its
 * folder, when dma creates it, is 0700, and the file is created empty with 0600 before
 * SQLite opens it (SQLite gives the -wal and -shm files the database's permissions).
 * Another process creating it at the same moment is fine (EEXIST).
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function notDma(path: string, why: string): UsageError {
  return new UsageError(`${path} is not a dma database (${why}); refusing to touch it`, {
    hint: 'point --db or DMA_DB at a dma campaign database, or at a path that does not exist yet',
  });
}

export interface ConnectOptions {
  path: string;
  /** create the file (and its folder) when missing */
  create: boolean;
  busyTimeoutMs: number;
  /** the migrations to apply; tests pass a longer list to simulate a newer dma */
  migrations?: readonly Migration[];
}

/**
 * Open `path` and bring its schema to the current version. Throws UsageError for a file that
 * is not a dma database or comes from a newer dma; never overwrites or downgrades either.
 */
export function connect(opts: ConnectOptions): Db {
  const { path } = opts;
  const list = opts.migrations ?? migrations;
  const memory = path === ':memory:';
  if (!memory) {
    if (existsSync(path)) {
      if (statSync(path).isDirectory())
        throw new UsageError(`${path} is a directory, not a database file`);
      if (isForeignFile(path)) throw notDma(path, 'not an SQLite file');
    } else if (opts.create) {
      try {
        createPrivately(path);
      } catch (err) {
        throw new DmaError(
          'UNEXPECTED',
          `cannot create database ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          { cause: err },
        );
      }
    }
  }
  let db: Db;
  try {
    const addon = nativeBinding();
    db = new Database(path, {
      fileMustExist: !opts.create && !memory,
      ...(addon === undefined ? {} : { nativeBinding: addon }),
    });
  } catch (err) {
    throw new DmaError('UNEXPECTED', `cannot open database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
    // Refuse a foreign database before changing anything in it (even its journal mode).
    // Header and schema are read in one read transaction: another process creating the
    // database at the same moment must not be seen half-way (tables but no application_id).
    const header = db.transaction(() => {
      const h = readHeader(db);
      checkHeader(h, path, list.length, () => isEmpty(db));
      return h;
    })();
    // A new database gets 8 KiB pages (SQLite's default is 4 KiB): bus messages and entity
    // rows of 0.5–6 KB fit with fewer splits and overflow pages. Only possible before the
    // first write; an existing database keeps its page size.
    if (header.userVersion === 0) db.pragma('page_size = 8192');
    if (!memory && db.pragma('journal_mode', { simple: true }) !== 'wal')
      db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash with every committed transaction intact.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // statement journals and sorts in memory: a saved command otherwise creates (and
    // syncs a directory for) a scratch file in /var/tmp on every run
    db.pragma('temp_store = MEMORY');
    // Checkpoint every ~40 MB of log (5,000 pages of 8 KiB) instead of every 4 MB: a
    // 10,000-message bus batch otherwise pays a checkpoint (and its fsyncs) per
    // transaction. Durability is the same.
    db.pragma('wal_autocheckpoint = 5000');
    if (header.userVersion !== list.length) migrate(db, path, list);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DmaError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw notDma(path, 'not a readable SQLite file');
    throw new DmaError('UNEXPECTED', `cannot open database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function readHeader(db: Db): Header {
  return {
    userVersion: db.pragma('user_version', { simple: true }) as number,
    applicationId: db.pragma('application_id', { simple: true }) as number,
  };
}

type Header = { userVersion: number; applicationId: number };

const isEmpty = (db: Db): boolean =>
  (db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number) === 0;

function checkHeader(h: Header, path: string, target: number, empty: () => boolean): void {
  if (h.applicationId !== APPLICATION_ID) {
    if (h.applicationId !== 0) throw notDma(path, `application_id ${h.applicationId}`);
    if (h.userVersion !== 0 || !empty()) throw notDma(path, 'it holds tables of another program');
  }
  if (h.userVersion > target) {
    throw new UsageError(
      `${path} has schema version ${h.userVersion}, newer than this dma understands (${target}); refusing to downgrade it`,
      { hint: 'upgrade dma to open this database' },
    );
  }
}

/** Apply the missing migrations under the write lock; another process may have done it meanwhile, so look again. */
function migrate(db: Db, path: string, list: readonly Migration[]): void {
  db.transaction(() => {
    const h = readHeader(db);
    checkHeader(h, path, list.length, () => isEmpty(db));
    if (h.applicationId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    for (const m of list.slice(h.userVersion)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

export { SCHEMA_VERSION };
