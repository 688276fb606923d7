// Preloaded into `dma serve` by bench/cases/serve.ts (node --import): the server's own view of a
// load run, to tell the server's latency from the load generator's. On SIGUSR2 it writes
// what it saw since the last SIGUSR2 to $DMA_BENCH_PROBE (JSON) and starts over:
// - per request, `request` event to response `finish` (diagnostics_channel), in ms;
// - event-loop delay (monitorEventLoopDelay, 1 ms resolution);
// - garbage collections by kind (PerformanceObserver 'gc'), count and pause ms;
// - CPU time of the process over the window.
import dc from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import {
  constants,
  createHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
} from 'node:perf_hooks';

const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark_compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak_callbacks',
};
const started = new WeakMap();
let requests, loopDelay, gc, cpu, wall;
function reset() {
  requests = createHistogram();
  loopDelay?.disable();
  loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  gc = {};
  cpu = process.cpuUsage();
  wall = process.hrtime.bigint();
}
reset();
dc.subscribe('http.server.request.start', ({ request }) => {
  started.set(request, process.hrtime.bigint());
});
dc.subscribe('http.server.response.finish', ({ request }) => {
  const t0 = started.get(request);
  if (t0 !== undefined) requests.record(Math.max(1, Number(process.hrtime.bigint() - t0)));
});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[entry.detail?.kind] ?? 'other';
    const k = (gc[kind] ??= { count: 0, total_ms: 0, max_ms: 0 });
    k.count++;
    k.total_ms += entry.duration;
    k.max_ms = Math.max(k.max_ms, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const ms = (ns) => Math.round(ns / 1e3) / 1e3;
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const out = process.env.DMA_BENCH_PROBE;
  if (out)
    writeFileSync(
      out,
      JSON.stringify({
        requests: requests.count,
        latency_ms: {
          p50: ms(requests.percentile(50)),
          p95: ms(requests.percentile(95)),
          p99: ms(requests.percentile(99)),
          max: ms(requests.max),
        },
        loop_delay_ms: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
        gc,
        cpu_percent: Math.round(((used.user + used.system) / 1e6 / seconds) * 1000) / 10,
      }),
    );
  reset();
});
