import type { CommandModule } from '../generated/types.ts';
import { openCampaign } from '../store/open.ts';
import type { ExportRecord } from '../store/types.ts';

/** Chunks handed to the output sink: about this many characters each. */
const CHUNK = 64 * 1024;

interface ExportState {
  records: AsyncGenerator<ExportRecord>;
  close: () => Promise<void>;
  ndjson: boolean;
  counts: { entities: number; relationships: number };
}

/** The streams behind each result (the result itself stays the contract's plain document). */
const streams = new WeakMap<object, ExportState>();

/**
 * The campaign is opened (and checked) here; the records are read from one snapshot as the
 * output sink asks for them (`raw`), so nothing but the current chunk is held in memory.
 */
export const run: CommandModule<'entity.export'>['run'] = async (input, ctx) => {
  const store = await openCampaign(input, ctx, 'read');
  let records: AsyncGenerator<ExportRecord>;
  let header: Extract<ExportRecord, { kind: 'header' }>;
  try {
    // the first record (the header) starts the snapshot and checks --type
    records = store.exportRecords(input.type === undefined ? {} : { type: input.type });
    header = (await records.next()).value as Extract<ExportRecord, { kind: 'header' }>;
  } catch (err) {
    await store.close();
    throw err;
  }
  const result = {
    schema_version: header.schema_version,
    exported_at: header.exported_at,
    entities: [],
    relationships: [],
  };
  streams.set(result, {
    records,
    close: () => store.close(),
    ndjson: input.format === 'ndjson',
    counts: { entities: 0, relationships: 0 },
  });
  return result;
};

/** Pretty JSON of one record at the indentation of the document's arrays. */
const indented = (json: string) =>
  '    ' + JSON.stringify(JSON.parse(json), null, 2).replace(/\n/g, '\n    ');

async function* chunks(result: object): AsyncGenerator<string> {
  const s = streams.get(result)!;
  const { counts } = s;
  let buf = '';
  try {
    if (s.ndjson) {
      const head = result as { schema_version: string; exported_at: string };
      buf += `${JSON.stringify({ schema_version: head.schema_version, exported_at: head.exported_at })}\n`;
      for await (const r of s.records) {
        if (r.kind === 'entity') {
          buf += `{"entity":${r.json}}\n`;
          counts.entities++;
        } else if (r.kind === 'relationship') {
          buf += `{"relationship":${r.json}}\n`;
          counts.relationships++;
        }
        if (buf.length >= CHUNK) {
          yield buf;
          buf = '';
        }
      }
      yield `${buf}${JSON.stringify({ end: counts })}\n`;
      return;
    }
    // The same bytes as JSON.stringify(document, null, 2), written record by record.
    const head = result as { schema_version: string; exported_at: string };
    buf += `{\n  "schema_version": ${JSON.stringify(head.schema_version)},\n  "exported_at": ${JSON.stringify(head.exported_at)},\n  "entities": [`;
    let inRelationships = false;
    let inSection = 0;
    const close = () => (inSection === 0 ? ']' : '\n  ]');
    for await (const r of s.records) {
      if (r.kind === 'header') continue;
      if (r.kind === 'relationship' && !inRelationships) {
        buf += `${close()},\n  "relationships": [`;
        inRelationships = true;
        inSection = 0;
      }
      buf += `${inSection++ === 0 ? '\n' : ',\n'}${indented(r.json)}`;
      if (r.kind === 'entity') counts.entities++;
      else counts.relationships++;
      if (buf.length >= CHUNK) {
        yield buf;
        buf = '';
      }
    }
    if (!inRelationships) {
      buf += `${close()},\n  "relationships": [`;
      inSection = 0;
    }
    yield `${buf}${close()}\n}\n`;
  } finally {
    await s.records.return(undefined);
    await s.close();
  }
}

/** The export streams to stdout or -o, whatever --format says (JSON, or NDJSON with ndjson). */
export const raw: CommandModule<'entity.export'>['raw'] = (r) => chunks(r);

export const written: CommandModule<'entity.export'>['written'] = (r, _input, file) => {
  const c = streams.get(r)?.counts ?? { entities: 0, relationships: 0 };
  return `exported ${c.entities} entities and ${c.relationships} relationships to ${file}`;
};
