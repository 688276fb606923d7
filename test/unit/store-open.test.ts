import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  APPLICATION_ID,
  migrations,
  openStore,
  resolveDbPath,
  SCHEMA_VERSION,
} from '../../src/store/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveDbPath', () => {
  it('prefers the flag, then DMA_DB, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { DMA_DB: '/e/x.db', XDG_DATA_HOME: '/xdg', HOME: '/home/u' };
    expect(resolveDbPath({ explicit: 'rel.db', env, cwd: '/w' })).toEqual({
      path: '/w/rel.db',
      source: 'flag',
    });
    expect(resolveDbPath({ env, cwd: '/w' })).toEqual({ path: '/e/x.db', source: 'env' });
    expect(resolveDbPath({ env: { XDG_DATA_HOME: '/xdg', HOME: '/home/u' } }).path).toBe(
      '/xdg/dma/campaign.db',
    );
    expect(resolveDbPath({ env: { HOME: '/home/u' } }).path).toBe(
      '/home/u/.local/share/dma/campaign.db',
    );
    // the XDG spec says a relative XDG_DATA_HOME is ignored
    expect(resolveDbPath({ env: { XDG_DATA_HOME: 'rel', HOME: '/home/u' } }).path).toBe(
      '/home/u/.local/share/dma/campaign.db',
    );
  });
});

describe('openStore', () => {
  it('creates the folder and a WAL database marked with the dma application_id', async () => {
    const path = join(dir, 'a', 'b', 'campaign.db');
    const s = await openStore({ path });
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('reopening a current database is idempotent', async () => {
    const path = join(dir, 'c.db');
    const s1 = await openStore({ path });
    await s1.create({ type: 'note', name: 'n', data: { text: 'hello' } });
    s1.close();
    const s2 = await openStore({ path, mode: 'read' });
    expect(await s2.count()).toBe(1);
    expect((await s2.info()).exists).toBe(true);
    s2.close();
  });

  it('refuses a file that is not SQLite and leaves it untouched', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'my precious campaign notes, not a database at all\n');
    await expect(openStore({ path })).rejects.toThrow(UsageError);
    await expect(openStore({ path })).rejects.toThrow(/not a dma database/);
    expect(readFileSync(path, 'utf8')).toBe('my precious campaign notes, not a database at all\n');
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a directory', async () => {
    await expect(openStore({ path: dir })).rejects.toThrow(/is a directory/);
  });

  it('refuses an SQLite database of another program without changing it', async () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    const before = readFileSync(path);
    await expect(openStore({ path })).rejects.toThrow(/not a dma database .*another program/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses another application_id', async () => {
    const path = join(dir, 'app.db');
    const db = new Database(path);
    db.pragma('application_id = 1234');
    db.close();
    await expect(openStore({ path })).rejects.toThrow(/application_id 1234/);
  });

  it('refuses a database from a newer dma and does not downgrade it', async () => {
    const path = join(dir, 'future.db');
    const future = [
      ...migrations,
      {
        version: SCHEMA_VERSION + 1,
        name: 'future',
        sql: 'CREATE TABLE future_things (id TEXT PRIMARY KEY)',
      },
    ];
    (await openStore({ path, migrations: future })).close();
    await expect(openStore({ path })).rejects.toThrow(/newer than this dma understands/);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    db.close();
  });

  it('applies a later migration to an existing database, keeping its data', async () => {
    const path = join(dir, 'old.db');
    const s1 = await openStore({ path });
    const e = await s1.create({ type: 'note', name: 'kept', data: { text: 'x' } });
    s1.close();
    const next = [
      ...migrations,
      {
        version: SCHEMA_VERSION + 1,
        name: 'future',
        sql: 'CREATE TABLE future_things (id TEXT PRIMARY KEY)',
      },
    ];
    const s2 = await openStore({ path, migrations: next });
    expect((await s2.get(e.id)).name).toBe('kept');
    expect((await s2.info()).schema_version).toBe(SCHEMA_VERSION + 1);
    s2.close();
  });

  it('a failing migration leaves the database at its old version', async () => {
    const path = join(dir, 'broken.db');
    (await openStore({ path })).close();
    const broken = [
      ...migrations,
      {
        version: SCHEMA_VERSION + 1,
        name: 'bad',
        sql: 'CREATE TABLE ok1 (x); CREATE TABLE entities (y)',
      },
    ];
    await expect(openStore({ path, migrations: broken })).rejects.toThrow();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ok1'").pluck().get()).toBe(
      0,
    );
    db.close();
  });

  it('migrations are numbered 1..n in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});
