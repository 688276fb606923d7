import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDmaError } from '../../src/core/errors.ts';
import { importRecords } from '../../src/store/transfer.ts';
import type { ImportRecord } from '../../src/store/types.ts';

const now = '2024-05-01T12:00:00.000Z';
const entity = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'note',
  name: `Note ${i} "quoted" \\ back, {brace} [bracket] ünïcödé 🐉`,
  data: { text: `line one\nline two ${i}`, nested: { list: [1, [2, { x: '}' }]] }, ...extra },
  version: 1,
  created_at: now,
  updated_at: now,
});
const doc = (n: number) => ({
  schema_version: '1.0',
  exported_at: now,
  entities: Array.from({ length: n }, (_, i) => entity(i)),
  relationships: [
    {
      id: '10000000-0000-4000-8000-000000000000',
      source: entity(0).id,
      target: entity(1).id,
      type: 'knows',
      strength: 0.5,
      created_at: now,
    },
  ],
});
const ndjson = (d: ReturnType<typeof doc>) =>
  [
    JSON.stringify({ schema_version: d.schema_version, exported_at: d.exported_at }),
    ...d.entities.map((e) => JSON.stringify({ entity: e })),
    ...d.relationships.map((r) => JSON.stringify({ relationship: r })),
    JSON.stringify({ end: { entities: d.entities.length, relationships: d.relationships.length } }),
  ].join('\n') + '\n';

/** Split text into chunks of the given sizes (cycled), as bytes: UTF-8 characters get cut. */
async function* chunked(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes[k++ % sizes.length]!;
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

async function collect(text: string, sizes = [1 << 16]): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of importRecords(chunked(text, sizes), 'test')) out.push(r);
  return out;
}

/** The document the records describe (what a whole-document import would have seen). */
function rebuild(records: ImportRecord[]) {
  const header = records.find((r) => r.kind === 'header')!.value as Record<string, unknown>;
  return {
    ...header,
    entities: records
      .filter((r) => r.kind === 'entity')
      .map((r) => (r as { value: unknown }).value),
    relationships: records
      .filter((r) => r.kind === 'relationship')
      .map((r) => (r as { value: unknown }).value),
  };
}

async function error(text: string, sizes?: number[]): Promise<string> {
  try {
    await collect(text, sizes);
  } catch (err) {
    expect(isDmaError(err) && err.exitCode).toBe(3);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('import stream reader', () => {
  it('reads pretty and compact JSON, NDJSON and YAML to the same records, whatever the chunking', async () => {
    const d = doc(25);
    const texts = [
      JSON.stringify(d, null, 2),
      JSON.stringify(d),
      ndjson(d),
      // keys in another order, relationships first
      JSON.stringify({
        relationships: d.relationships,
        entities: d.entities,
        exported_at: d.exported_at,
        schema_version: d.schema_version,
      }),
    ];
    for (const text of texts) {
      for (const sizes of [[1], [3, 7, 1], [4096], [1 << 20]]) {
        const rebuilt = rebuild(await collect(text, sizes));
        expect(rebuilt).toEqual(d);
      }
    }
    const yaml = (await import('yaml')).stringify(d);
    expect(rebuild(await collect(yaml, [5]))).toEqual(d);
  });

  it('matches JSON.parse on generated documents cut into random chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (values, sizes, pretty) => {
          const d = {
            schema_version: '1.0',
            exported_at: now,
            entities: values,
            relationships: [],
            extra: values[0] ?? null,
          };
          const text = pretty ? JSON.stringify(d, null, 2) : JSON.stringify(d);
          const rebuilt = rebuild(await collect(text, sizes));
          expect(rebuilt).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it('NDJSON: a byte order mark, CRLF line ends, blank lines and no final newline read the same', async () => {
    const d = doc(25);
    const lines = ndjson(d).trimEnd().split('\n');
    const variants = [
      `\ufeff${lines.join('\n')}\n`,
      `${lines.join('\r\n')}\r\n`,
      lines.join('\n'),
      `${lines.join('\r\n')}\r`,
      `${lines.slice(0, 3).join('\n')}\n\n  \n${lines.slice(3).join('\n')}\n\n`,
    ];
    variants.push(`\ufeff \r\n\n${lines.join('\n')}\n`, `\n\t ${lines.join('\n')}`);
    for (const text of variants) {
      for (const sizes of [[1], [3, 7, 1], [1 << 20]])
        expect(rebuild(await collect(text, sizes))).toEqual(d);
      // text chunks (a server's stdin) take the text reader's way (a text's BOM is its own)
      if (text.startsWith('\ufeff')) continue;
      const strings = async function* () {
        for (let i = 0; i < text.length; i += 5) yield text.slice(i, i + 5);
      };
      const out: ImportRecord[] = [];
      for await (const r of importRecords(strings(), 'test')) out.push(r);
      expect(rebuild(out)).toEqual(d);
    }
    // a line's number counts the blank lines before it
    expect(await error(`${lines[0]}\n\n{"npc":{}}\n`, [2])).toMatch(/line 3.*expected \{"entity"/);
  });

  it('a truncated JSON document is an error wherever it is cut', async () => {
    const text = JSON.stringify(doc(3), null, 2);
    for (let cut = 1; cut < text.length; cut += 17) {
      const message = await error(text.slice(0, cut), [5]);
      expect(message).toMatch(/^test is not valid JSON/);
    }
  });

  it('a truncated NDJSON export is an error: mid-line, or cut at a line end (no end record)', async () => {
    const text = ndjson(doc(3));
    expect(await error(text.slice(0, text.length - 30))).toMatch(/not valid JSON/);
    const lines = text.split('\n');
    expect(await error(lines.slice(0, 3).join('\n') + '\n')).toMatch(/no end record/);
    expect(await error(`${lines[0]}\n{"npc":{}}\n`)).toMatch(/line 2.*expected \{"entity"/);
  });

  it('garbage after the document, or a bad separator, is an error with the position', async () => {
    expect(await error('{"schema_version":"1.0"} x')).toMatch(/expected the end of the file/);
    expect(await error('{"entities":[{} {}]}')).toMatch(/expected "," or "\]"/);
    expect(await error('{"a" 1}')).toMatch(/expected ":"/);
  });
});
