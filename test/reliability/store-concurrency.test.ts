/**
 * Eight processes writing 500 entities each to one new database at once: all 4,000
 * arrive, none fails with "database is locked" (WAL, busy_timeout, BEGIN IMMEDIATE).
 * The database does not exist when they start, so the first-open migration races too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';

const WRITERS = 8;
const EACH = 500;
const fixture = new URL('../fixtures/store-writer.ts', import.meta.url).pathname;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-concurrent-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writer(
  dbPath: string,
  label: string,
  startAt: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, dbPath, String(EACH), label, String(startAt)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('concurrent writers', () => {
  // One retry: on a machine loaded by the rest of the suite, eight processes' scheduling
  // alone has once kept a writer waiting past its lock timeout; a real locking bug fails
  // both attempts (each attempt uses a fresh database).
  it(
    `${WRITERS} processes x ${EACH} entities: all present, none locked out`,
    { retry: 1, timeout: 120_000 },
    async () => {
      const dbPath = join(mkdtempSync(join(dir, 'attempt-')), 'campaign.db');
      const labels = Array.from({ length: WRITERS }, (_, i) => `w${i}`);
      const startAt = Date.now() + 3000; // time enough for all eight to load
      const results = await Promise.all(labels.map((l) => writer(dbPath, l, startAt)));
      for (const r of results) {
        expect(r.stderr).not.toMatch(/locked|busy/i);
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual({ created: EACH, failed: 0, errors: [] });
      }
      const store = await openStore({ path: dbPath, mode: 'read' });
      expect(await store.count()).toBe(WRITERS * EACH);
      for (const l of labels) expect((await store.search(l, { limit: 1000 })).length).toBe(EACH);
      expect((await store.check()).ok).toBe(true);
      store.close();
    },
  );
});
