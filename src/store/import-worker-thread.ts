/**
 * The entry of the import's reading thread (bundled as dist/fast/_import-worker.cjs by
 * scripts/build.mjs; src/store/import-worker.ts starts it and explains the protocol).
 */
import { workerData } from 'node:worker_threads';
import { runImportWorker } from './import-worker.ts';

void runImportWorker(workerData as Parameters<typeof runImportWorker>[0]);
