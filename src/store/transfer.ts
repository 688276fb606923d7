/**
 * Reading an import as a stream of records for CampaignStore.importStream: an export
 * document in JSON (read incrementally: each entity is parsed on its own, the document is
 * never held whole), NDJSON as `dma entity export --format ndjson` writes it, or YAML (read
 * whole: YAML cannot be streamed this way). The format is recognised from the content.
 */
import { loadYaml } from '../core/yaml.ts';
import { constants, type Stats } from 'node:fs';
import { access, open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../core/errors.ts';
import type { ExportRecord, ImportRecord } from './types.ts';

type Chunk = string | Uint8Array;
type Chunks = AsyncIterable<Chunk>;

/** Longest first line still taken for an NDJSON header (a JSON document is not sniffed further). */
const SNIFF_LIMIT = 64 * 1024;

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a folder',
};

function readError(err: unknown, file: string): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return err as Error;
  return new UsageError(`cannot read ${file}: ${ERRNO_TEXT[code] ?? code} (${code})`);
}

async function openFile(file: string): Promise<{ fh: FileHandle; st: Stats }> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw readError(err, file);
  }
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw new UsageError(`cannot read ${file}: is a directory (EISDIR)`);
  }
  return { fh, st };
}

/**
 * The absolute path and size of import file `value` when it is a regular file that can be
 * read, else undefined (openImportSource then reads it, or says why it cannot). Nothing is
 * opened: a named pipe is not touched.
 */
export async function regularImportFile(
  value: string,
  cwd: string,
): Promise<{ file: string; size: number } | undefined> {
  if (value === '-') return undefined;
  const file = resolve(cwd, value);
  try {
    const st = await stat(file);
    if (!st.isFile()) return undefined;
    await access(file, constants.R_OK);
    return { file, size: st.size };
  } catch {
    return undefined;
  }
}

/** The chunks of a file (or of `stdin` for "-"), with read errors as one-line exit-3 errors. */
export async function openImportSource(
  value: string,
  ctx: { cwd: string; stdin: () => Chunks },
): Promise<{ source: string; chunks: Chunks; size?: number }> {
  if (value === '-') return { source: 'stdin', chunks: ctx.stdin() };
  const file = resolve(ctx.cwd, value);
  const { fh, st } = await openFile(file);
  const stream = fh.createReadStream({ highWaterMark: 1 << 20 });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const c of stream) yield c as Uint8Array;
    } catch (err) {
      throw readError(err, file);
    } finally {
      stream.destroy();
    }
  }
  return { source: file, chunks: chunks(), size: st.size };
}

/**
 * Chunks as text (UTF-8, a character split across chunks is joined, a leading byte order
 * mark dropped). StringDecoder rather than TextDecoder: TextDecoder's streaming decode
 * (ICU) gives two-byte strings even for ASCII, which made every later indexOf and
 * JSON.parse over them slower.
 */
async function* text(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let decoded = false;
  const bytes = (s: string) => {
    if (decoded || !s) return s;
    decoded = true;
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  };
  for await (const c of chunks) {
    if (typeof c === 'string') {
      if (c) yield c;
    } else {
      const s = bytes(decoder.write(c));
      if (s) yield s;
    }
  }
  const rest = bytes(decoder.end());
  if (rest) yield rest;
}

/**
 * The records of an import, read as a stream. `onBytes` reports the bytes read (progress).
 * Syntax errors are UsageErrors naming the source and the position.
 */
export async function* importRecords(
  chunks: Chunks,
  source: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<ImportRecord> {
  const input = counted(chunks, onBytes)[Symbol.asyncIterator]();
  const ndjson = await sniffNdjson(input);
  if (ndjson.lines) {
    yield* ndjsonRecords(ndjson.lines, source);
    return;
  }
  const reader = new Reader(text(ndjson.replay), source);
  const first = await reader.peek();
  if (first === '{') {
    const line = await reader.firstLine(SNIFF_LIMIT);
    if (line !== undefined && isNdjsonHeader(line)) {
      yield* ndjsonRecords(readerLines(reader), source);
      return;
    }
    yield* jsonRecords(reader, source);
    return;
  }
  const all = await reader.rest();
  let doc: unknown;
  if (first === '[' || first === undefined) {
    doc = parseJson(all, source);
  } else {
    const { parse } = await loadYaml();
    try {
      doc = parse(all);
    } catch (err) {
      throw new UsageError(
        `${source} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
  yield* documentRecords(doc);
}

async function* counted(chunks: Chunks, onBytes?: (n: number) => void): AsyncGenerator<Chunk> {
  for await (const c of chunks) {
    onBytes?.(typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength);
    yield c;
  }
}

/** The chunks already taken, then the rest. */
async function* replay(taken: Chunk[], rest: AsyncIterator<Chunk>): AsyncGenerator<Chunk> {
  yield* taken;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

const BOM = [0xef, 0xbb, 0xbf];

/** Where the text of `head` starts (after a byte order mark); undefined while one may be coming. */
function textStart(head: Buffer): number | undefined {
  const n = Math.min(head.length, BOM.length);
  for (let i = 0; i < n; i++) if (head[i] !== BOM[i]) return 0;
  return n === BOM.length ? BOM.length : undefined;
}

/**
 * An NDJSON export read from bytes: recognised when the input is bytes whose first
 * non-blank line (after a byte order mark) is an NDJSON header within SNIFF_LIMIT bytes.
 * Anything else (text chunks, a long first line, a JSON or YAML document) is replayed to
 * the text reader, which decides as before. Its lines are then split and decoded one by
 * one: a line is a one-byte string when it is ASCII, where a decoded chunk with one
 * non-ASCII character in it (a "÷" in 3% of the generated NPCs) made every line cut from
 * it a two-byte string, slower to split and to parse.
 */
async function sniffNdjson(
  input: AsyncIterator<Chunk>,
): Promise<{ lines: AsyncIterable<string[]>; replay?: never } | { lines?: never; replay: Chunks }> {
  const taken: Chunk[] = [];
  let head = Buffer.alloc(0);
  for (;;) {
    const text = textStart(head);
    if (text !== undefined) {
      let i = text;
      while (i < head.length && WS.has(head[i]!)) i++;
      if (i < head.length) {
        if (head[i] !== 0x7b) break;
        const nl = head.indexOf(0x0a, i);
        if (nl >= 0) {
          if (nl - i <= SNIFF_LIMIT && isNdjsonHeader(head.toString('utf8', i, nl)))
            return { lines: byteLines(head.subarray(i), input) };
          break;
        }
        if (head.length - i > SNIFF_LIMIT) break;
      }
    }
    const r = await input.next();
    if (r.done) break;
    taken.push(r.value);
    if (typeof r.value === 'string') break;
    head = Buffer.concat([head, r.value]);
  }
  return { replay: replay(taken, input) };
}

/**
 * The lines of the bytes `first` and then `rest` (each without its newline and one
 * carriage return before it), decoded one by one, a batch per chunk. A newline byte is
 * never part of a multi-byte character, so each line decodes on its own as the whole
 * text would.
 */
async function* byteLines(first: Buffer, rest: AsyncIterator<Chunk>): AsyncGenerator<string[]> {
  let pieces: Buffer[] = [];
  const decode = (b: Buffer, from: number, to: number) =>
    b.toString('utf8', from, to > from && b[to - 1] === 0x0d ? to - 1 : to);
  for (let chunk: Buffer | undefined = first; chunk;) {
    const nl = chunk.indexOf(0x0a);
    if (nl < 0) {
      if (chunk.length) pieces.push(chunk);
    } else {
      const out: string[] = [];
      if (pieces.length) {
        const line = Buffer.concat([...pieces, chunk.subarray(0, nl)]);
        out.push(decode(line, 0, line.length));
        pieces = [];
      } else out.push(decode(chunk, 0, nl));
      let p = nl + 1;
      for (let next = chunk.indexOf(0x0a, p); next >= 0; next = chunk.indexOf(0x0a, p)) {
        out.push(decode(chunk, p, next));
        p = next + 1;
      }
      if (p < chunk.length) pieces.push(chunk.subarray(p));
      yield out;
    }
    const r = await rest.next();
    chunk = r.done
      ? undefined
      : typeof r.value === 'string'
        ? Buffer.from(r.value)
        : asBuffer(r.value);
  }
  if (pieces.length) {
    const line = Buffer.concat(pieces);
    yield [decode(line, 0, line.length)];
  }
}

const asBuffer = (c: Uint8Array): Buffer =>
  Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);

/** The text reader's lines, a batch at a time. */
async function* readerLines(reader: Reader): AsyncGenerator<string[]> {
  for (let lines = await reader.lines(); lines !== undefined; lines = await reader.lines())
    yield lines;
}

/** The records of a document already in memory (a YAML file, or a library caller's object). */
export function* documentRecords(doc: unknown): Generator<ImportRecord> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    yield { kind: 'header', value: doc };
    return;
  }
  const { entities, relationships, ...header } = doc as Record<string, unknown>;
  yield {
    kind: 'header',
    value: {
      ...header,
      ...(entities === undefined ? {} : { entities: Array.isArray(entities) ? [] : entities }),
      ...(relationships === undefined
        ? {}
        : { relationships: Array.isArray(relationships) ? [] : relationships }),
    },
  };
  if (Array.isArray(entities)) for (const value of entities) yield { kind: 'entity', value };
  if (Array.isArray(relationships))
    for (const value of relationships) yield { kind: 'relationship', value };
}

function parseJson(text: string, source: string, where = ''): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const truncated = /end of (JSON )?input|Unterminated/i.test(msg);
    throw new UsageError(
      `${source}${where} is not valid JSON${truncated ? ' (truncated?)' : ''}: ${msg}`,
    );
  }
}

function isNdjsonHeader(line: string): boolean {
  try {
    const v = JSON.parse(line) as unknown;
    return (
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      'schema_version' in v &&
      !('entities' in v) &&
      !('relationships' in v)
    );
  } catch {
    return false;
  }
}

/** NDJSON's records from its lines (a batch at a time: one await per chunk, not per line). */
async function* ndjsonRecords(
  batches: AsyncIterable<string[]>,
  source: string,
): AsyncGenerator<ImportRecord> {
  let n = 0;
  let ended = false;
  for await (const lines of batches) {
    for (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      const v = parseJson(line, source, ` (line ${n})`) as Record<string, unknown> | null;
      if (n === 1) {
        yield { kind: 'header', value: { ...v, entities: [], relationships: [] } };
        continue;
      }
      const keys = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
      if (keys.length === 1 && keys[0] === 'entity') yield { kind: 'entity', value: v!['entity'] };
      else if (keys.length === 1 && keys[0] === 'relationship')
        yield { kind: 'relationship', value: v!['relationship'] };
      else if (keys.length === 1 && keys[0] === 'end') {
        const end = v!['end'] as { entities?: unknown; relationships?: unknown } | null;
        if (!Number.isInteger(end?.entities) || !Number.isInteger(end?.relationships))
          throw new UsageError(
            `${source} (line ${n}): the end record needs integer "entities" and "relationships" counts`,
          );
        ended = true;
        yield {
          kind: 'end',
          entities: end!.entities as number,
          relationships: end!.relationships as number,
        };
      } else
        throw new UsageError(
          `${source} (line ${n}): expected {"entity":…}, {"relationship":…} or {"end":…}`,
        );
    }
  }
  if (!ended)
    throw new UsageError(`${source} has no end record: the NDJSON export is truncated`, {
      hint: 'export it again; nothing was imported',
    });
}

async function* jsonRecords(reader: Reader, source: string): AsyncGenerator<ImportRecord> {
  // no prototype: a "__proto__" key in the file is just a key
  const header = Object.create(null) as Record<string, unknown>;
  await reader.expect('{');
  if ((await reader.peek()) === '}') reader.skip();
  else
    for (;;) {
      if ((await reader.peek()) !== '"') reader.fail('a property name');
      const key = JSON.parse(await reader.value()) as string;
      await reader.expect(':');
      if ((key === 'entities' || key === 'relationships') && (await reader.peek()) === '[') {
        reader.skip();
        header[key] = [];
        const kind = key === 'entities' ? 'entity' : 'relationship';
        let i = 0;
        if ((await reader.peek()) === ']') reader.skip();
        else
          for (;;) {
            const raw = await reader.value();
            yield { kind, value: parseJson(raw, source, ` (${key}[${i++}])`) };
            const c = await reader.peek();
            reader.skip();
            if (c === ']') break;
            if (c !== ',') reader.fail('"," or "]"', c);
          }
      } else {
        header[key] = parseJson(await reader.value(), source, ` (${key})`);
      }
      const c = await reader.peek();
      reader.skip();
      if (c === '}') break;
      if (c !== ',') reader.fail('"," or "}"', c);
    }
  const after = await reader.peek();
  if (after !== undefined) reader.fail('the end of the file', after);
  yield { kind: 'header', value: header };
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);
/** What ends a number or true/false/null: blank, comma, closing bracket. */
const LITERAL_END = new Set([...WS, 0x2c, 0x5d, 0x7d]);

/** A pull reader over text chunks: peek, whole lines, and the raw text of one JSON value. */
class Reader {
  private buf = '';
  private pos = 0;
  /** characters dropped from the front of buf (for error positions) */
  private offset = 0;
  private eof = false;
  constructor(
    private readonly chunks: AsyncIterator<string>,
    private readonly source: string,
  ) {}

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const { value, done } = await this.chunks.next();
    if (done) {
      this.eof = true;
      return false;
    }
    if (this.pos > 1 << 20) {
      this.offset += this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += value;
    return true;
  }

  fail(expected: string, got?: string): never {
    const at = this.offset + this.pos;
    if (got === undefined && this.eof)
      throw new UsageError(
        `${this.source} is not valid JSON (truncated?): expected ${expected} at position ${at}`,
      );
    throw new UsageError(
      `${this.source} is not valid JSON: expected ${expected} at position ${at}, found ${JSON.stringify(got ?? this.buf[this.pos])}`,
    );
  }

  /** The next non-blank character (not consumed), or undefined at the end. */
  async peek(): Promise<string | undefined> {
    for (;;) {
      while (this.pos < this.buf.length && WS.has(this.buf.charCodeAt(this.pos))) this.pos++;
      if (this.pos < this.buf.length) return this.buf[this.pos];
      if (!(await this.fill())) return undefined;
    }
  }

  skip(): void {
    this.pos++;
  }

  async expect(ch: string): Promise<void> {
    const c = await this.peek();
    if (c !== ch) this.fail(`"${ch}"`, c);
    this.pos++;
  }

  /** The first line, if it ends within `limit` characters (nothing is consumed). */
  async firstLine(limit: number): Promise<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf('\n', this.pos);
      if (nl >= 0) return nl - this.pos <= limit ? this.buf.slice(this.pos, nl) : undefined;
      if (this.buf.length - this.pos > limit) return undefined;
      if (!(await this.fill())) return this.buf.slice(this.pos);
    }
  }

  /**
   * The next whole lines (each without its newline; at least one), or undefined at the
   * end: every complete line in the buffer, then the unterminated last one at the end.
   */
  async lines(): Promise<string[] | undefined> {
    let from = this.pos;
    for (;;) {
      if (this.buf.indexOf('\n', from) >= 0) {
        const last = this.buf.lastIndexOf('\n');
        const out: string[] = [];
        let p = this.pos;
        for (;;) {
          const nl = this.buf.indexOf('\n', p);
          out.push(this.buf.slice(p, this.buf.charCodeAt(nl - 1) === 0x0d && nl > p ? nl - 1 : nl));
          p = nl + 1;
          if (nl === last) break;
        }
        this.pos = p;
        return out;
      }
      // fill() may drop the consumed text in front: keep `from` relative to pos
      const scanned = this.buf.length - this.pos;
      if (!(await this.fill())) {
        if (this.pos >= this.buf.length) return undefined;
        const line = this.buf.slice(this.pos);
        this.pos = this.buf.length;
        return [line.endsWith('\r') ? line.slice(0, -1) : line];
      }
      from = this.pos + scanned;
    }
  }

  /** Everything that is left. */
  async rest(): Promise<string> {
    while (await this.fill());
    const s = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return s;
  }

  /**
   * The raw text of the next JSON value (an object, array, string or literal), found by
   * matching brackets outside strings; JSON.parse checks it.
   */
  async value(): Promise<string> {
    const first = await this.peek();
    if (first === undefined) this.fail('a value');
    let i = this.pos;
    if (first === '{' || first === '[' || first === '"') {
      let depth = 0;
      let inString = false;
      for (;;) {
        if (i >= this.buf.length) {
          const base = this.pos;
          if (!(await this.fill())) {
            this.pos = i;
            this.fail(first === '"' ? 'the end of a string' : 'the end of a value');
          }
          // fill() may have dropped consumed text in front: keep i relative to the value
          i -= base - this.pos;
          continue;
        }
        if (inString) {
          // the closing quote: the next one not escaped by an odd run of backslashes
          // (the whole value is still in the buffer, so the run can be counted backwards)
          const q = this.buf.indexOf('"', i);
          if (q < 0) {
            i = this.buf.length;
            continue;
          }
          let slashes = 0;
          while (this.buf.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
          i = q + 1;
          if (slashes % 2 === 1) continue;
          inString = false;
          if (depth === 0) break;
          continue;
        }
        const c = this.buf.charCodeAt(i);
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
        i++;
      }
    } else {
      // a literal: up to the next delimiter
      for (;;) {
        while (i < this.buf.length && !LITERAL_END.has(this.buf.charCodeAt(i))) i++;
        if (i < this.buf.length) break;
        const base = this.pos;
        if (!(await this.fill())) break;
        i -= base - this.pos;
      }
    }
    const text = this.buf.slice(this.pos, i);
    this.pos = i;
    return text;
  }
}

/**
 * A store's export records (Store.exportRecords) as import records (Store.importStream):
 * how `dma db copy` streams one campaign into another without a serialiser of its own.
 */
export async function* exportedAsImport(
  records: AsyncIterable<ExportRecord>,
): AsyncGenerator<ImportRecord> {
  for await (const r of records) {
    if (r.kind === 'header')
      yield {
        kind: 'header',
        value: {
          schema_version: r.schema_version,
          exported_at: r.exported_at,
          entities: [],
          relationships: [],
        },
      };
    else yield { kind: r.kind, value: JSON.parse(r.json) as unknown };
  }
}
