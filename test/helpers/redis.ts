/**
 * The Redis server the bus tests use: $DMA_TEST_REDIS_URL (CI sets it, and then an
 * unreachable server fails the tests), else redis://127.0.0.1:6379 when it answers; with
 * neither the Redis suites are skipped with a plain message saying why.
 */
import { Socket } from 'node:net';

export const REDIS_REQUIRED = (process.env['DMA_TEST_REDIS_URL'] ?? '') !== '';
export const REDIS_URL = process.env['DMA_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.connect(Number(u.port || 6379), u.hostname, () => done(true));
  });
}

/** Whether to run the Redis suites (prints why not once when skipping). */
export async function redisAvailable(): Promise<boolean> {
  if (REDIS_REQUIRED) return true; // a failure to connect then fails the tests
  if (await reachable(REDIS_URL)) return true;
  console.warn(
    `skipped: the Redis bus suites (no server at ${REDIS_URL}; set DMA_TEST_REDIS_URL to require one)`,
  );
  return false;
}
