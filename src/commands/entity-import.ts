import type { CommandModule } from '../generated/types.ts';
import {
  importRecordsInWorker,
  importWorkerFile,
  WORKER_MIN_BYTES,
} from '../store/import-worker.ts';
import { withCampaign } from '../store/open.ts';
import { importRecords, openImportSource, regularImportFile } from '../store/transfer.ts';
import type { ImportRecord } from '../store/types.ts';

/**
 * The file is read as a stream (JSON and NDJSON record by record) and written inside one
 * transaction that commits only when all of it was read and checked. A large file is read
 * and checked on a second thread while this one writes (src/store/import-worker.ts).
 */
export const run: CommandModule<'entity.import'>['run'] = async (input, ctx) => {
  const dryRun = input.dryRun === true;
  let bytes = 0;
  let shown = 0;
  const progress = (size: number | undefined) =>
    size === undefined
      ? undefined
      : (n: number) => {
          bytes += n;
          // a bar step at most every 1%: progress() redraws the whole line
          if (bytes - shown >= size / 100 || bytes >= size) {
            shown = bytes;
            ctx.progress('importing', bytes, size);
          }
        };
  const importAll = (records: AsyncIterable<ImportRecord>) =>
    withCampaign(input, ctx, dryRun ? 'dry-run' : 'write', (store) =>
      store.importStream(records, { dryRun }),
    );

  const file = await regularImportFile(input.file, ctx.cwd);
  const workerFile = file && file.size >= WORKER_MIN_BYTES ? importWorkerFile() : undefined;
  if (file && workerFile) {
    const reader = importRecordsInWorker(workerFile, file.file, progress(file.size));
    try {
      return await importAll(reader.records);
    } finally {
      await reader.close();
    }
  }
  const { source, chunks, size } = await openImportSource(input.file, {
    cwd: ctx.cwd,
    // a context without a stdin stream (a server request) reads it whole, or refuses
    stdin:
      ctx.stdin ??
      (() =>
        (async function* () {
          yield await ctx.readStdin();
        })()),
  });
  return importAll(importRecords(chunks, source, progress(size)));
};

export const text: CommandModule<'entity.import'>['text'] = (r) => {
  const e = r.entities;
  const l = r.relationships;
  return `${r.dry_run ? '(dry run — nothing written) ' : ''}entities: ${e.created} created, ${e.updated} updated, ${e.unchanged} unchanged; relationships: ${l.created} created, ${l.unchanged} unchanged`;
};
