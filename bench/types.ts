/**
 * A benchmark case. `npm run bench` (bench/run.ts) runs every case exported as
 * `cases` from bench/cases/*.ts and prints median and p95 per case.
 */
export interface InProcessCase<S = unknown> {
  kind: 'in-process';
  name: string;
  /** runs once before timing; its result is passed to `run` */
  setup?: () => S | Promise<S>;
  /** one timed sample */
  run: (state: S) => unknown;
  /** samples to take */
  samples: number;
  /** operations one sample performs, to report a rate (ops/s) */
  opsPerSample?: number;
  /** the target from the issue, e.g. "< 3000 ms" or ">= 5000000 ops/s", shown in the table */
  target?: string;
  teardown?: (state: S) => void | Promise<void>;
  /**
   * A case that measures itself (a load generator in a second process reports its own
   * latency percentiles): when given, `run` and `samples` are not timed by the harness.
   */
  measure?: (
    state: S,
  ) => Promise<{ median_ms: number; p95_ms: number; p99_ms: number; rate?: number }>;
}

export interface ProcessCase {
  kind: 'process';
  name: string;
  /** arguments to `node bin/dma.cjs` */
  args: string[];
  /** environment additions (e.g. DMA_DB pointing at a prepared database) */
  env?: Record<string, string>;
  /** runs once before timing, e.g. to prepare a database; returns env additions */
  setup?: () => Record<string, string> | Promise<Record<string, string>>;
  /** the allowed ratio to `node -e 0`, e.g. 1.3 */
  maxRatio?: number;
}

export type BenchCase = InProcessCase<any> | ProcessCase; // eslint-disable-line @typescript-eslint/no-explicit-any
