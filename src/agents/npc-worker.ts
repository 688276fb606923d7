/**
 * The entry of the NPC generator thread (built as dist/fast/_npc-worker.cjs, started by
 * src/agents/npc-chunks.ts for a big saved batch): it makes the job's chunks and posts them.
 */
import { serveNpcChunks } from './npc-chunks.ts';

serveNpcChunks();
