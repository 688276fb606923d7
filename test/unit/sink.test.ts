import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isDmaError } from '../../src/core/errors.ts';
import { openSink, parseMode, resolveTarget, writeOutput } from '../../src/cli/sink.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'dma-sink-'));

/** The exit code and message of what `fn` throws (a DmaError), or undefined. */
async function failure(fn: () => unknown): Promise<{ exit: number; message: string } | undefined> {
  try {
    await fn();
  } catch (err) {
    if (!isDmaError(err)) throw err;
    return { exit: err.exitCode, message: err.message };
  }
  return undefined;
}

describe('output sink: targets', () => {
  it('"-" is stdout, and chunks reach the stream in order', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const sink = await writeOutput(
      '-',
      (function* () {
        yield 'a';
        yield Buffer.from('b');
        yield 'c\n';
      })(),
      { cwd: '/', stdout: out },
    );
    expect(sink.path).toBeNull();
    expect(text).toBe('abc\n');
  });

  it('refuses the campaign database, its companions, a symlink to it and a hard link (exit 3)', async () => {
    const dir = scratch();
    const db = join(dir, 'campaign.db');
    writeFileSync(db, 'SQLite format 3\0' + 'x'.repeat(100));
    writeFileSync(`${db}-wal`, '');
    symlinkSync(db, join(dir, 'link.json'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'up'));
    linkSync(db, join(dir, 'hard.json'));
    const opts = { cwd: dir, protect: [db] };
    for (const spec of [
      db,
      'campaign.db',
      './sub/../campaign.db',
      `${db}-wal`,
      `${db}-shm`,
      `${db}-journal`,
      'link.json',
      'sub/up/campaign.db',
      'hard.json',
    ]) {
      const f = await failure(() => resolveTarget(spec, opts));
      expect(f?.exit, spec).toBe(3);
      expect(f?.message, spec).toMatch(/refusing to write .*campaign database/);
    }
    // the file is unchanged
    expect(readFileSync(db, 'utf8').startsWith('SQLite format 3')).toBe(true);
  });

  it('refuses a symlink whose target is the database even when the database does not exist yet', async () => {
    const dir = scratch();
    const db = join(dir, 'new.db');
    symlinkSync(db, join(dir, 'dangling.json'));
    const f = await failure(() => resolveTarget('dangling.json', { cwd: dir, protect: [db] }));
    expect(f?.exit).toBe(3);
  });

  it('refuses any existing SQLite database, even one that is not the campaign', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'other.db'), 'SQLite format 3\0' + 'x'.repeat(100));
    const f = await failure(() => resolveTarget('other.db', { cwd: dir, protect: [] }));
    expect(f).toMatchObject({ exit: 3, message: expect.stringMatching(/SQLite database/) });
  });

  it('unusable paths are exit 3 with the reason in one line', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), 'x');
    const cases: [string, RegExp][] = [
      ['', /file name is empty/],
      ['   ', /file name is empty/],
      ['/nonexistent-dma-folder/x.json', /folder \/nonexistent-dma-folder does not exist/],
      [dir, /is a directory/],
      ['newdir/', /is a directory/],
      ['file/x.json', /not a folder/],
    ];
    for (const [spec, re] of cases) {
      const f = await failure(() => resolveTarget(spec, { cwd: dir }));
      expect(f?.exit, spec).toBe(3);
      expect(f?.message, spec).toMatch(re);
      expect(f?.message, spec).not.toContain('\n');
    }
  });

  it('a full device (ENOSPC) is exit 3; /dev/null takes anything', async () => {
    if (!existsSync('/dev/full')) return;
    const f = await failure(() => writeOutput('/dev/full', 'x'.repeat(10), { cwd: '/' }));
    expect(f).toMatchObject({ exit: 3, message: expect.stringMatching(/no space left.*ENOSPC/) });
    const sink = await writeOutput('/dev/null', 'ok', { cwd: '/' });
    expect(sink.path).toBe('/dev/null');
  });

  it('a folder without write permission is exit 3 (EACCES) when not root', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const dir = scratch();
    mkdirSync(join(dir, 'ro'), { mode: 0o500 });
    const f = await failure(() => writeOutput(join(dir, 'ro', 'x.json'), 'x', { cwd: dir }));
    expect(f).toMatchObject({ exit: 3, message: expect.stringMatching(/permission denied/) });
  });
});

describe('output sink: files', () => {
  it('writes atomically: nothing at the target until commit, no temp file left', async () => {
    const dir = scratch();
    const target = join(dir, 'out.json');
    writeFileSync(target, 'old');
    const sink = await openSink(target, { cwd: dir });
    await sink.write('new ');
    await sink.write(Buffer.from('content'));
    expect(readFileSync(target, 'utf8')).toBe('old');
    await sink.commit();
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('abort (or a failing generator) leaves the old file and removes the temp file', async () => {
    const dir = scratch();
    const target = join(dir, 'out.json');
    writeFileSync(target, 'old');
    const sink = await openSink(target, { cwd: dir });
    await sink.write('x'.repeat(2 << 20)); // past the flush threshold: a temp file exists
    expect(readdirSync(dir).length).toBe(2);
    await sink.abort();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.json']);

    const boom = await writeOutput(
      target,
      (function* () {
        yield 'partial';
        throw new Error('boom');
      })(),
      { cwd: dir },
    ).catch((e: Error) => e.message);
    expect(boom).toBe('boom');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('creates files 0600, or the --mode asked for, whatever the umask', async () => {
    const dir = scratch();
    await writeOutput(join(dir, 'a'), 'x', { cwd: dir });
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    await writeOutput(join(dir, 'b'), 'x', { cwd: dir, mode: parseMode('644')! });
    expect(statSync(join(dir, 'b')).mode & 0o777).toBe(0o644);
    expect(parseMode('0640')).toBe(0o640);
    expect(parseMode('0o600')).toBe(0o600);
    expect(await failure(() => parseMode('rw-r--r--'))).toMatchObject({ exit: 3 });
    expect(await failure(() => parseMode('888'))).toMatchObject({ exit: 3 });
  });

  it('writes through a symlink to its target (the link stays a link)', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));
    const sink = await writeOutput('link.json', 'new', { cwd: dir });
    expect(sink.path).toBe(join(dir, 'real.json'));
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new');
  });

  it('streams in bounded memory: 200 MB through the sink without holding it', async () => {
    const dir = scratch();
    const chunk = 'x'.repeat(1 << 20);
    const before = process.memoryUsage().rss;
    let peak = before;
    await writeOutput(
      join(dir, 'big'),
      (function* () {
        for (let i = 0; i < 200; i++) {
          peak = Math.max(peak, process.memoryUsage().rss);
          yield chunk;
        }
      })(),
      { cwd: dir },
    );
    expect(statSync(join(dir, 'big')).size).toBe(200 << 20);
    expect(peak - before).toBeLessThan(100 << 20);
  });
});
