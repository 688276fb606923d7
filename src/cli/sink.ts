/**
 * The one output sink (STYLE.md principle 9): every file the CLI writes — the `-o/--output`
 * of every command — goes through here, and handlers never write files themselves.
 *
 * - `-` is stdout.
 * - A file is written to a temporary file beside it (created with the requested mode,
 *   0600 by default) and renamed over the target when complete: a reader never sees half
 *   a file, and a failed or interrupted command leaves the old file as it was.
 * - A device, FIFO or socket (`/dev/null`, `/dev/full`, `/dev/stdout`) is written directly.
 * - The campaign database and its `-wal`/`-shm`/`-journal` files are refused (exit 3)
 *   whatever path or symlink names them, and so is any existing SQLite database.
 * - Unusable paths (empty, missing folder, a directory, no permission, a full disk) are
 *   exit 3 with the reason in one line.
 *
 * Streaming: `openSink` → `write` chunks → `commit` (or `abort`), in bounded memory.
 */
import {
  closeSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
  unlinkSync,
  type Stats,
  // fs.promises, not node:fs/promises: Node loads it on first use, when a file is written,
  // instead of on every start (1-2.5 ms of CPU)
  promises as fsp,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Payload } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';

export interface SinkOptions {
  /** base for relative paths */
  cwd: string;
  /** permission bits of the written file (default 0o600); ignored for stdout and devices */
  mode?: number;
  /** database paths never to write over (their -wal/-shm/-journal companions too) */
  protect?: readonly string[];
  /** the stream `-` means (default process.stdout) */
  stdout?: NodeJS.WritableStream;
  /** the option in messages (default "--output") */
  label?: string;
}

export interface Sink {
  /** the file written (resolved, symlinks followed), or null for stdout */
  readonly path: string | null;
  /** append a chunk (buffered; resolves when the sink can take more) */
  write(chunk: string | Uint8Array): Promise<void>;
  /** finish: flush, and for a file rename the temporary file over the target */
  commit(): Promise<void>;
  /** give up: the target is left as it was (nothing written to it, temp file removed) */
  abort(): Promise<void>;
}

export const DEFAULT_FILE_MODE = 0o600;

/** Flush to the file every this many bytes (whole-file exports stay in bounded memory). */
const FLUSH_BYTES = 1 << 20;

/** Errno codes as a user reads them. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EEXIST: 'file exists',
  EXDEV: 'cross-device rename',
  EBUSY: 'device or resource busy',
  ENXIO: 'no such device or address',
  EINVAL: 'invalid argument',
  EMFILE: 'too many open files',
};

/** A filesystem error (anything with an errno code) as a one-line UsageError (exit 3). */
export function fileError(err: unknown, path: string, action = 'write'): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return err as Error;
  const reason = REASONS[code] ?? (err as Error).message.replace(/^[A-Z0-9]+: /, '');
  return new UsageError(`cannot ${action} ${path}: ${reason} (${code})`);
}

function statOrNull(path: string, follow = true): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * The path with every symlink resolved, also when the file (or a link's target) does not
 * exist yet: the nearest existing ancestor is resolved and the rest appended.
 */
export function canonicalPath(path: string, depth = 0): string {
  if (depth > 40) throw Object.assign(new Error('ELOOP'), { code: 'ELOOP' });
  try {
    // one realpath(3) call, not a JavaScript walk with an lstat per folder of the path
    return realpathSync.native(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const link = statOrNull(path, false);
  if (link?.isSymbolicLink())
    return canonicalPath(resolve(dirname(path), readlinkSync(path)), depth + 1);
  const parent = dirname(path);
  if (parent === path) return path;
  return join(canonicalPath(parent, depth), basename(path));
}

const SQLITE_HEADER = 'SQLite format 3\0';

function isSqliteFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(16);
    return readSync(fd, buf, 0, 16, 0) === 16 && buf.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

export type Target =
  | { kind: 'stdout' }
  | { kind: 'file'; path: string; exists: boolean }
  | { kind: 'device'; path: string };

const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/**
 * Where `spec` writes, checked: exit 3 for an empty name, a directory, a missing folder,
 * the campaign database (or a companion file, or a hard link to one) and any SQLite file.
 */
export function resolveTarget(spec: string, opts: Omit<SinkOptions, 'stdout' | 'mode'>): Target {
  const label = opts.label ?? '--output';
  if (spec === '-') return { kind: 'stdout' };
  if (spec.trim() === '')
    throw new UsageError(`${label}: the file name is empty`, {
      hint: `give a file name, or - for stdout`,
    });
  const given = resolve(opts.cwd, spec);
  let path: string;
  try {
    path = canonicalPath(given);
  } catch (err) {
    throw fileError(err, given);
  }
  const shown = path === given ? given : `${given} (→ ${path})`;
  let st: Stats | null;
  try {
    st = statOrNull(path);
  } catch (err) {
    throw fileError(err, shown);
  }
  if (st?.isDirectory() || (!st && /[\\/]$/.test(spec)))
    throw new UsageError(`cannot write ${shown}: is a directory`, {
      hint: `name a file inside it, e.g. ${join(given, 'out.json')}`,
    });
  if (!st) {
    const folder = dirname(path);
    let fst: Stats | null;
    try {
      fst = statOrNull(folder);
    } catch (err) {
      throw fileError(err, folder);
    }
    if (!fst) throw new UsageError(`cannot write ${shown}: folder ${folder} does not exist`);
    if (!fst.isDirectory())
      throw new UsageError(`cannot write ${shown}: ${folder} is not a folder`);
  }
  for (const db of opts.protect ?? []) {
    if (db === '' || db === ':memory:') continue;
    let base: string;
    try {
      base = canonicalPath(resolve(opts.cwd, db));
    } catch {
      base = resolve(opts.cwd, db);
    }
    for (const suffix of COMPANIONS) {
      const names = new Set([base + suffix]);
      try {
        names.add(canonicalPath(resolve(opts.cwd, db) + suffix));
      } catch {
        // an unresolvable companion cannot be the target either
      }
      let same = names.has(path);
      if (!same && st) {
        const other = statOrNull(base + suffix);
        same = other !== null && other.dev === st.dev && other.ino === st.ino;
      }
      if (same)
        throw new UsageError(
          `refusing to write ${shown}: it is the campaign database${suffix ? ` (its ${suffix.slice(1)} file)` : ''}`,
          { hint: `choose another file for ${label}` },
        );
    }
  }
  if (st === null) return { kind: 'file', path, exists: false };
  if (!st.isFile()) return { kind: 'device', path };
  if (isSqliteFile(path))
    throw new UsageError(`refusing to write ${shown}: it is an SQLite database`, {
      hint: `choose another file for ${label}`,
    });
  return { kind: 'file', path, exists: true };
}

/** Temporary files not yet renamed or removed: removed if the process exits first. */
const pending = new Set<string>();
let exitHookInstalled = false;
function track(tmp: string): void {
  pending.add(tmp);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const f of pending) {
      try {
        unlinkSync(f);
      } catch {
        // already gone
      }
    }
  });
  // Ctrl-C ends a process without 'exit' handlers unless someone listens (the full
  // program does, src/cli/full.ts); on the fast lane, listen here so the temp file goes too
  if (process.listenerCount('SIGINT') === 0)
    process.once('SIGINT', () => {
      process.stderr.write('\ndma: interrupted\n');
      process.exit(130);
    });
}

class Buffered {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  add(chunk: string | Uint8Array): boolean {
    this.parts.push(chunk);
    this.size += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    return this.size >= FLUSH_BYTES;
  }
  take(): Buffer | null {
    if (this.parts.length === 0) return null;
    const buf = Buffer.concat(
      this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)),
    );
    this.parts = [];
    this.size = 0;
    return buf;
  }
}

function stdoutSink(out: NodeJS.WritableStream): Sink {
  const write = (chunk: string | Uint8Array) =>
    new Promise<void>((done) => {
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    });
  return { path: null, write, commit: async () => undefined, abort: async () => undefined };
}

function fileSink(target: Exclude<Target, { kind: 'stdout' }>, mode: number): Sink {
  const direct = target.kind === 'device';
  const tmp = direct
    ? target.path
    : join(
        dirname(target.path),
        `.${basename(target.path)}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`,
      );
  let handle: Promise<FileHandle> | undefined;
  let closed = false;
  const buffer = new Buffered();
  const fail = (err: unknown) => fileError(err, target.path);
  const fh = () =>
    (handle ??= (async () => {
      try {
        if (direct) return await fsp.open(tmp, 'w');
        track(tmp);
        const h = await fsp.open(tmp, 'wx', mode);
        await h.chmod(mode); // exactly the mode asked for, whatever the umask
        return h;
      } catch (err) {
        pending.delete(tmp);
        throw fail(err);
      }
    })());
  const flush = async () => {
    const buf = buffer.take();
    const h = await fh();
    if (buf === null) return;
    try {
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await h.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
    } catch (err) {
      throw fail(err);
    }
  };
  const cleanup = async () => {
    if (closed) return;
    closed = true;
    if (handle) await (await handle.catch(() => undefined))?.close().catch(() => undefined);
    if (!direct && pending.has(tmp)) {
      pending.delete(tmp);
      await fsp.unlink(tmp).catch(() => undefined);
    }
  };
  return {
    path: target.path,
    async write(chunk) {
      try {
        if (buffer.add(chunk)) await flush();
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
    async commit() {
      try {
        await flush();
        const h = await fh();
        if (!direct)
          await h.datasync().catch((err: NodeJS.ErrnoException) => {
            // some file systems cannot sync; the rename is still atomic
            if (err.code !== 'EINVAL' && err.code !== 'ENOTSUP') throw err;
          });
        await h.close().catch((err: unknown) => {
          throw fail(err);
        });
        closed = true;
        if (!direct) {
          await fsp.rename(tmp, target.path).catch((err: unknown) => {
            throw fail(err);
          });
          pending.delete(tmp);
        }
      } catch (err) {
        closed = false;
        await cleanup();
        throw fileError(err, target.path);
      }
    },
    abort: cleanup,
  };
}

/** Open `spec` for writing (see the module comment); throws exit-3 errors for unusable paths. */
export async function openSink(spec: string, opts: SinkOptions): Promise<Sink> {
  const target = resolveTarget(spec, opts);
  if (target.kind === 'stdout') return stdoutSink(opts.stdout ?? process.stdout);
  const sink = fileSink(target, opts.mode ?? DEFAULT_FILE_MODE);
  return sink;
}

/** Write a whole payload (a string, bytes, or chunks from a generator) and commit. */
export async function writeOutput(
  spec: string,
  payload: Payload,
  opts: SinkOptions,
): Promise<Sink> {
  const sink = await openSink(spec, opts);
  try {
    if (typeof payload === 'string' || payload instanceof Uint8Array) await sink.write(payload);
    else for await (const chunk of payload) await sink.write(chunk);
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink;
}

/** `--mode 644` / `0644` / `0o644` → 0o644; exit 3 otherwise. */
export function parseMode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:0o?)?([0-7]{3})$/.exec(value.trim());
  if (!m)
    throw new UsageError(`invalid --mode "${value}": expected octal permissions like 600 or 0644`);
  return parseInt(m[1]!, 8);
}
