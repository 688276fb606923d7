/**
 * The LLM call log and cache of a PostgreSQL campaign, with the real binary: `dma audit`
 * twice on a postgres:// DMA_DB (own schema, dropped after) answers the second from the
 * cache, and `dma llm logs|usage|cache clear` say the same as on an SQLite campaign.
 * Skipped with a message without a server (unless DMA_TEST_PG_URL is set: then it fails).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import { dropSchema, PG_URL, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

const schema = scratchSchema();
const LEGAL = 'examples/npc-legal.yaml';
const why = await pgUnreachable('e2e postgres llm');

const json = (s: string) => JSON.parse(s) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Everything the LLM commands print, minus what differs per run (ids, times). */
async function session(env: Record<string, string>) {
  const run = async (args: string[]) => {
    const r = await dma(args, { env });
    expect(r.exitCode, r.stderr).toBe(0);
    return r.stdout;
  };
  const first = json(await run(['audit', LEGAL]));
  const second = json(await run(['audit', LEGAL]));
  const logs = json(await run(['llm', 'logs', '--json'])).calls.map(
    ({ id, createdAt, latencyMs, ...rest }: Record<string, unknown>) => {
      expect([typeof id, typeof createdAt, typeof latencyMs]).toEqual([
        'string',
        'string',
        'number',
      ]);
      return rest;
    },
  );
  return {
    cached: [first.llm.cached, second.llm.cached],
    output: second.output ?? second.findings ?? null,
    logs,
    usage: await run(['llm', 'usage', '--by', 'adapter']),
    dryClear: await run(['llm', 'cache', 'clear', '--dry-run']),
    clear: await run(['llm', 'cache', 'clear', '--yes']),
    after: json(await run(['audit', LEGAL])).llm.cached,
  };
}

describe.skipIf(why !== undefined)('LLM call log and cache on PostgreSQL (e2e)', () => {
  afterAll(() => dropSchema(schema));

  it('audit twice: the second is cached, llm logs lists both; same output as SQLite', async () => {
    const pg = await session(scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: schema }));
    expect(pg.cached).toEqual([false, true]);
    expect(pg.logs.map((c: { status: string }) => c.status)).toEqual(['cached', 'ok']);
    expect(pg.after).toBe(false);
    const lite = await session(scratchEnv());
    expect(pg).toEqual(lite);
  });
});
