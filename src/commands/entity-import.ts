import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { importRecords, openImportSource } from '../store/transfer.ts';

/**
 * The file is read as a stream (JSON and NDJSON record by record) and written inside one
 * transaction that commits only when all of it was read and checked.
 */
export const run: CommandModule<'entity.import'>['run'] = async (input, ctx) => {
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
  const dryRun = input.dryRun === true;
  let bytes = 0;
  let shown = 0;
  const onBytes =
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
  return withCampaign(input, ctx, dryRun ? 'dry-run' : 'write', (store) =>
    store.importStream(importRecords(chunks, source, onBytes), { dryRun }),
  );
};

export const text: CommandModule<'entity.import'>['text'] = (r) => {
  const e = r.entities;
  const l = r.relationships;
  return `${r.dry_run ? '(dry run — nothing written) ' : ''}entities: ${e.created} created, ${e.updated} updated, ${e.unchanged} unchanged; relationships: ${l.created} created, ${l.unchanged} unchanged`;
};
